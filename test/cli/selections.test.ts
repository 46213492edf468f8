/**
 * The CLI's selections besides staleness: the trust lifetime (--max-device-age) and the incident
 * selections (--username, --users-file, --all-devices), against the simulator through the real SDK.
 */
import { writeFileSync } from 'fs';
import { problemLines, runCliCaptured, TIME_SCALE, useCliWorkspace } from './cli-harness';
import { useFreshSimulator } from '../sim';

const DAY_MS = 86_400_000;

const workspace = useCliWorkspace('cli-selections-');
const sim = useFreshSimulator({ timeScale: TIME_SCALE, seed: 3 });

function seed(users = 80): string {
  return sim.seedPool({ region: 'eu-west-1', users, statusMix: { CONFIRMED: 1 }, devicesPerUser: { min: 1, max: 4 }, maxAgeDays: 365 });
}

/** Device keys per user, from the simulator's own state. */
function keysOf(poolId: string, usernames: readonly string[]): string[] {
  return usernames.flatMap((name) => sim.devicesOf(poolId, name).map((d) => d.DeviceKey)).sort();
}

function allKeys(poolId: string): string[] {
  return sim.allDevices(poolId).map((d) => d.device.DeviceKey).sort();
}

function withDevices(poolId: string): string[] {
  return sim.usersOf(poolId).filter((u) => u.deviceCount > 0).map((u) => u.username);
}

test('--username (repeated) forgets exactly those users\' devices, without listing the pool', async () => {
  const poolId = seed();
  const [alice, bob, ...others] = withDevices(poolId);
  const theirs = keysOf(poolId, [alice, bob]);
  const othersBefore = keysOf(poolId, others);

  const run = await runCliCaptured(['--user-pool-id', poolId, '--username', alice, '--username', bob, '--json', '--endpoint-url', sim.endpoint]);

  expect(run.status).toBe(0);
  expect(keysOf(poolId, [alice, bob])).toEqual([]);
  expect(keysOf(poolId, others)).toEqual(othersBefore);
  const report = JSON.parse(run.stdout);
  expect(report).toMatchObject({ dryRun: false, selection: 'users', usersNamed: 2, capped: false });
  expect(report.pools[0]).toMatchObject({ usersScanned: 2, devicesForgotten: theirs.length, errors: 0 });
  expect(sim.stats.operation('ListUsers').calls).toBe(0);
  // Usernames are personal data: the report counts them, it does not print them.
  expect(run.stdout).not.toContain(alice);
});

test('--users-file (one per line, blanks ignored) together with --username; an unknown user is no error', async () => {
  const poolId = seed();
  const [a, b, c, ...others] = withDevices(poolId);
  const file = workspace.file('users.txt');
  writeFileSync(file, `${a}\r\n\n  ${b}  \nnobody-by-this-name\n`);
  const othersBefore = keysOf(poolId, others);

  const run = await runCliCaptured(['--user-pool-id', poolId, '--users-file', file, '--username', c, '--json', '--endpoint-url', sim.endpoint]);

  expect(problemLines(run).filter((line) => !line.startsWith('['))).toEqual([]);
  expect(run.status).toBe(0);
  expect(keysOf(poolId, [a, b, c])).toEqual([]);
  expect(keysOf(poolId, others)).toEqual(othersBefore);
  expect(JSON.parse(run.stdout)).toMatchObject({ selection: 'users', usersNamed: 4 });
});

test('--dry-run with --username counts the devices and forgets none', async () => {
  const poolId = seed();
  const [alice] = withDevices(poolId);
  const before = allKeys(poolId);

  const run = await runCliCaptured(['--user-pool-id', poolId, '--username', alice, '--dry-run', '--json', '--endpoint-url', sim.endpoint]);

  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout).pools[0]).toMatchObject({ devicesStale: keysOf(poolId, [alice]).length, devicesForgotten: 0 });
  expect(allKeys(poolId)).toEqual(before);
  expect(sim.stats.operation('AdminForgetDevice').calls).toBe(0);
});

