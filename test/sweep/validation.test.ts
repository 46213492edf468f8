/** Bad options and bad cursors are rejected with a clear SweepInputError before any call. */
import { scaledBudget } from './fixture';
import { MemoryIndex } from './index/memory-index';
import { SweepInputError, sweepDevices, SweepOptions, validateSweepOptions } from '../../src/sweep';
import { encodeCursor } from '../../src/sweep/input/cursor';
import { CognitoSimulator } from '../sim';

let sim: CognitoSimulator;
let poolId: string;

beforeAll(async () => {
  sim = await CognitoSimulator.start({ timeScale: 20, seed: 5 });
  poolId = sim.seedPool({ region: 'eu-west-1', users: 30 });
});
afterAll(async () => sim.stop());

function valid(): SweepOptions {
  return { userPoolIds: [poolId], selection: { kind: 'stale', staleAfterSeconds: 86_400 }, endpoint: sim.endpoint, rateBudget: scaledBudget(20) };
}

const otherPoolsCursor = (): string => encodeCursor(
  { nowMs: Date.now(), forgets: 0, regions: new Map([['eu-west-1', { pool: 0, done: 0 }]]) },
  { userPoolIds: ['eu-west-1_Other1'], selection: { kind: 'stale', staleAfterSeconds: 86_400 }, poolsPerRegion: new Map([['eu-west-1', 1]]) },
).cursor;

const cases: Array<[string, (o: SweepOptions) => SweepOptions, RegExp]> = [
  ['no pools', (o) => ({ ...o, userPoolIds: [] }), /userPoolIds must list at least one user pool id/],
  ['a pool id without Region', (o) => ({ ...o, userPoolIds: ['AbC123'] }), /Invalid user pool id "AbC123"/],
  ['a pool listed twice', (o) => ({ ...o, userPoolIds: [poolId, poolId] }), /listed twice/],
  ['no selection', (o) => ({ ...o, selection: undefined as never }), /selection is required/],
  ['an unknown selection kind', (o) => ({ ...o, selection: { kind: 'old' } as never }), /selection.kind must be "stale", "all" or "users", got "old"/],
  ['a negative staleAfterSeconds', (o) => ({ ...o, selection: { kind: 'stale', staleAfterSeconds: -5 } }), /staleAfterSeconds must be a positive number/],
  ['a stale selection with neither rule', (o) => ({ ...o, selection: { kind: 'stale' } }), /give selection.staleAfterSeconds, selection.maxDeviceAgeSeconds or both/],
  ['a zero maxDeviceAgeSeconds', (o) => ({ ...o, selection: { kind: 'stale', maxDeviceAgeSeconds: 0 } }), /maxDeviceAgeSeconds must be a positive number/],
  ['no named users', (o) => ({ ...o, selection: { kind: 'users', usernames: [] } }), /usernames must list at least one username/],
  ['an empty username', (o) => ({ ...o, selection: { kind: 'users', usernames: ['ok', ''] } }), /selection.usernames #2 is empty; give the username as Cognito knows it/],
  ['a fractional maxForgets', (o) => ({ ...o, maxForgets: 1.5 }), /maxForgets is 1.5; use a whole number of at least 1/],
  ['a budget fraction above 1', (o) => ({ ...o, rateBudget: { fraction: 2 } }), /rateBudget.fraction is 2; use a fraction in \(0, 1\]/],
  // Checked by sweepDevices before its first call, so validateSweepOptions must refuse them too.
  ['a per-user rate of 0', (o) => ({ ...o, rateBudget: { ...o.rateBudget, perUserRatePerSecond: 0 } }),
    /rateBudget.perUserRatePerSecond is 0; use a positive number of requests per second/],
  ['a next-check index with an "all" selection', (o) => ({ ...o, selection: { kind: 'all' }, nextCheckIndex: new MemoryIndex() }),
    /nextCheckIndex applies only to staleness selections, not to "all"/],
  ['a deadline in seconds', (o) => ({ ...o, deadline: Math.floor(Date.now() / 1000) + 60 }), /deadline must be a time in epoch milliseconds/],
  ['an endpoint that is not http(s)', (o) => ({ ...o, endpoint: 'ftp://127.0.0.1' }), /endpoint must be an http\(s\) URL/],
  ['excluded usernames that are not a list', (o) => ({ ...o, excludeUsernames: 'bob' as never }), /excludeUsernames must be a list/],
  ['dryRun that is not a boolean', (o) => ({ ...o, dryRun: 'yes' as never }), /dryRun must be true or false/],
  ['a cursor that is not JSON', (o) => ({ ...o, cursor: 'not-a-cursor' }), /Invalid cursor: it is not JSON/],
  ['a cursor of another version', (o) => ({ ...o, cursor: '{"v":9}' }), /version 9 is not supported/],
  ['a cursor of other pools', (o) => ({ ...o, cursor: otherPoolsCursor() }), /different list of user pools/],
  ['an oversized cursor', (o) => ({ ...o, cursor: `{"v":1,"x":"${'a'.repeat(5000)}"}` }), /cursors are at most 4096/],
];

test.each(cases)('rejects %s with a clear message and makes no call', async (_, change, message) => {
  sim.resetStats();
  const options = change(valid());
  expect(() => validateSweepOptions(options)).toThrow(message);
  const rejection = sweepDevices(options);
  await expect(rejection).rejects.toBeInstanceOf(SweepInputError);
  await expect(rejection).rejects.toThrow(message);
  expect(sim.stats.totals.calls).toBe(0);
});

test('accepts valid options', () => {
  expect(() => validateSweepOptions(valid())).not.toThrow();
  expect(() => validateSweepOptions({ ...valid(), selection: { kind: 'stale', maxDeviceAgeSeconds: 86_400 } })).not.toThrow();
  expect(() => validateSweepOptions({ ...valid(), selection: { kind: 'stale', staleAfterSeconds: 86_400, maxDeviceAgeSeconds: 86_400 } })).not.toThrow();
});

test('a cursor made without a lifetime is refused by a sweep with one (the selection changed)', () => {
  const context = { userPoolIds: [poolId], selection: { kind: 'stale', staleAfterSeconds: 86_400 } as const, poolsPerRegion: new Map([['eu-west-1', 1]]) };
  const { cursor } = encodeCursor({ nowMs: Date.now(), forgets: 0, regions: new Map([['eu-west-1', { pool: 0, done: 0 }]]) }, context);
  expect(() => validateSweepOptions({ ...valid(), cursor })).not.toThrow();
  expect(() => validateSweepOptions({ ...valid(), cursor, selection: { kind: 'stale', staleAfterSeconds: 86_400, maxDeviceAgeSeconds: 86_400 } }))
    .toThrow(/different selection/);
});
