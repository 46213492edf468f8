import {
  AdminForgetDeviceCommand,
  AdminListDevicesCommand,
  CognitoIdentityProviderClient,
  DeviceType,
  ListUsersCommand,
  paginateListUsers,
  UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoSimulator, simulatorClient } from './index';

let sim: CognitoSimulator;
let client: CognitoIdentityProviderClient;

beforeAll(async () => {
  sim = await CognitoSimulator.start({ timeScale: 1000 });
  client = simulatorClient(sim);
});
afterAll(async () => {
  client.destroy();
  await sim.stop();
});

async function listAllUsers(poolId: string, filter?: string, limit?: number): Promise<UserType[]> {
  const users: UserType[] = [];
  for await (const page of paginateListUsers({ client, pageSize: limit }, { UserPoolId: poolId, Filter: filter })) {
    users.push(...page.Users ?? []);
  }
  return users;
}

async function listAllDevices(poolId: string, username: string, limit?: number): Promise<DeviceType[]> {
  const devices: DeviceType[] = [];
  let token: string | undefined;
  do {
    // AdminListDevices has no SDK paginator.
    const page = await client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: username, Limit: limit, PaginationToken: token }));
    devices.push(...page.Devices ?? []);
    token = page.PaginationToken;
  } while (token);
  return devices;
}

test('paging ListUsers to the end returns exactly the seeded users', async () => {
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 250 });

  const users = await listAllUsers(poolId, undefined, 7);

  expect(users.map((u) => u.Username)).toEqual(sim.usersOf(poolId).map((u) => u.username));
  expect(new Set(users.map((u) => u.Username)).size).toBe(250);
  expect(users[0]).toMatchObject({ Enabled: true, UserStatus: 'CONFIRMED', UserCreateDate: expect.any(Date) });
});

test('paging AdminListDevices to the end returns exactly the seeded devices, across pages of 60', async () => {
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 3, devicesPerUser: { min: 61, max: 150 } });

  for (const { username } of sim.usersOf(poolId)) {
    const devices = await listAllDevices(poolId, username);
    expect(devices).toEqual(sim.devicesOf(poolId, username));
    expect(devices.length).toBeGreaterThan(60);
  }
});

test('devices carry the wire shape the SDK deserializes: key, attributes and Dates', async () => {
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 1, devicesPerUser: 40, undatedFraction: 0.5, notRememberedFraction: 0.5 });
  const devices = await listAllDevices(poolId, 'user-000000');

  expect(devices[0].DeviceKey).toMatch(/^eu-west-1_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const remembered = devices.map((d) => d.DeviceAttributes?.find((a) => a.Name === 'dev:device_remembered_status')?.Value);
  expect(remembered).toContain('remembered');
  expect(remembered).toContain('not_remembered');
  expect(devices.some((d) => !d.DeviceCreateDate && !d.DeviceLastModifiedDate && !d.DeviceLastAuthenticatedDate)).toBe(true);
  expect(devices.some((d) => d.DeviceLastAuthenticatedDate instanceof Date)).toBe(true);
});

test('Limit 0 means 60 and a full page carries a token', async () => {
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 61 });
  const first = await client.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 0 }));
  expect(first.Users).toHaveLength(60);
  expect(first.PaginationToken).toEqual(expect.any(String));
  const second = await client.send(new ListUsersCommand({ UserPoolId: poolId, PaginationToken: first.PaginationToken }));
  expect(second.Users).toHaveLength(1);
  expect(second.PaginationToken).toBeUndefined();
});

test('deleting users during a listing never skips the ones after them', async () => {
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 100 });
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 10, PaginationToken: token }));
    for (const u of page.Users ?? []) {
      seen.push(u.Username!);
      sim.removeUser(poolId, u.Username!); // every user listed so far disappears
    }
    token = page.PaginationToken;
  } while (token);
  expect(seen).toHaveLength(100);
  expect(sim.usersOf(poolId)).toHaveLength(0);
});

test('AdminForgetDevice removes the device from later listings', async () => {
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 1, devicesPerUser: 5 });
  const [first, ...rest] = await listAllDevices(poolId, 'user-000000');

  await client.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'user-000000', DeviceKey: first.DeviceKey }));

  expect((await listAllDevices(poolId, 'user-000000')).map((d) => d.DeviceKey)).toEqual(rest.map((d) => d.DeviceKey));
  expect(sim.devicesOf(poolId, 'user-000000').map((d) => d.DeviceKey)).not.toContain(first.DeviceKey);
});

test('forgetting devices during a device listing never skips the ones after them', async () => {
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 1, devicesPerUser: 25 });
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'user-000000', Limit: 4, PaginationToken: token }));
    for (const d of page.Devices ?? []) {
      seen.push(d.DeviceKey!);
      await client.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'user-000000', DeviceKey: d.DeviceKey }));
    }
    token = page.PaginationToken;
  } while (token);
  expect(seen).toHaveLength(25);
  expect(sim.devicesOf(poolId, 'user-000000')).toEqual([]);
});

test('UNCONFIRMED users have no devices and the status mix is applied', async () => {
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 400, statusMix: { CONFIRMED: 0.5, UNCONFIRMED: 0.5 }, devicesPerUser: 2 });
  const users = sim.usersOf(poolId);
  const unconfirmed = users.filter((u) => u.status === 'UNCONFIRMED');
  expect(unconfirmed.length).toBeGreaterThan(100);
  expect(unconfirmed.length).toBeLessThan(300);
  expect(unconfirmed.every((u) => u.deviceCount === 0)).toBe(true);
  expect(users.filter((u) => u.status === 'CONFIRMED').every((u) => u.deviceCount === 2)).toBe(true);
});

test('the same seed gives the same pool', async () => {
  const other = await CognitoSimulator.start({ seed: 1 });
  try {
    const mine = await CognitoSimulator.start({ seed: 1 });
    try {
      const a = other.seedPool({ region: 'eu-west-1', users: 20 });
      const b = mine.seedPool({ region: 'eu-west-1', users: 20 });
      expect(a).toBe(b);
      expect(other.allDevices(a).map((d) => d.device.DeviceKey)).toEqual(mine.allDevices(b).map((d) => d.device.DeviceKey));
    } finally {
      await mine.stop();
    }
  } finally {
    await other.stop();
  }
});
