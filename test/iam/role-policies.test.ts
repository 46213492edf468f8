/**
 * The policies a role holds, read from a template the way IAM attaches them: inline, a separate
 * AWS::IAM::Policy (aws-cdk-lib's DefaultPolicy), the stack's own managed policies (by `Roles` or by
 * the role's `ManagedPolicyArns`) and AWS managed ones, each resolved to concrete ARNs.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { policiesOfRole } from './role-policies';
import { ACCOUNT, REGION, Template as TemplateJson, TemplateResolver } from './template-resolver';

test('every way a template attaches a policy to a role is found, with ARNs resolved', () => {
  const stack = new Stack(undefined, 'S', { env: { account: ACCOUNT, region: REGION } });
  const queue = new sqs.Queue(stack, 'Queue', { queueName: 'jobs' });
  const ownManaged = new iam.ManagedPolicy(stack, 'Own', {
    statements: [new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] })],
  });
  const role = new iam.Role(stack, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    managedPolicies: [ownManaged, iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
    inlinePolicies: { Inline: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['sqs:GetQueueUrl'], resources: [queue.queueArn] })] }) },
  });
  queue.grantConsumeMessages(role);
  new iam.Role(stack, 'Other', { assumedBy: new iam.AccountRootPrincipal() }).addToPolicy(
    new iam.PolicyStatement({ actions: ['sqs:PurgeQueue'], resources: [queue.queueArn] }));

  const resolver = new TemplateResolver(Template.fromStack(stack).toJSON() as TemplateJson);
  const policies = policiesOfRole(resolver, stack.getLogicalId(role.node.defaultChild as iam.CfnRole));
  const actions = policies.flatMap((p) => p.policy.Statement.flatMap((s: any) => [s.Action].flat()));
  expect(actions.sort()).toEqual([
    'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents',
    'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage', 'sqs:SendMessage',
  ]);
  const resources = new Set(policies.flatMap((p) => p.policy.Statement.map((s: any) => s.Resource)));
  expect(resources).toEqual(new Set([`arn:aws:sqs:${REGION}:${ACCOUNT}:jobs`, '*']));
});

test('a managed policy the resolver has no copy of is named, never silently left out', () => {
  const stack = new Stack(undefined, 'S', { env: { account: ACCOUNT, region: REGION } });
  const role = new iam.Role(stack, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')],
  });
  const resolver = new TemplateResolver(Template.fromStack(stack).toJSON() as TemplateJson);
  expect(() => policiesOfRole(resolver, stack.getLogicalId(role.node.defaultChild as iam.CfnRole))).toThrow(/AdministratorAccess/);
});