test('--all-devices forgets every device of the pool; --max-forgets caps it with exit 3', async () => {
  const poolId = seed(40);
  const total = allKeys(poolId).length;

  const capped = await runCliCaptured(['--user-pool-id', poolId, '--all-devices', '--max-forgets', '7', '--json', '--endpoint-url', sim.endpoint]);
  expect(capped.status).toBe(3);
  expect(JSON.parse(capped.stdout)).toMatchObject({ selection: 'all', capped: true });
  expect(allKeys(poolId)).toHaveLength(total - 7);

  const run = await runCliCaptured(['--user-pool-id', poolId, '--all-devices', '--json', '--endpoint-url', sim.endpoint]);
  expect(run.status).toBe(0);
  expect(allKeys(poolId)).toEqual([]);
  expect(JSON.parse(run.stdout).pools[0].devicesForgotten).toBe(total - 7);
});

test('--max-device-age forgets exactly the devices created before the limit, used yesterday or not', async () => {
  const poolId = seed();
  const now = Date.now();
  const old = sim.allDevices(poolId)
    .filter(({ device }) => device.DeviceCreateDate !== undefined && now - device.DeviceCreateDate.getTime() > 60 * DAY_MS);
  const recentlyUsed = old.filter(({ device }) => now - (device.DeviceLastAuthenticatedDate?.getTime() ?? 0) < 30 * DAY_MS);
  expect(recentlyUsed.length).toBeGreaterThan(3); // staleness alone would keep these
  const expected = allKeys(poolId).filter((key) => !old.some(({ device }) => device.DeviceKey === key));

  const run = await runCliCaptured(['--user-pool-id', poolId, '--max-device-age', '60d', '--json', '--endpoint-url', sim.endpoint]);

  expect(run.status).toBe(0);
  expect(allKeys(poolId)).toEqual(expected);
  expect(JSON.parse(run.stdout)).toMatchObject({ maxDeviceAgeSeconds: 60 * 86_400 });
  expect(JSON.parse(run.stdout).staleAfterSeconds).toBeUndefined();
});

describe('refused with exit 2, one line and no call', () => {
  const pool = 'eu-west-1_AbC123';
  const cases: Array<[string, string[], RegExp]> = [
    ['--username with --stale-after', ['--username', 'alice', '--stale-after', '90d'], /--stale-after cannot be combined with --username/],
    ['--users-file with --stale-after', ['--users-file', 'x.txt', '--stale-after', '90d'], /--stale-after cannot be combined with --users-file/],
    ['--all-devices with --stale-after', ['--all-devices', '--stale-after', '90d'], /--stale-after cannot be combined with --all-devices/],
    ['--all-devices with --max-device-age', ['--all-devices', '--max-device-age', '90d'], /--max-device-age cannot be combined with --all-devices/],
    ['--all-devices with --username', ['--all-devices', '--username', 'alice'], /--username cannot be combined with --all-devices/],
    ['a lifetime under a day', ['--max-device-age', '12h'], /--max-device-age is 43200 seconds; use at least one day/],
    ['an empty username', ['--username', ' '], /username #1 is empty/],
    ['a users file that does not exist', ['--users-file', '/no/such/users.txt'], /--users-file: cannot read '\/no\/such\/users.txt'/],
    ['--state with --username', ['--username', 'alice', '--state', 'state.json'], /--state applies to --stale-after and --max-device-age only/],
  ];

  test.each(cases)('%s', async (_name, args, message) => {
    const run = await runCliCaptured(['--user-pool-id', pool, '--endpoint-url', sim.endpoint, ...args]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const lines = problemLines(run);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(sim.stats.totals.calls).toBe(0);
  });

  test('an empty users file', async () => {
    const file = workspace.file('empty.txt');
    writeFileSync(file, '\n\n');
    const run = await runCliCaptured(['--user-pool-id', pool, '--endpoint-url', sim.endpoint, '--users-file', file]);
    expect(run.status).toBe(2);
    expect(problemLines(run)[0]).toMatch(/names no user/);
    expect(sim.stats.totals.calls).toBe(0);
  });
});
