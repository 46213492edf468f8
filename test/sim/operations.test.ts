import {
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  AdminUpdateDeviceStatusCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  InvalidParameterException,
  ListUserPoolsCommand,
  ListUsersCommand,
  paginateListUserPools,
  paginateListUsers,
  UserNotFoundException,
  UserPoolDescriptionType,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoSimulator, simulatorClient } from './index';

let sim: CognitoSimulator;
let client: CognitoIdentityProviderClient;
let poolId: string;
const created = new Date('2025-01-01T00:00:00Z');

beforeAll(async () => {
  sim = await CognitoSimulator.start({ timeScale: 1000 });
  client = simulatorClient(sim, { maxAttempts: 1 });
  poolId = sim.seedPool({ region: 'eu-west-1', users: 50, name: 'customers', statusMix: { CONFIRMED: 1, RESET_REQUIRED: 1 }, disabledFraction: 0.3 });
  sim.addUser(poolId, {
    username: 'alice',
    attributes: [{ Name: 'email', Value: 'alice@example.org' }, { Name: 'name', Value: 'Alice "Al" Smith' }],
    devices: [{
      DeviceKey: 'eu-west-1_00000000-0000-4000-8000-000000000001',
      DeviceAttributes: [{ Name: 'device_name', Value: 'laptop' }, { Name: 'dev:device_remembered_status', Value: 'remembered' }],
      DeviceCreateDate: created,
    }],
  });
});
afterAll(async () => {
  client.destroy();
  await sim.stop();
});

async function usernames(filter: string, limit = 60): Promise<string[]> {
  const out: string[] = [];
  for await (const page of paginateListUsers({ client, pageSize: limit }, { UserPoolId: poolId, Filter: filter })) {
    out.push(...(page.Users ?? []).map((u) => u.Username!));
  }
  return out;
}

describe('ListUsers Filter', () => {
  test('username = and ^=', async () => {
    expect(await usernames('username = "user-000007"')).toEqual(['user-000007']);
    expect(await usernames('username ^= "user-00001"', 3)).toEqual(Array.from({ length: 10 }, (_, i) => `user-00001${i}`));
  });

  test('email, name with escaped quotes, and sub', async () => {
    expect(await usernames('email = "alice@example.org"')).toEqual(['alice']);
    expect(await usernames('name = "Alice \\"Al\\" Smith"')).toEqual(['alice']);
    const { sub } = sim.usersOf(poolId)[3];
    expect(await usernames(`sub = "${sub}"`)).toEqual([sim.usersOf(poolId)[3].username]);
  });

  test('cognito:user_status and status (Enabled / Disabled)', async () => {
    const users = sim.usersOf(poolId);
    const reset = users.filter((u) => u.status === 'RESET_REQUIRED').map((u) => u.username);
    const disabled = users.filter((u) => !u.enabled).map((u) => u.username);
    expect(reset.length).toBeGreaterThan(0);
    expect(disabled.length).toBeGreaterThan(0);
    expect(await usernames('cognito:user_status = "RESET_REQUIRED"', 5)).toEqual(reset);
    expect(await usernames('status = "Disabled"', 5)).toEqual(disabled);
  });

  test('AttributesToGet narrows the attributes', async () => {
    const { Users } = await client.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'username = "alice"', AttributesToGet: ['email'] }));
    expect(Users![0].Attributes).toEqual([{ Name: 'email', Value: 'alice@example.org' }]);
  });
});

