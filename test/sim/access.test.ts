/** The simulator's stand-ins for a caller that may not do everything: IAM denials and refused credentials, seen through the real SDK. */
import { AdminListDevicesCommand, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoSimulator, simulatorClient } from './index';

let sim: CognitoSimulator;
let poolId: string;
let otherPool: string;

beforeAll(async () => {
  sim = await CognitoSimulator.start({ timeScale: 1000 });
  poolId = sim.seedPool({ region: 'eu-west-1', users: 2, devicesPerUser: 1 });
  otherPool = sim.seedPool({ region: 'eu-west-1', users: 2, devicesPerUser: 1 });
});
beforeEach(() => {
  sim.setAccess({});
  sim.resetStats();
});
afterAll(async () => sim.stop());

async function failure(send: () => Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await send();
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded');
}

test('a denied operation answers AccessDeniedException (HTTP 400) naming the action and the pool ARN, before any quota', async () => {
  const client = simulatorClient(sim, { maxAttempts: 1 });
  sim.setAccess({ deny: ['AdminListDevices'] });
  const username = sim.usersOf(poolId)[0].username;
  const denied = await failure(() => client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: username })));
  expect(denied).toEqual({
    name: 'AccessDeniedException',
    status: 400,
    message: 'User: arn:aws:sts::123456789012:assumed-role/sweeper/session is not authorized to perform: cognito-idp:AdminListDevices ' +
      `on resource: arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${poolId} because no identity-based policy allows the cognito-idp:AdminListDevices action`,
  });
  // Other operations are allowed.
  await client.send(new ListUsersCommand({ UserPoolId: poolId }));
  expect(sim.stats.operations.AdminListDevices).toEqual({ calls: 1, succeeded: 0, throttled: 0, errors: 1, refused: 1 });
  expect(sim.stats.operations.ListUsers.refused).toBe(0);
  client.destroy();
});

test('denyPools limits the denial to the pools named', async () => {
  const client = simulatorClient(sim, { maxAttempts: 1 });
  sim.setAccess({ deny: ['ListUsers'], denyPools: [poolId] });
  expect((await failure(() => client.send(new ListUsersCommand({ UserPoolId: poolId })))).name).toBe('AccessDeniedException');
  const listed = await client.send(new ListUsersCommand({ UserPoolId: otherPool }));
  expect(listed.Users).toHaveLength(2);
  client.destroy();
});

test.each([
  ['expired', 'ExpiredTokenException', 'The security token included in the request is expired'],
  ['unrecognized', 'UnrecognizedClientException', 'The security token included in the request is invalid.'],
] as const)('%s credentials are refused on every call with %s, not retried by the SDK', async (credentials, name, message) => {
  const client = simulatorClient(sim);
  sim.setAccess({ credentials });
  expect(await failure(() => client.send(new ListUsersCommand({ UserPoolId: poolId })))).toEqual({ name, message, status: 400 });
  expect(sim.stats.operations.ListUsers).toMatchObject({ calls: 1, refused: 1 });
  client.destroy();
});

test('an unknown operation name is refused by setAccess', () => {
  expect(() => sim.setAccess({ deny: ['AdminDeleteUser' as never] })).toThrow(/unknown operation 'AdminDeleteUser'/);
});
