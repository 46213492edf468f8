/**
 * The audit trail against the simulator's ground truth: one record per forgotten device, also
 * across slices; a dry run's records list exactly what the real run then forgets; records are
 * durable before a cursor is handed back.
 */
import { DAY_SECONDS, deviceKeys, expectedAgePicture, lastUseMs, OwnedDevice, sorted, staleSweepOptions } from './fixture';
import { sweepDevices, SweepOptions } from '../../src/sweep';
import { devicesInPicture, usersInPicture } from '../../src/sweep/pipeline/age-picture';
import type { AuditRecord, AuditSink } from '../../src/sweep/pipeline/audit';
import { usernameHmac } from '../../src/sweep/pipeline/audit';
import { CognitoSimulator } from '../sim';
import { WorkClock } from './work-clock';

const T = 20;
const NOW = new Date();
const SEED = 47;
const STALE_AFTER = 100 * DAY_SECONDS;

/** Keeps records apart until flushed, as a real sink would (only flushed ones are durable). */
class MemorySink implements AuditSink {
  readonly durable: AuditRecord[] = [];
  private pending: AuditRecord[] = [];
  flushes = 0;
  add(record: AuditRecord): void {
    this.pending.push(record);
  }
  async flush(): Promise<void> {
    this.flushes++;
    this.durable.push(...this.pending);
    this.pending = [];
  }
  get unflushed(): number {
    return this.pending.length;
  }
}

async function startSeeded(): Promise<{ sim: CognitoSimulator; poolIds: string[] }> {
  const sim = await CognitoSimulator.start({ timeScale: T, latencyMs: { min: 10, max: 40 }, seed: SEED });
  const seed = (region: string, users: number) => sim.seedPool({
    region,
    users,
    now: NOW,
    devicesPerUser: { min: 0, max: 5 },
    maxAgeDays: 500,
    statusMix: { CONFIRMED: 0.9, UNCONFIRMED: 0.1 },
    undatedFraction: 0.05,
    notRememberedFraction: 0.3,
  });
  return { sim, poolIds: [seed('eu-west-1', 80), seed('us-east-1', 50)] };
}

function base(sim: CognitoSimulator, poolIds: string[], extra: Partial<SweepOptions> = {}): SweepOptions {
  return staleSweepOptions(sim, poolIds, { now: NOW, timeScale: T, staleAfterSeconds: STALE_AFTER }, extra);
}

/** `pool/deviceKey` of each record with the outcome. */
function keysOf(records: readonly AuditRecord[], outcome: AuditRecord['outcome']): string[] {
  return records.filter((r) => r.outcome === outcome).map((r) => `${r.userPoolId}/${r.deviceKey}`);
}

function ownedBefore(sim: CognitoSimulator, poolIds: string[]): Map<string, OwnedDevice & { poolId: string }> {
  return new Map(poolIds.flatMap((id) => sim.allDevices(id).map((d) => [`${id}/${d.device.DeviceKey}`, { ...d, poolId: id }] as const)));
}

function forgottenKeys(sim: CognitoSimulator, poolIds: string[], before: Map<string, OwnedDevice & { poolId: string }>): string[] {
  const keys = new Map(poolIds.map((id) => [id, deviceKeys(sim, id)]));
  return sorted([...before.values()].filter((d) => !keys.get(d.poolId)!.has(d.device.DeviceKey)).map((d) => `${d.poolId}/${d.device.DeviceKey}`));
}

test('one record per forgotten device, with its owner, name and last use; the dry run listed exactly those', async () => {
  const dry = await startSeeded();
  const drySink = new MemorySink();
  const dryResult = await sweepDevices(base(dry.sim, dry.poolIds, { dryRun: true, audit: { sink: drySink }, runId: 'dry-1' }));
  await dry.sim.stop();

  const { sim, poolIds } = await startSeeded();
  const before = ownedBefore(sim, poolIds);
  const sink = new MemorySink();
  const result = await sweepDevices(base(sim, poolIds, { audit: { sink }, runId: 'run-1' }));
  const forgotten = forgottenKeys(sim, poolIds, before);
  await sim.stop();

  expect(dryResult.done && result.done).toBe(true);
  expect(forgotten.length).toBeGreaterThan(50);
  // Exactly one record per forgotten device, and no other record (no error, nothing gone).
  expect(sorted(keysOf(sink.durable, 'forgotten'))).toEqual(forgotten);
  expect(sink.durable).toHaveLength(forgotten.length);
  expect(sorted(keysOf(drySink.durable, 'wouldForget'))).toEqual(forgotten);
  expect(drySink.durable).toHaveLength(forgotten.length);
  expect(sink.unflushed).toBe(0);

  for (const record of sink.durable) {
    const device = before.get(`${record.userPoolId}/${record.deviceKey}`)!;
    expect(record).toEqual({
      schemaVersion: 1,
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      runId: 'run-1',
      userPoolId: device.poolId,
      username: device.username,
      deviceKey: device.device.DeviceKey,
      deviceName: device.device.DeviceAttributes.find((a) => a.Name === 'device_name')?.Value,
      lastUse: new Date(lastUseMs(device.device)!).toISOString(),
      rule: 'stale',
      outcome: 'forgotten',
    });
  }
});