describe('Username as a sub (AdminListDevices API reference: a local user\'s sub where username is not an alias)', () => {
  // A pool of its own: the other tests count the users of the shared one.
  let subPool: string;
  beforeAll(() => {
    subPool = sim.seedPool({ region: 'eu-west-1', users: 5, name: 'subs' });
  });
  const subOf = (username: string): string => sim.usersOf(subPool).find((u) => u.username === username)!.sub;

  test('AdminListDevices and AdminForgetDevice accept the sub of a local user', async () => {
    const alice = sim.usersOf(poolId).find((u) => u.username === 'alice')!.sub;
    const listed = await client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: alice }));
    expect(listed.Devices?.map((d) => d.DeviceKey)).toEqual(['eu-west-1_00000000-0000-4000-8000-000000000001']);
    sim.addUser(subPool, {
      username: 'carol',
      devices: [{ DeviceKey: 'eu-west-1_00000000-0000-4000-8000-00000000000c', DeviceAttributes: [], DeviceCreateDate: created }],
    });
    await client.send(new AdminForgetDeviceCommand({ UserPoolId: subPool, Username: subOf('carol'), DeviceKey: 'eu-west-1_00000000-0000-4000-8000-00000000000c' }));
    expect(sim.devicesOf(subPool, 'carol')).toEqual([]);
  });

  test('not the sub of a federated user, nor an unknown sub: UserNotFoundException', async () => {
    sim.addUser(subPool, { username: 'Google_1234', status: 'EXTERNAL_PROVIDER' });
    await expect(client.send(new AdminListDevicesCommand({ UserPoolId: subPool, Username: subOf('Google_1234') }))).rejects.toThrow(UserNotFoundException);
    await expect(client.send(new AdminListDevicesCommand({ UserPoolId: subPool, Username: 'Google_1234' }))).resolves.toBeDefined();
    await expect(client.send(new AdminListDevicesCommand({ UserPoolId: subPool, Username: '00000000-0000-4000-8000-0000000000ff' })))
      .rejects.toThrow(UserNotFoundException);
  });
});

test('AdminGetDevice returns a device added with addUser as given', async () => {
  const { Device } = await client.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'alice', DeviceKey: 'eu-west-1_00000000-0000-4000-8000-000000000001' }));
  expect(Device).toEqual({
    DeviceKey: 'eu-west-1_00000000-0000-4000-8000-000000000001',
    DeviceAttributes: [{ Name: 'device_name', Value: 'laptop' }, { Name: 'dev:device_remembered_status', Value: 'remembered' }],
    DeviceCreateDate: created,
  });
});

test('AdminUpdateDeviceStatus changes the remembered status and rejects unknown values', async () => {
  const DeviceKey = 'eu-west-1_00000000-0000-4000-8000-000000000001';
  await client.send(new AdminUpdateDeviceStatusCommand({ UserPoolId: poolId, Username: 'alice', DeviceKey, DeviceRememberedStatus: 'not_remembered' }));
  const [device] = sim.devicesOf(poolId, 'alice');
  expect(device.DeviceAttributes).toContainEqual({ Name: 'dev:device_remembered_status', Value: 'not_remembered' });
  expect(device.DeviceLastModifiedDate).toEqual(expect.any(Date));
  await expect(client.send(new AdminUpdateDeviceStatusCommand({ UserPoolId: poolId, Username: 'alice', DeviceKey, DeviceRememberedStatus: 'forgotten' as never })))
    .rejects.toBeInstanceOf(InvalidParameterException);
});

test('DescribeUserPool describes the pool', async () => {
  const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
  expect(UserPool).toMatchObject({
    Id: poolId,
    Name: 'customers',
    Arn: `arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${poolId}`,
    EstimatedNumberOfUsers: 51,
    CreationDate: expect.any(Date),
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: true },
  });
});

test('ListUserPools pages through the pools of the signed Region only', async () => {
  const more = Array.from({ length: 4 }, () => sim.seedPool({ region: 'eu-west-1', users: 0 }));
  sim.seedPool({ region: 'eu-central-1', users: 0 });
  const pools: UserPoolDescriptionType[] = [];
  for await (const page of paginateListUserPools({ client, pageSize: 2 }, { MaxResults: 2 })) pools.push(...page.UserPools ?? []);
  expect(pools.map((p) => p.Id)).toEqual(sim.poolIds.filter((id) => id.startsWith('eu-west-1_')));
  expect(pools.map((p) => p.Id)).toEqual(expect.arrayContaining([poolId, ...more]));
  await expect(client.send(new ListUserPoolsCommand({ MaxResults: 61 }))).rejects.toBeInstanceOf(InvalidParameterException);
});
