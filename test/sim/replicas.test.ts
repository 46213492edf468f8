/**
 * Multi-Region replicas in the simulator: a pool seeded in its primary's Region with secondary
 * replicas answers administration calls signed for its primary's Region only; signed for a
 * replica's Region they answer OperationNotEnabledException, as Cognito's secondary replicas do.
 */
import { AdminListDevicesCommand, DescribeUserPoolCommand, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoSimulator, DEFAULT_ACCOUNT_ID, simulatorClient } from './index';

let sim: CognitoSimulator;
let poolId: string;

beforeAll(async () => {
  sim = await CognitoSimulator.start({ timeScale: 1000 });
  poolId = sim.seedPool({ region: 'us-east-1', users: 3, devicesPerUser: 1, replicaRegions: ['us-west-2'] });
});
beforeEach(() => sim.resetStats());
afterAll(async () => sim.stop());

async function failure(send: () => Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await send();
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('the call succeeded');
}

test('a replica\'s ARN names its own Region and the pool id of the primary', () => {
  expect(sim.replicaArn(poolId, 'us-west-2')).toBe(`arn:aws:cognito-idp:us-west-2:${DEFAULT_ACCOUNT_ID}:userpool/${poolId}`);
  expect(sim.poolArn(poolId)).toBe(`arn:aws:cognito-idp:us-east-1:${DEFAULT_ACCOUNT_ID}:userpool/${poolId}`);
  expect(() => sim.replicaArn(poolId, 'eu-west-1')).toThrow(`replicaArn: ${poolId} has no replica in eu-west-1`);
  expect(() => sim.seedPool({ region: 'eu-west-1', users: 1, replicaRegions: ['eu-west-1'] })).toThrow('is the primary\'s Region');
});

test('administration calls are served in the primary\'s Region', async () => {
  const client = simulatorClient(sim, { region: 'us-east-1', maxAttempts: 1 });
  const users = await client.send(new ListUsersCommand({ UserPoolId: poolId }));
  expect(users.Users).toHaveLength(3);
  const devices = await client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: users.Users![0].Username! }));
  expect(devices.Devices).toHaveLength(1);
  expect(sim.callsBySignedRegion(poolId)).toEqual(new Map([['us-east-1', 2]]));
});

test('signed for the replica\'s Region they answer OperationNotEnabledException; for a Region of neither, ResourceNotFoundException', async () => {
  const replica = simulatorClient(sim, { region: 'us-west-2', maxAttempts: 1 });
  const username = sim.usersOf(poolId)[0].username;
  for (const send of [
    () => replica.send(new ListUsersCommand({ UserPoolId: poolId })),
    () => replica.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: username })),
    () => replica.send(new DescribeUserPoolCommand({ UserPoolId: poolId })),
  ]) {
    expect(await failure(send)).toEqual({
      name: 'OperationNotEnabledException',
      message: expect.stringContaining('a secondary replica Region of this user pool: call its primary Region'),
    });
  }
  const elsewhere = simulatorClient(sim, { region: 'eu-west-1', maxAttempts: 1 });
  expect((await failure(() => elsewhere.send(new ListUsersCommand({ UserPoolId: poolId })))).name).toBe('ResourceNotFoundException');
  expect(sim.callsBySignedRegion(poolId)).toEqual(new Map([['us-west-2', 3], ['eu-west-1', 1]]));
});