test('with a key, records carry the keyed HMAC of the username instead of the username', async () => {
  const { sim, poolIds } = await startSeeded();
  const before = ownedBefore(sim, poolIds);
  const sink = new MemorySink();
  await sweepDevices(base(sim, poolIds, { selection: { kind: 'all' }, dryRun: true, audit: { sink, usernameKey: 'k3y' } }));
  await sim.stop();

  expect(sink.durable).toHaveLength(before.size);
  for (const record of sink.durable) {
    const owner = before.get(`${record.userPoolId}/${record.deviceKey}`)!.username;
    expect(record.username).toBeUndefined();
    expect(record.usernameHmac).toBe(usernameHmac('k3y', owner));
    expect(record.usernameHmac).toMatch(/^[0-9a-f]{64}$/);
    expect(record.rule).toBe('all');
  }
  // A random run id when none is given, the same for every record of the call.
  expect(new Set(sink.durable.map((r) => r.runId)).size).toBe(1);
});

describe.each([false, true])('slices cut by deadlines (dry run: %s)', (dryRun) => {
  test('record each device exactly once, and every slice flushes before handing back its cursor', async () => {
    const reference = await startSeeded();
    const referenceBefore = ownedBefore(reference.sim, reference.poolIds);
    const referenceWork = new WorkClock(reference.sim);
    await sweepDevices(base(reference.sim, reference.poolIds));
    // About a twelfth of the uninterrupted run's calls per slice, on a clock moved by answers (not by the machine).
    const sliceMs = Math.max(40, referenceWork.calls / 12) * referenceWork.msPerCall;
    const expected = forgottenKeys(reference.sim, reference.poolIds, referenceBefore);
    await reference.sim.stop();

    const { sim, poolIds } = await startSeeded();
    sim.setFaults({ throttleRate: 0.05 });
    const sink = new MemorySink();
    let cursor: string | undefined;
    let slices = 0;
    const work = new WorkClock(sim);
    do {
      const result = await sweepDevices(base(sim, poolIds, { dryRun, audit: { sink }, runId: 'sliced', cursor, deadlineClock: work.now, deadline: work.now() + sliceMs }));
      // Everything the slice recorded is durable by the time its cursor is handed back.
      expect(sink.unflushed).toBe(0);
      cursor = result.cursor;
      slices++;
    } while (cursor && slices < 500);
    await sim.stop();

    // At least one resume from a cursor (a dry run, with no forgets, needs fewer slices).
    expect(slices).toBeGreaterThanOrEqual(2);
    const outcome = dryRun ? 'wouldForget' : 'forgotten';
    expect(sorted(keysOf(sink.durable, outcome))).toEqual(expected);
    expect(sink.durable).toHaveLength(expected.length);
    expect(sink.flushes).toBe(slices);
  }, 240_000);
});

test('a flush that fails fails the call: no cursor moves past unwritten records', async () => {
  const { sim, poolIds } = await startSeeded();
  const failing: AuditSink = { add: () => {}, flush: async () => { throw new Error('bucket unreachable'); } };
  await expect(sweepDevices(base(sim, poolIds, { audit: { sink: failing } }))).rejects.toThrow('bucket unreachable');
  await sim.stop();
});

test('the age picture matches the seeded ages and adds up to the scanned devices and users', async () => {
  const { sim, poolIds } = await startSeeded();
  const devicesBefore = new Map(poolIds.map((id) => [id, sim.allDevices(id)]));
  const result = await sweepDevices(base(sim, poolIds));
  await sim.stop();

  const filled = new Set<string>();
  for (const pool of result.pools) {
    for (const [bucket, count] of Object.entries(pool.ages!.remembered)) if (count > 0) filled.add(bucket);
    expect(pool.ages).toEqual(expectedAgePicture(devicesBefore.get(pool.userPoolId)!, sim.usersOf(pool.userPoolId), NOW.getTime()));
    expect(devicesInPicture(pool.ages!)).toBe(pool.devicesScanned);
    expect(usersInPicture(pool.ages!)).toBe(pool.usersScanned);
    expect(Object.values(pool.ages!.notRemembered).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  }
  // The seed spreads last uses over 500 days: every bucket holds devices in one pool or the other.
  expect(filled.size).toBe(7);
});

test('a slice that does nothing records nothing; the next one records what it forgets', async () => {
  const { sim, poolIds } = await startSeeded();
  const before = ownedBefore(sim, poolIds);
  const sink = new MemorySink();
  // A deadline already past: nothing is listed, nothing recorded, the cursor starts over.
  const first = await sweepDevices(base(sim, poolIds, { audit: { sink }, deadline: Date.now() - 1 }));
  expect(first.done).toBe(false);
  expect(sink.durable).toHaveLength(0);
  const second = await sweepDevices(base(sim, poolIds, { audit: { sink }, cursor: first.cursor }));
  expect(second.done).toBe(true);
  expect(sorted(keysOf(sink.durable, 'forgotten'))).toEqual(forgottenKeys(sim, poolIds, before));
  await sim.stop();
});
