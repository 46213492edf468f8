/**
 * The simulator's provisioned limits: GetProvisionedLimit through the real SDK (JSON 1.1,
 * `AWSCognitoIdentityProviderService.GetProvisionedLimit`), per-account raised limits that its
 * quota buckets enforce, the LimitManagement category, and a denial for one account.
 */
import { GetProvisionedLimitCommand, GetProvisionedLimitCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoSimulator, DEFAULT_ACCOUNT_ID, simulatorClient } from './index';

const OTHER_ACCOUNT = '210987654321';

let sim: CognitoSimulator;
let now = 0;
beforeEach(async () => {
  now = 0;
  // A manual clock: bucket admission is exact on any machine.
  sim = await CognitoSimulator.start({ timeScale: 2, clock: () => now });
});
afterEach(async () => sim.stop());

function read(category: string, limitClass = 'API_CATEGORY'): Promise<GetProvisionedLimitCommandOutput> {
  const client = simulatorClient(sim, { maxAttempts: 1 });
  return client.send(new GetProvisionedLimitCommand({
    LimitDefinition: { LimitClass: limitClass as 'API_CATEGORY', Attributes: { Category: category } },
  })).finally(() => client.destroy());
}

async function errorOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return (error as Error).name;
  }
  throw new Error('the call succeeded');
}

test('GetProvisionedLimit answers the default as both values, times the time scale, for an account that raised nothing', async () => {
  const answer = await read('UserResourceRead');
  expect(answer.Limit).toEqual({
    LimitDefinition: { LimitClass: 'API_CATEGORY', Attributes: { Category: 'UserResourceRead' } },
    ProvisionedLimitValue: 100,
    FreeLimitValue: 100,
  });
  // A category that cannot be raised: its default.
  expect((await read('UserResourceUpdate')).Limit?.ProvisionedLimitValue).toBe(50);
  expect(sim.provisionedLimitCalls()).toEqual([
    { accountId: DEFAULT_ACCOUNT_ID, region: 'eu-west-1', category: 'UserResourceRead', atMs: 0, outcome: 'answered' },
    { accountId: DEFAULT_ACCOUNT_ID, region: 'eu-west-1', category: 'UserResourceUpdate', atMs: 0, outcome: 'answered' },
  ]);
});

test('a raised limit is reported for its account only, and that account\'s bucket runs at it', async () => {
  sim.setProvisionedLimit(DEFAULT_ACCOUNT_ID, 'UserResourceRead', 200);
  expect((await read('UserResourceRead')).Limit).toMatchObject({ ProvisionedLimitValue: 400, FreeLimitValue: 100 });
  expect(sim.limitOf(DEFAULT_ACCOUNT_ID, 'eu-west-1', 'UserResourceRead')).toBe(200);
  expect(sim.limitOf(OTHER_ACCOUNT, 'eu-west-1', 'UserResourceRead')).toBe(50);

  // One second of the manual clock: the bucket holds one second of burst, then refills at the rate.
  const admitted = (account: string): number => {
    let n = 0;
    for (let i = 0; i < 2000; i++) if (sim.admitExternalCall('eu-west-1', 'UserResourceRead', account)) n++;
    return n;
  };
  expect(admitted(DEFAULT_ACCOUNT_ID)).toBe(400);
  expect(admitted(OTHER_ACCOUNT)).toBe(100);
  now += 1000;
  expect(admitted(DEFAULT_ACCOUNT_ID)).toBe(400);
  expect(admitted(OTHER_ACCOUNT)).toBe(100);
});

test('a limit raised in one Region only leaves the other Regions at the default', () => {
  sim.setProvisionedLimit(DEFAULT_ACCOUNT_ID, 'UserResourceRead', 120, 'us-east-1');
  expect(sim.limitOf(DEFAULT_ACCOUNT_ID, 'us-east-1', 'UserResourceRead')).toBe(120);
  expect(sim.limitOf(DEFAULT_ACCOUNT_ID, 'eu-west-1', 'UserResourceRead')).toBe(50);
});

test('only adjustable categories can be raised, and not below their default', () => {
  expect(() => sim.setProvisionedLimit(DEFAULT_ACCOUNT_ID, 'UserResourceUpdate', 100)).toThrow(/UserResourceUpdate cannot be raised/);
  expect(() => sim.setProvisionedLimit(DEFAULT_ACCOUNT_ID, 'UserList', 100)).toThrow(/cannot be raised/);
  expect(() => sim.setProvisionedLimit(DEFAULT_ACCOUNT_ID, 'UserResourceRead', 40)).toThrow(/at least its default 50/);
});

test('LimitManagement allows 1 request/s (times the time scale): a third call within the second is throttled', async () => {
  // Scale 2: two per second, and a burst of two.
  await read('UserResourceRead');
  await read('UserResourceRead');
  expect(await errorOf(read('UserResourceRead'))).toBe('TooManyRequestsException');
  now += 500;
  await read('UserResourceRead');
  expect(sim.provisionedLimitCalls().map((c) => c.outcome)).toEqual(['answered', 'answered', 'TooManyRequestsException', 'answered']);
  expect(sim.stats.operations.GetProvisionedLimit).toEqual({ calls: 4, succeeded: 3, throttled: 1, errors: 0, refused: 0 });
});

test('bad requests: another LimitClass, or an unknown category, are InvalidParameterException', async () => {
  expect(await errorOf(read('UserResourceRead', 'SOMETHING_ELSE'))).toBe('InvalidParameterException');
  now += 1000;
  expect(await errorOf(read('NoSuchCategory'))).toBe('InvalidParameterException');
});

test('setAccess denies GetProvisionedLimit for the accounts named: AccessDeniedException without a resource', async () => {
  sim.setAccess({ deny: ['GetProvisionedLimit'], denyAccounts: [DEFAULT_ACCOUNT_ID] });
  const client = simulatorClient(sim, { maxAttempts: 1 });
  try {
    await client.send(new GetProvisionedLimitCommand({ LimitDefinition: { LimitClass: 'API_CATEGORY', Attributes: { Category: 'UserResourceRead' } } }));
    throw new Error('the call succeeded');
  } catch (error) {
    expect((error as Error).name).toBe('AccessDeniedException');
    expect((error as Error).message).toBe(`User: arn:aws:sts::${DEFAULT_ACCOUNT_ID}:assumed-role/sweeper/session is not authorized to perform: `
      + 'cognito-idp:GetProvisionedLimit because no identity-based policy allows the cognito-idp:GetProvisionedLimit action');
  } finally {
    client.destroy();
  }
  expect(sim.provisionedLimitCalls()[0].outcome).toBe('AccessDeniedException');
  // Another account's callers are not denied.
  sim.setAccess({ deny: ['GetProvisionedLimit'], denyAccounts: [OTHER_ACCOUNT] });
  expect((await read('UserResourceRead')).Limit?.ProvisionedLimitValue).toBe(100);
});
