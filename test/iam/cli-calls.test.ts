/**
 * The CLI has no role of its own: its users grant one with UserPoolDeviceGrants. Its calls, recorded
 * while it sweeps the simulator, must be allowed by `sweepDevices()` (and, for --dry-run, by
 * `scanDevices()`) on the pool given, and denied on another pool.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { callFindings } from './call-findings';
import { policiesOfRole } from './role-policies';
import { TemplateResolver } from './template-resolver';
import { UserPoolDeviceGrants } from '../../src/grants';
import { runCliBundle } from '../deployed/cli-bundle';
import { synthesize } from '../deployed/stacks';
import { startWorld, World } from '../deployed/world';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => world.stop());

function roleWith(id: string, grant: (grants: UserPoolDeviceGrants, role: iam.Role) => void, userPoolId: string) {
  let roleLogicalId = '';
  const { template, userPoolLogicalId } = synthesize((stack: Stack, userPool) => {
    const role = new iam.Role(stack, id, { assumedBy: new iam.AccountRootPrincipal() });
    grant(UserPoolDeviceGrants.fromUserPool(userPool), role);
    roleLogicalId = stack.getLogicalId(role.node.defaultChild as iam.CfnRole);
  });
  const resolver = new TemplateResolver(template, { [userPoolLogicalId]: userPoolId });
  return { roleLogicalId, policies: policiesOfRole(resolver, roleLogicalId) };
}

test.each([
  ['sweepDevices()', [] as string[], (g: UserPoolDeviceGrants, r: iam.Role) => g.sweepDevices(r),
    ['cognito-idp:ListUsers', 'cognito-idp:AdminListDevices', 'cognito-idp:AdminForgetDevice']],
  ['scanDevices() for --dry-run', ['--dry-run'], (g: UserPoolDeviceGrants, r: iam.Role) => g.scanDevices(r),
    ['cognito-idp:ListUsers', 'cognito-idp:AdminListDevices']],
])('the CLI on %s', async (_name, flags, grant, actions) => {
  const userPoolId = world.sim.seedPool({ region: 'eu-west-1', users: 6, devicesPerUser: 2, maxAgeDays: 365 });
  const { roleLogicalId, policies } = roleWith(_name.replace(/\W/g, ''), grant, userPoolId);
  const run = await runCliBundle(['--user-pool-id', userPoolId, '--stale-after', '90d', '--endpoint-url', world.gateway.endpoint, '--json', ...flags],
    { accessKeyId: roleLogicalId });
  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout).pools[0]).toMatchObject({ userPoolId, usersScanned: 6, errors: 0 });

  const { calls, problems } = await callFindings(world.gateway.requestsOf(roleLogicalId), roleLogicalId, policies);
  expect(problems).toEqual([]);
  expect(new Set(calls.map((c) => c.action))).toEqual(new Set(actions));
});
