/**
 * The audit write-ahead against the simulator's ground truth: an attempt killed after some forgets
 * (its unflushed records lost, as in a Lambda timeout) and retried from the same cursor yields
 * exactly one `forgotten` record per device gone from the simulator, none missing, none doubled.
 */
import { DAY_SECONDS, deviceKeys, sorted, staleSweepOptions } from './fixture';
import { WorkClock } from './work-clock';
import { sweepDevices, SweepOptions } from '../../src/sweep';
import type { AuditIntent, AuditRecord, AuditSink } from '../../src/sweep/pipeline/audit';
import { deviceIdentity } from '../../src/sweep/pipeline/audit';
import { IntentRecoveryError } from '../../src/sweep/pipeline/intent-recovery';
import { CognitoSimulator } from '../sim';

const T = 20;
const NOW = new Date();
const STALE_AFTER = 100 * DAY_SECONDS;

/** What survives a kill: the records flushed and the intents written (one slice's objects in S3). */
interface Durable {
  readonly records: AuditRecord[];
  readonly intents: AuditIntent[];
}

/** A sink with a write-ahead over `durable`, as the S3 sink: one attempt of one slice. */
class WriteAheadSink implements AuditSink {
  private pending: AuditRecord[] = [];
  private dead = false;
  unresolvedAsked = 0;
  constructor(readonly durable: Durable) {}
  add(record: AuditRecord): void {
    this.pending.push(record);
  }
  async flush(): Promise<void> {
    if (this.dead) return;
    const kept = new Set(this.durable.records.map((r) => `${deviceIdentity(r)}${r.outcome}`));
    for (const record of this.pending.splice(0)) {
      if (!kept.has(`${deviceIdentity(record)}${record.outcome}`)) this.durable.records.push(record);
    }
  }
  async intend(intents: readonly AuditIntent[]): Promise<void> {
    if (this.dead) throw new Error('the process is dead');
    this.durable.intents.push(...intents);
  }
  async unresolved(): Promise<readonly AuditIntent[]> {
    this.unresolvedAsked++;
    const recorded = new Set(this.durable.records.map(deviceIdentity));
    return this.durable.intents.filter((intent) => !recorded.has(deviceIdentity(intent)));
  }
  /** The process dies: nothing more becomes durable. */
  kill(): void {
    this.dead = true;
  }
}

async function seeded(): Promise<{ sim: CognitoSimulator; poolIds: string[] }> {
  const sim = await CognitoSimulator.start({ timeScale: T, latencyMs: { min: 5, max: 20 }, seed: 61 });
  const seed = (region: string, users: number) => sim.seedPool({
    region, users, now: NOW, devicesPerUser: { min: 0, max: 5 }, maxAgeDays: 500, undatedFraction: 0.05,
  });
  return { sim, poolIds: [seed('eu-west-1', 70), seed('us-east-1', 40)] };
}

function options(sim: CognitoSimulator, poolIds: string[], sink: AuditSink, extra: Partial<SweepOptions> = {}): SweepOptions {
  return staleSweepOptions(sim, poolIds, { now: NOW, timeScale: T, staleAfterSeconds: STALE_AFTER }, { runId: 'run-1', audit: { sink }, ...extra });
}

/** `pool/deviceKey` of every device in the simulator. */
function allKeys(sim: CognitoSimulator, poolIds: string[]): Set<string> {
  return new Set(poolIds.flatMap((id) => [...deviceKeys(sim, id)].map((key) => `${id}/${key}`)));
}

function gone(before: Set<string>, sim: CognitoSimulator, poolIds: string[]): string[] {
  const now = allKeys(sim, poolIds);
  return sorted([...before].filter((key) => !now.has(key)));
}

const keysOf = (records: readonly AuditRecord[], outcome: AuditRecord['outcome'], recovered?: boolean) => sorted(records
  .filter((r) => r.outcome === outcome && (recovered === undefined || (r.recovered === true) === recovered))
  .map((r) => `${r.userPoolId}/${r.deviceKey}`));

/**
 * One attempt that dies once the simulator has answered `forgets` more AdminForgetDevice calls:
 * forgets in flight still land (as they may at Cognito), nothing after the death is durable.
 */
async function killedAttempt(sim: CognitoSimulator, base: SweepOptions, durable: Durable, forgets: number): Promise<void> {
  const sink = new WriteAheadSink(durable);
  const stop = new AbortController();
  const start = sim.stats.operations.AdminForgetDevice?.succeeded ?? 0;
  const result = sweepDevices({
    ...base,
    audit: { ...base.audit!, sink },
    signal: stop.signal,
    onGrant: () => {
      if ((sim.stats.operations.AdminForgetDevice?.succeeded ?? 0) - start >= forgets) {
        sink.kill();
        // Not inside the limiter's grant callback: aborting there would pull its waiters from under it.
        queueMicrotask(() => stop.abort());
      }
    },
  });
  await result.catch(() => undefined);
  expect(sink.unresolvedAsked).toBe(1);
}

