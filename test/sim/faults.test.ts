import {
  AdminForgetDeviceCommand,
  AdminListDevicesCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  ListUsersCommandOutput,
  ResourceNotFoundException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoSimulator, simulatorClient } from './index';

let sim: CognitoSimulator;
let client: CognitoIdentityProviderClient;

beforeAll(async () => {
  sim = await CognitoSimulator.start({ timeScale: 1000, seed: 7 });
  client = simulatorClient(sim, { maxAttempts: 1 });
});
afterEach(() => sim.setFaults({}));
afterAll(async () => {
  client.destroy();
  await sim.stop();
});

async function userPages(poolId: string, limit: number): Promise<ListUsersCommandOutput[]> {
  const pages: ListUsersCommandOutput[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListUsersCommand({ UserPoolId: poolId, Limit: limit, PaginationToken: token }));
    pages.push(page);
    token = page.PaginationToken;
  } while (token);
  return pages;
}

test('empty and short pages come with a token, and following tokens still lists every user once', async () => {
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 300 });
  sim.setFaults({ emptyPageRate: 0.3, shortPageRate: 0.3 });

  const pages = await userPages(poolId, 10);

  const usernames = pages.flatMap((p) => p.Users ?? []).map((u) => u.Username);
  expect(usernames).toEqual(sim.usersOf(poolId).map((u) => u.username));
  const withToken = pages.filter((p) => p.PaginationToken);
  expect(withToken.some((p) => p.Users!.length === 0)).toBe(true);
  expect(withToken.some((p) => p.Users!.length > 0 && p.Users!.length < 10)).toBe(true);
});

test('empty and short device pages come with a token too', async () => {
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 1, devicesPerUser: 120 });
  sim.setFaults({ emptyPageRate: 0.3, shortPageRate: 0.3, operations: ['AdminListDevices'] });
  const sizes: number[] = [];
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'user-000000', Limit: 10, PaginationToken: token }));
    token = page.PaginationToken;
    if (token) sizes.push(page.Devices!.length);
    keys.push(...page.Devices!.map((d) => d.DeviceKey!));
  } while (token);
  expect(keys).toEqual(sim.devicesOf(poolId, 'user-000000').map((d) => d.DeviceKey));
  expect(sizes).toContain(0);
  expect(sizes.some((n) => n > 0 && n < 10)).toBe(true);
});

test('users vanish right after ListUsers returned them; later calls for them get UserNotFoundException', async () => {
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 40, devicesPerUser: 1 });
  sim.setFaults({ vanishUserRate: 0.5 });
  const listed = (await userPages(poolId, 60)).flatMap((p) => p.Users ?? []).map((u) => u.Username!);
  sim.setFaults({});

  const remaining = new Set(sim.usersOf(poolId).map((u) => u.username));
  expect(listed).toHaveLength(40);
  expect(remaining.size).toBeGreaterThan(0);
  expect(remaining.size).toBeLessThan(40);
  const vanished = listed.find((u) => !remaining.has(u))!;
  await expect(client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: vanished })))
    .rejects.toBeInstanceOf(UserNotFoundException);
  expect(sim.devicesOf(poolId, vanished)).toEqual([]);
});

test('devices vanish right after AdminListDevices returned them; forgetting them gets ResourceNotFoundException', async () => {
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 1, devicesPerUser: 30 });
  sim.setFaults({ vanishDeviceRate: 0.5 });
  const { Devices } = await client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'user-000000' }));
  sim.setFaults({});

  const remaining = new Set(sim.devicesOf(poolId, 'user-000000').map((d) => d.DeviceKey));
  expect(Devices).toHaveLength(30);
  expect(remaining.size).toBeGreaterThan(0);
  expect(remaining.size).toBeLessThan(30);
  const gone = Devices!.find((d) => !remaining.has(d.DeviceKey!))!;
  await expect(client.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'user-000000', DeviceKey: gone.DeviceKey })))
    .rejects.toBeInstanceOf(ResourceNotFoundException);
});

test('a throttle rate throttles about that share of calls and counts them', async () => {
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 1 });
  sim.resetStats();
  sim.setFaults({ throttleRate: 0.5 });
  for (let i = 0; i < 100; i++) {
    await client.send(new ListUsersCommand({ UserPoolId: poolId })).catch(() => undefined);
  }
  const { calls, throttled, succeeded } = sim.stats.operations.ListUsers;
  expect(calls).toBe(100);
  expect(throttled).toBeGreaterThan(25);
  expect(throttled).toBeLessThan(75);
  expect(succeeded).toBe(100 - throttled);
});
