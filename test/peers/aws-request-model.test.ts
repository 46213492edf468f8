/**
 * Every request the engine builds (listing users, listing devices, forgetting) is checked against
 * Amazon's model of the Cognito user pools API while the engine sweeps the simulator.
 */
import { createSweepClient, DeviceSelection, sweepDevices } from '../../src/sweep';
import { CognitoSimulator } from '../sim';
import { CheckedRequest, checkRequestsAgainstModel, requestViolation } from './aws-request-model';
import { DAY_SECONDS, scaledBudget } from '../sweep/fixture';

const TIME_SCALE = 50;
const NOW = Date.UTC(2026, 5, 1);
let sim: CognitoSimulator;

beforeEach(async () => {
  sim = await CognitoSimulator.start({ timeScale: TIME_SCALE, latencyMs: { min: 1, max: 2 }, seed: 11 });
});
afterEach(async () => {
  await sim.stop();
});

async function sweepChecked(selection: DeviceSelection, extra: { dryRun?: boolean; onlyRemembered?: boolean } = {}): Promise<CheckedRequest[]> {
  // More than one page of users (60) and users with more than one page of devices (60).
  const userPoolId = sim.seedPool({ region: 'eu-west-1', users: 75, devicesPerUser: { min: 0, max: 62 }, maxAgeDays: 200, now: new Date(NOW) });
  const seen: CheckedRequest[] = [];
  await sweepDevices({
    userPoolIds: [userPoolId],
    selection,
    ...extra,
    rateBudget: scaledBudget(TIME_SCALE, 1),
    now: () => NOW,
    clientFor: (region) => checkRequestsAgainstModel(createSweepClient(region, { endpoint: sim.endpoint }), seen),
  });
  return seen;
}

function summary(seen: readonly CheckedRequest[]): { operations: string[]; violations: string[] } {
  return {
    operations: [...new Set(seen.map((r) => r.operation))].sort(),
    violations: [...new Set(seen.flatMap((r) => (r.violation ? [r.violation] : [])))],
  };
}

describe('the engine\'s requests match the Cognito API model', () => {
  test('a staleness sweep: ListUsers, AdminListDevices and AdminForgetDevice', async () => {
    expect(summary(await sweepChecked({ kind: 'stale', staleAfterSeconds: 90 * DAY_SECONDS }))).toEqual({
      operations: ['AdminForgetDevice', 'AdminListDevices', 'ListUsers'],
      violations: [],
    });
  });

  test('a dry run of only remembered devices', async () => {
    expect(summary(await sweepChecked({ kind: 'stale', staleAfterSeconds: 30 * DAY_SECONDS }, { dryRun: true, onlyRemembered: true }))).toEqual({
      operations: ['AdminListDevices', 'ListUsers'],
      violations: [],
    });
  });

  test('named users and every device', async () => {
    const named = summary(await sweepChecked({ kind: 'users', usernames: ['user-000001', 'user-000002', 'nobody'] }));
    expect(named).toEqual({ operations: ['AdminForgetDevice', 'AdminListDevices'], violations: [] });
    expect(summary(await sweepChecked({ kind: 'all' })).violations).toEqual([]);
  });
});

describe('the engine asks for full pages', () => {
  // Limit is optional in the model, so only this catches a dropped Limit: every listing would then
  // come in the service's default page size and cost more calls of a scarce quota. 60 is the
  // documented maximum of both operations (the minified model has no max; see the Limit parameter in
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ListUsers.html and
  // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminListDevices.html).
  test('every ListUsers and AdminListDevices request has Limit 60', async () => {
    const listings = (await sweepChecked({ kind: 'all' }, { dryRun: true })).filter((r) => r.operation !== 'AdminForgetDevice');
    expect(new Set(listings.map((r) => r.operation))).toEqual(new Set(['ListUsers', 'AdminListDevices']));
    expect(listings.filter((r) => r.input.Limit !== 60)).toEqual([]);
  });
});

describe('the model check can fail', () => {
  test.each([
    ['a missing required member', 'AdminListDevices', { UserPoolId: 'eu-west-1_Abc', Limit: 60 }, /Missing required key 'Username'/],
    ['a misspelt member', 'AdminListDevices', { UserPoolId: 'eu-west-1_Abc', Username: 'u', MaxResults: 60 }, /Unexpected key 'MaxResults'/],
    ['a wrong type', 'ListUsers', { UserPoolId: 'eu-west-1_Abc', AttributesToGet: 'email' }, /Expected params.AttributesToGet to be an Array/],
    ['an operation Cognito does not have', 'AdminForgetDevices', { UserPoolId: 'eu-west-1_Abc' }, /not an operation/],
  ])('%s', (_name, operation, input, message) => {
    expect(requestViolation(operation, input)).toMatch(message);
  });

  test('well-formed requests pass', () => {
    expect(requestViolation('AdminForgetDevice', { UserPoolId: 'eu-west-1_Abc', Username: 'u', DeviceKey: 'eu-west-1_x' })).toBeUndefined();
  });
});