describe.each([undefined, 'k3y'])('a slice killed after some forgets, then retried (username key: %s)', (usernameKey) => {
  test('exactly one forgotten record per device gone, the killed attempt\'s ones recovered', async () => {
    const { sim, poolIds } = await seeded();
    const before = allKeys(sim, poolIds);
    const durable: Durable = { records: [], intents: [] };
    const base = options(sim, poolIds, new WriteAheadSink(durable), { audit: { sink: new WriteAheadSink(durable), usernameKey } });

    await killedAttempt(sim, base, durable, 12);
    const goneAtKill = gone(before, sim, poolIds);
    // The kill lost records: fewer durable records than forgets (none, since nothing was flushed).
    expect(goneAtKill.length).toBeGreaterThanOrEqual(12);
    expect(durable.records).toHaveLength(0);
    expect(durable.intents.length).toBeGreaterThanOrEqual(goneAtKill.length);
    if (usernameKey) for (const intent of durable.intents) expect(intent.username).toBeUndefined();

    const retry = new WriteAheadSink(durable);
    const result = await sweepDevices({ ...base, audit: { sink: retry, usernameKey } });
    const all = gone(before, sim, poolIds);
    await sim.stop();

    expect(result.done).toBe(true);
    expect(all.length).toBeGreaterThan(goneAtKill.length);
    expect(keysOf(durable.records, 'forgotten')).toEqual(all);
    expect(durable.records).toHaveLength(all.length);
    // What the killed attempt forgot is recorded by the retry, marked recovered; the rest as usual.
    expect(keysOf(durable.records, 'forgotten', true)).toEqual(goneAtKill);
    // The report counts them too: the run's forgets match the simulator's.
    expect(result.pools.reduce((n, p) => n + p.devicesForgotten, 0)).toBe(all.length);
  }, 120_000);
});

test('killed twice, then retried: still one record per device gone', async () => {
  const { sim, poolIds } = await seeded();
  const before = allKeys(sim, poolIds);
  const durable: Durable = { records: [], intents: [] };
  const base = options(sim, poolIds, new WriteAheadSink(durable));

  await killedAttempt(sim, base, durable, 8);
  await killedAttempt(sim, base, durable, 15);
  const goneAtKills = gone(before, sim, poolIds);
  const result = await sweepDevices({ ...base, audit: { sink: new WriteAheadSink(durable) } });
  const all = gone(before, sim, poolIds);
  await sim.stop();

  expect(result.done).toBe(true);
  expect(goneAtKills.length).toBeGreaterThanOrEqual(23);
  expect(keysOf(durable.records, 'forgotten')).toEqual(all);
  expect(durable.records).toHaveLength(all.length);
  expect(keysOf(durable.records, 'forgotten', true)).toEqual(goneAtKills);
}, 120_000);

test('a retry stopped before it can resolve fails (nothing lost); a retry cut short after resolving hands on a cursor, and the next slices finish', async () => {
  const { sim, poolIds } = await seeded();
  const before = allKeys(sim, poolIds);
  const durable: Durable = { records: [], intents: [] };
  const base = options(sim, poolIds, new WriteAheadSink(durable));
  await killedAttempt(sim, base, durable, 20);
  const goneAtKill = gone(before, sim, poolIds);

  // A deadline already past stops the retry before its first listing: it fails, so no cursor moves on.
  await expect(sweepDevices({ ...base, audit: { sink: new WriteAheadSink(durable) }, deadline: Date.now() - 1 }))
    .rejects.toThrow(IntentRecoveryError);
  expect(durable.records).toHaveLength(0);

  // The next retry resolves everything first, then its deadline (on a work clock) cuts its sweep short,
  // well before the users the killed attempt reached: the later slices (other objects) go on from its cursor.
  const work = new WorkClock(sim);
  const retry = await sweepDevices({
    ...base, audit: { sink: new WriteAheadSink(durable) }, deadlineClock: work.now, deadline: work.now() + 60 * work.msPerCall,
  });
  expect(retry.done).toBe(false);
  expect(keysOf(durable.records, 'forgotten', true)).toEqual(goneAtKill);
  const later: AuditRecord[] = [];
  let cursor = retry.cursor;
  for (let slice = 0; cursor && slice < 200; slice++) {
    // Each slice its own objects: nothing of the killed attempt reaches them.
    const sink = new WriteAheadSink({ records: later, intents: [] });
    cursor = (await sweepDevices({ ...base, audit: { sink }, cursor, deadlineClock: work.now, deadline: work.now() + 150 * work.msPerCall })).cursor;
    expect(sink.unresolvedAsked).toBe(1);
  }
  const all = gone(before, sim, poolIds);
  await sim.stop();

  expect(cursor).toBeUndefined();
  const records = [...durable.records, ...later];
  expect(keysOf(records, 'forgotten')).toEqual(all);
  expect(records).toHaveLength(all.length);
}, 180_000);

test('a dry run writes no intent and resolves none; its records are the same as without a write-ahead', async () => {
  const { sim, poolIds } = await seeded();
  const durable: Durable = { records: [], intents: [] };
  const sink = new WriteAheadSink(durable);
  const before = allKeys(sim, poolIds);
  const result = await sweepDevices(options(sim, poolIds, sink, { dryRun: true }));
  const reference = await seeded();
  const plain: AuditRecord[] = [];
  await sweepDevices(options(reference.sim, reference.poolIds, { add: (r) => plain.push(r), flush: async () => {} }, { dryRun: true }));
  await reference.sim.stop();
  await sim.stop();

  expect(result.done).toBe(true);
  expect(durable.intents).toHaveLength(0);
  expect(sink.unresolvedAsked).toBe(0);
  expect(durable.records.length).toBeGreaterThan(20);
  expect(keysOf(durable.records, 'wouldForget')).toEqual(keysOf(plain, 'wouldForget'));
  expect(durable.records).toHaveLength(plain.length);
  expect(allKeys(sim, poolIds)).toEqual(before);
});
