/**
 * The evaluator catches what the Done-when of issue 18 names: a grant that goes missing names the
 * call, and a grant widened to every pool fails the denial check. (The same mutations made in
 * src/grants and src/purge fail deployed-calls.test.ts the same way.)
 */
import type { RecordedRequest } from './aws-gateway';
import { callFindings } from './call-findings';
import type { NamedPolicy } from './role-policies';

const POOL = 'eu-west-1_Given123';
const poolArn = (id: string) => `arn:aws:cognito-idp:eu-west-1:111111111111:userpool/${id}`;
const EXECUTION = 'arn:aws:states:eu-west-1:111111111111:execution:PurgeWorkflow:purge-create-1';

const forget: RecordedRequest = {
  caller: 'SliceRole',
  service: 'cognito-idp',
  region: 'eu-west-1',
  operation: 'AdminForgetDevice',
  params: { UserPoolId: POOL, Username: 'u', DeviceKey: 'eu-west-1_d' },
};
const describeExecution: RecordedRequest = {
  caller: 'IsCompleteRole', service: 'states', region: 'eu-west-1', operation: 'DescribeExecution', params: { executionArn: EXECUTION },
};

function policy(actions: string[], resource: string): NamedPolicy[] {
  return [{ name: 'p', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] } }];
}

test('a call that the policies allow on the pool given, and only there, has no finding', async () => {
  const sweep = policy(['cognito-idp:ListUsers', 'cognito-idp:AdminListDevices', 'cognito-idp:AdminForgetDevice'], poolArn(POOL));
  expect(await callFindings([forget], 'SliceRole', sweep)).toEqual({
    calls: [{ action: 'cognito-idp:AdminForgetDevice', resource: poolArn(POOL) }],
    problems: [],
  });
});

test('a missing AdminForgetDevice grant names the call', async () => {
  const withoutForget = policy(['cognito-idp:ListUsers', 'cognito-idp:AdminListDevices'], poolArn(POOL));
  expect((await callFindings([forget], 'SliceRole', withoutForget)).problems).toEqual([
    `SliceRole: cognito-idp:AdminForgetDevice on ${poolArn(POOL)} is ImplicitlyDenied by the role's policies`,
  ]);
});

test('a grant widened to userpool/* fails the denial check', async () => {
  const widened = policy(['cognito-idp:AdminForgetDevice'], 'arn:aws:cognito-idp:eu-west-1:111111111111:userpool/*');
  expect((await callFindings([forget], 'SliceRole', widened)).problems).toEqual([
    `SliceRole: cognito-idp:AdminForgetDevice on ${poolArn('eu-west-1_NotGiven1')}, which the construct was not given, is Allowed`,
  ]);
});

test('a missing states:DescribeExecution names the call; the execution ARN is what is authorized', async () => {
  const stopOnly = policy(['states:StopExecution'], 'arn:aws:states:eu-west-1:111111111111:execution:PurgeWorkflow:*');
  expect((await callFindings([describeExecution], 'IsCompleteRole', stopOnly)).problems).toEqual([
    `IsCompleteRole: states:DescribeExecution on ${EXECUTION} is ImplicitlyDenied by the role's policies`,
  ]);
  const both = policy(['states:StopExecution', 'states:DescribeExecution'], 'arn:aws:states:eu-west-1:111111111111:execution:PurgeWorkflow:*');
  expect((await callFindings([describeExecution], 'IsCompleteRole', both)).problems).toEqual([]);
});

test('a DynamoDB batch is authorized on each table it names', async () => {
  const batch: RecordedRequest = {
    caller: 'R', service: 'dynamodb', region: 'eu-west-1', operation: 'BatchGetItem', params: { RequestItems: { A: {}, B: {} } },
  };
  const onlyA = policy(['dynamodb:BatchGetItem'], 'arn:aws:dynamodb:eu-west-1:111111111111:table/A');
  expect((await callFindings([batch], 'R', onlyA)).problems).toEqual([
    "R: dynamodb:BatchGetItem on arn:aws:dynamodb:eu-west-1:111111111111:table/B is ImplicitlyDenied by the role's policies",
  ]);
});

test('an operation that is not an IAM action of its service is named', async () => {
  const unknown: RecordedRequest = { ...forget, operation: 'AdminForgetDevices' };
  await expect(callFindings([unknown], 'SliceRole', [])).rejects.toThrow(/cognito-idp:AdminForgetDevices is not an action/);
});
