/**
 * The engine with a next-check index, on the simulator: users not yet due are not listed, every
 * swept user gets the right bound, and nothing the index says (or fails to say) changes what is
 * forgotten.
 */
import { AdminUpdateDeviceStatusCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { sweepDevices, SweepInputError, SweepOptions, SweepResult } from '../../../src/sweep';
import { CLOCK_SKEW_MARGIN_MS } from '../../../src/sweep/next-check/pool-gate';
import { CognitoSimulator, SimDevice } from '../../sim';
import { DAY_SECONDS, deviceKeys, removed, scaledBudget, sorted } from '../fixture';
import { MemoryIndex } from './memory-index';

const T = 100;
const DAY_MS = DAY_SECONDS * 1000;
const NOW = Date.parse('2026-06-01T12:00:00Z');
const STALE_AFTER = { kind: 'stale', staleAfterSeconds: 30 * DAY_SECONDS } as const;

let sim: CognitoSimulator;
beforeEach(async () => {
  sim = await CognitoSimulator.start({ timeScale: T });
});
afterEach(async () => sim.stop());

function device(key: string, lastAuthDaysAgo: number, remembered = true, nowMs = NOW): SimDevice {
  const at = new Date(nowMs - lastAuthDaysAgo * DAY_MS);
  return {
    DeviceKey: keyOf(key),
    DeviceAttributes: [{ Name: 'dev:device_remembered_status', Value: remembered ? 'remembered' : 'not_remembered' }],
    DeviceCreateDate: at,
    DeviceLastModifiedDate: at,
    DeviceLastAuthenticatedDate: at,
  };
}

/** Cognito's device keys are `${region}_${hex}`: readable names are carried in the hex part. */
function keyOf(name: string): string {
  return `eu-west-1_${Buffer.from(name).toString('hex')}`;
}

function nameOf(key: string): string {
  return Buffer.from(key.slice(key.indexOf('_') + 1), 'hex').toString();
}

function emptyPool(): string {
  return sim.seedPool({ region: 'eu-west-1', users: 0 });
}

function addUser(poolId: string, username: string, createdDaysAgo: number, devices: SimDevice[], status = 'CONFIRMED'): void {
  sim.addUser(poolId, { username, status, createdAt: new Date(NOW - createdDaysAgo * DAY_MS), devices });
}

async function run(poolId: string, nowMs: number, extra: Partial<SweepOptions> = {}): Promise<{ result: SweepResult; forgotten: string[] }> {
  const before = deviceKeys(sim, poolId);
  const result = await sweepDevices({
    userPoolIds: [poolId], selection: STALE_AFTER, endpoint: sim.endpoint, rateBudget: scaledBudget(T), now: () => nowMs, ...extra,
  });
  return { result, forgotten: sorted([...removed(before, deviceKeys(sim, poolId))].map(nameOf)) };
}

test('lists only due users, stores min(oldest kept last use, reference time) and skips them until then', async () => {
  const poolId = emptyPool();
  addUser(poolId, 'alice', 100, [device('a-fresh', 10), device('a-stale', 40)]);
  addUser(poolId, 'bob', 100, [device('b-fresh', 5)]);
  addUser(poolId, 'carol', 3, [device('c-fresh', 2)]); // younger than staleAfter: no device of hers can be stale
  addUser(poolId, 'dave', 100, [], 'UNCONFIRMED');
  addUser(poolId, 'erin', 100, []); // no device at all: due again only when a device could be stale
  const index = new MemoryIndex();

  const first = await run(poolId, NOW, { nextCheckIndex: index });
  expect(first.forgotten).toEqual(['a-stale']);
  expect(first.result.calls.UserResourceRead).toBe(3); // alice, bob, erin
  expect(first.result.pools[0]).toMatchObject({ usersScanned: 5, usersSkippedByIndex: 1 });
  expect(index.boundOf(poolId, 'alice')).toBe(NOW - 10 * DAY_MS);
  expect(index.boundOf(poolId, 'bob')).toBe(NOW - 5 * DAY_MS);
  expect(index.boundOf(poolId, 'erin')).toBe(NOW - CLOCK_SKEW_MARGIN_MS);
  // Carol's bound comes from her UserCreateDate on every run: storing it would only cost writes.
  expect(index.boundOf(poolId, 'carol')).toBeUndefined();
  // One batch for the three entries.
  expect(index.puts.map((batch) => batch.length)).toEqual([3]);

  const nextDay = await run(poolId, NOW + DAY_MS, { nextCheckIndex: index });
  expect(nextDay.forgotten).toEqual([]);
  expect(nextDay.result.calls.UserResourceRead).toBe(0);
  expect(nextDay.result.pools[0]).toMatchObject({ usersScanned: 5, usersSkippedByIndex: 4 });

  // 30 days after alice's fresh device was last used (and not a moment before) she is due.
  const exactlyThirty = await run(poolId, NOW + 20 * DAY_MS, { nextCheckIndex: index });
  expect(exactlyThirty.result.calls.UserResourceRead).toBe(0);
  const later = await run(poolId, NOW + 20 * DAY_MS + 1, { nextCheckIndex: index });
  expect(later.forgotten).toEqual(['a-fresh']);
  expect(later.result.calls.UserResourceRead).toBe(1);
});

test('a device used after the reference time (during a long run) bounds the entry at the reference time, never later', async () => {
  const poolId = emptyPool();
  addUser(poolId, 'alice', 100, [device('late', -1 / 24)]);
  const index = new MemoryIndex();
  await run(poolId, NOW, { nextCheckIndex: index });
  expect(index.boundOf(poolId, 'alice')).toBe(NOW - CLOCK_SKEW_MARGIN_MS);
});

test('a device added after a sweep is caught: the bound never exceeds the sweep time', async () => {
  const poolId = emptyPool();
  addUser(poolId, 'alice', 100, []);
  const index = new MemoryIndex();
  await run(poolId, NOW, { nextCheckIndex: index });
  // Right after the sweep, alice signs in once on a new device and never again.
  sim.addDevice(poolId, 'alice', device('new', 0, true, NOW + 1000));
  const due = NOW + 1000 + 30 * DAY_MS + 1;
  expect((await run(poolId, due - DAY_MS, { nextCheckIndex: index })).forgotten).toEqual([]);
  expect((await run(poolId, due, { nextCheckIndex: index })).forgotten).toEqual(['new']);
});

test('a dry run leaves the stale device, so its entry makes the user due again at once', async () => {
  const poolId = emptyPool();
  addUser(poolId, 'alice', 100, [device('a-stale', 40), device('a-fresh', 1)]);
  const index = new MemoryIndex();
  const dry = await run(poolId, NOW, { nextCheckIndex: index, dryRun: true });
  expect(dry.forgotten).toEqual([]);
  expect(dry.result.pools[0].devicesStale).toBe(1);
  expect(index.boundOf(poolId, 'alice')).toBe(NOW - 40 * DAY_MS);
  const real = await run(poolId, NOW, { nextCheckIndex: index });
  expect(real.forgotten).toEqual(['a-stale']);
  expect(index.boundOf(poolId, 'alice')).toBe(NOW - 1 * DAY_MS);
});

test('onlyRemembered: a stale not-remembered device keeps its user due, so it is forgotten once remembered', async () => {
  const poolId = emptyPool();
  addUser(poolId, 'alice', 100, [device('a-old', 60, false), device('a-fresh', 1)]);
  const index = new MemoryIndex();
  expect((await run(poolId, NOW, { nextCheckIndex: index, onlyRemembered: true })).forgotten).toEqual([]);
  expect(index.boundOf(poolId, 'alice')).toBe(NOW - 60 * DAY_MS);
  const client = new CognitoIdentityProviderClient({ endpoint: sim.endpoint, region: 'eu-west-1' });
  await client.send(new AdminUpdateDeviceStatusCommand({ UserPoolId: poolId, Username: 'alice', DeviceKey: keyOf('a-old'), DeviceRememberedStatus: 'remembered' }));
  client.destroy();
  const next = await run(poolId, NOW + DAY_MS, { nextCheckIndex: index, onlyRemembered: true });
  expect(next.forgotten).toEqual(['a-old']);
});

test('a user left capped by maxForgets gets no entry and stays due', async () => {
  const poolId = emptyPool();
  addUser(poolId, 'alice', 100, [device('a-stale', 40)]);
  addUser(poolId, 'bob', 100, [device('b-stale', 40)]);
  const index = new MemoryIndex();
  const capped = await run(poolId, NOW, { nextCheckIndex: index, maxForgets: 1 });
  expect(capped.result.capped).toBe(true);
  expect(capped.forgotten).toHaveLength(1);
  const leftOver = capped.forgotten[0] === 'a-stale' ? 'bob' : 'alice';
  expect(index.boundOf(poolId, leftOver)).toBeUndefined();
  expect((await run(poolId, NOW, { nextCheckIndex: index })).forgotten).toEqual([leftOver === 'bob' ? 'b-stale' : 'a-stale']);
});

test('an index that cannot be read means a full sweep; one that cannot be written, sweeps again next time', async () => {
  const poolId = emptyPool();
  for (let i = 0; i < 70; i++) addUser(poolId, `user-${i}`, 100, [device(`d-${i}`, i)]);
  const warnings: string[] = [];
  const logger = { info: () => {}, warn: (message: string) => warnings.push(message) };
  const index = new MemoryIndex();
  index.failing = 'both';
  const broken = await run(poolId, NOW, { nextCheckIndex: index, logger });
  expect(broken.forgotten).toEqual(sorted(Array.from({ length: 39 }, (_, i) => `d-${i + 31}`)));
  expect(broken.result.calls.UserResourceRead).toBe(70);
  expect(warnings).toEqual([
    'The next-check index could not be read; those users are swept in full',
    'Next-check entries could not be stored; those users will be swept again',
  ]);
  // Nothing was stored, so the next run lists everyone again (and stores their entries, in batches of at most 25)...
  index.failing = undefined;
  index.puts.length = 0;
  const next = await run(poolId, NOW, { nextCheckIndex: index });
  expect(next.result.calls.UserResourceRead).toBe(70);
  expect(index.puts.flat()).toHaveLength(70);
  expect(Math.max(...index.puts.map((b) => b.length))).toBeLessThanOrEqual(25);
  // ...and the one after lists no one: every device left was used within the last 30 days.
  expect((await run(poolId, NOW, { nextCheckIndex: index })).result.calls.UserResourceRead).toBe(0);
});

test('entries that cannot be honest (a bound after the reference time, not a number) are ignored', async () => {
  const poolId = emptyPool();
  addUser(poolId, 'alice', 100, [device('a-stale', 40)]);
  addUser(poolId, 'bob', 100, [device('b-stale', 40)]);
  const index = new MemoryIndex();
  index.entries.set(`${poolId}/alice`, { username: 'alice', oldestUseMs: NOW + DAY_MS });
  index.entries.set(`${poolId}/bob`, { username: 'bob', oldestUseMs: Number.NaN });
  expect((await run(poolId, NOW, { nextCheckIndex: index })).forgotten).toEqual(['a-stale', 'b-stale']);
});

test('entries of another pool are never used', async () => {
  const poolA = emptyPool();
  const poolB = emptyPool();
  addUser(poolA, 'alice', 100, [device('fresh', 1)]);
  addUser(poolB, 'alice', 100, [device('stale', 40)]);
  const index = new MemoryIndex();
  await run(poolA, NOW, { nextCheckIndex: index });
  expect((await run(poolB, NOW, { nextCheckIndex: index })).forgotten).toEqual(['stale']);
});

test('a user recreated under the same name is bounded by the later UserCreateDate too', async () => {
  const poolId = emptyPool();
  addUser(poolId, 'alice', 100, [device('old', 20)]);
  const index = new MemoryIndex();
  await run(poolId, NOW, { nextCheckIndex: index });
  sim.removeUser(poolId, 'alice');
  addUser(poolId, 'alice', -1, []); // recreated a day later, no device yet
  const result = await run(poolId, NOW + 15 * DAY_MS, { nextCheckIndex: index });
  expect(result.result.calls.UserResourceRead).toBe(0);
});

test('the index applies only to staleness selections', async () => {
  await expect(sweepDevices({ userPoolIds: ['eu-west-1_AAAAAAAAA'], selection: { kind: 'all' }, nextCheckIndex: new MemoryIndex() }))
    .rejects.toThrow(SweepInputError);
});
