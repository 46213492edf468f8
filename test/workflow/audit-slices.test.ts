/**
 * The slices' audit trail, through the real S3 client against a local S3 stand-in and the Cognito
 * simulator: one object per slice under a deterministic key, exactly one record per forgotten
 * device (checked against the simulator), also when a slice dies and Step Functions retries it.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { S3StandIn } from './s3-stand-in';
import { sweepDevices } from '../../src/sweep';
import type { SweepOptions, SweepResult } from '../../src/sweep';
import type { AuditRecord } from '../../src/sweep/pipeline/audit';
import { usernameHmac } from '../../src/sweep/pipeline/audit';
import { SliceInputError, SweepConfig, SweepRunProgress } from '../../src/workflow/contract';
import { auditObjectKey, S3AuditSink } from '../../src/workflow/runtime/s3-audit-sink';
import { runSlice, SLICE_SAFETY_MARGIN_MS, SliceContext } from '../../src/workflow/runtime/slice-logic';
import { CognitoSimulator } from '../sim';
import { WorkClock } from '../sweep/work-clock';

process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';

const TIME_SCALE = 10;
const BASE_QUOTAS = { UserList: 30 * TIME_SCALE, UserResourceRead: 50 * TIME_SCALE, UserResourceUpdate: 25 * TIME_SCALE };
const NOW = Date.parse('2026-06-01T00:00:00Z');
const BUCKET = 'audit-bucket';
const PREFIX = 'device-audit/';
const EXECUTION = 'exec-2026-06-01';

let s3: S3StandIn;
/** Every failed attempt's error, in order. */
let failures: unknown[] = [];
let client: S3Client;
beforeEach(async () => {
  failures = [];
  s3 = await S3StandIn.start();
  client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
});
afterEach(async () => {
  client.destroy();
  await s3.stop();
});

/** Two pools of one Region (swept one after the other), the same on every simulator. */
async function seeded(): Promise<{ sim: CognitoSimulator; poolIds: string[] }> {
  const sim = await CognitoSimulator.start({ timeScale: TIME_SCALE, latencyMs: 1, seed: 5 });
  const poolIds = [
    sim.seedPool({ region: 'eu-west-1', users: 60, devicesPerUser: { min: 0, max: 4 }, maxAgeDays: 365, now: new Date(NOW) }),
    sim.seedPool({ region: 'eu-west-1', users: 40, devicesPerUser: { min: 0, max: 4 }, maxAgeDays: 365, now: new Date(NOW) }),
  ];
  return { sim, poolIds };
}

function config(poolIds: string[], dryRun = false): SweepConfig {
  return { userPoolIds: poolIds, selection: { kind: 'stale', staleAfterSeconds: 90 * 86_400 }, dryRun };
}

function context(sim: CognitoSimulator, poolIds: string[], extra: Partial<SliceContext> = {}): Omit<SliceContext, 'remainingTimeMs'> {
  return {
    allowedUserPoolIds: poolIds,
    sweep: sweepDevices,
    engineOptions: { endpoint: sim.endpoint, baseQuotas: BASE_QUOTAS, now: () => NOW },
    audit: { sinkFor: (execution, slice, cursor) => new S3AuditSink(client, { bucket: BUCKET, key: auditObjectKey(PREFIX, 'nightly', execution, slice, cursor) }) },
    ...extra,
  };
}

/**
 * Plays the state machine: the same event again after a failed attempt (Step Functions' retry), up to 3 attempts.
 * Slices end by work done, never by the machine's speed: `sliceMs` is read on a clock that advances
 * 10 ms per call `sim` answers (test/sweep/work-clock.ts).
 */
async function runLoop(
  sim: CognitoSimulator, cfg: SweepConfig, ctx: Omit<SliceContext, 'remainingTimeMs'>, sliceMs: number,
): Promise<{ output: SweepRunProgress; attempts: number }> {
  const work = new WorkClock(sim);
  let progress: SweepRunProgress | null = null;
  let attempts = 0;
  for (let slice = 0; slice < 500; slice++) {
    const event = JSON.parse(JSON.stringify({ config: cfg, progress, run: { executionName: EXECUTION } }));
    for (let attempt = 1; ; attempt++) {
      attempts++;
      try {
        const outcome = await runSlice(event, { ...ctx, clock: work.now, remainingTimeMs: SLICE_SAFETY_MARGIN_MS + sliceMs });
        progress = JSON.parse(JSON.stringify(outcome.progress));
        break;
      } catch (error) {
        failures.push(error);
        if (attempt === 3 || error instanceof SliceInputError) throw error;
      }
    }
    if (progress!.done) return { output: progress!, attempts };
  }
  throw new Error('the loop did not finish');
}

/** The slices' record objects (not their intent logs). */
function recordObjects(): Map<string, string> {
  return new Map([...s3.objects].filter(([key]) => !key.includes('.intents-')));
}

function storedRecords(): AuditRecord[] {
  return [...recordObjects().values()].flatMap((body) => body.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l)));
}

function deviceOwners(sim: CognitoSimulator, poolIds: string[]): Map<string, string> {
  return new Map(poolIds.flatMap((id) => sim.allDevices(id).map((d) => [`${id}/${d.device.DeviceKey}`, d.username] as const)));
}

function forgotten(before: Map<string, string>, sim: CognitoSimulator, poolIds: string[]): string[] {
  const after = deviceOwners(sim, poolIds);
  return [...before.keys()].filter((k) => !after.has(k)).sort();
}

const keysOf = (records: AuditRecord[], outcome: AuditRecord['outcome']) =>
  records.filter((r) => r.outcome === outcome).map((r) => `${r.userPoolId}/${r.deviceKey}`).sort();

test('one object per slice under its deterministic key; one record per forgotten device; the dry run listed the same', async () => {
  const dry = await seeded();
  const dryRun = await runLoop(dry.sim, config(dry.poolIds, true), context(dry.sim, dry.poolIds), 300);
  await dry.sim.stop();
  const dryRecords = storedRecords();
  const dryObjects = s3.objects.size;
  s3.objects.clear();

  const { sim, poolIds } = await seeded();
  const before = deviceOwners(sim, poolIds);
  const { output } = await runLoop(sim, config(poolIds), context(sim, poolIds), 300);
  const gone = forgotten(before, sim, poolIds);
  await sim.stop();
  const records = storedRecords();

  expect(output.slices).toBeGreaterThan(2);
  expect(gone.length).toBeGreaterThan(20);
  expect(keysOf(records, 'forgotten')).toEqual(gone);
  expect(records).toHaveLength(gone.length);
  expect(keysOf(dryRecords, 'wouldForget')).toEqual(gone);
  expect(dryRecords).toHaveLength(gone.length);
  expect(dryRun.output.slices).toBe(dryObjects);
  // Every slice wrote its object (an empty one when it decided nothing), under the run's keys.
  expect(recordObjects().size).toBe(output.slices);
  for (const key of recordObjects().keys()) expect(key).toMatch(new RegExp(`^${BUCKET}/${PREFIX}nightly/${EXECUTION}/slice-\\d{6}-[0-9a-f]{16}\\.jsonl$`));
  for (const record of records) {
    expect(record.runId).toBe(EXECUTION);
    expect(record.username).toBe(before.get(`${record.userPoolId}/${record.deviceKey}`));
  }
}, 240_000);

test('a slice that dies after forgetting is retried: the retry writes the same key and no record is lost or doubled', async () => {
  const { sim, poolIds } = await seeded();
  const before = deviceOwners(sim, poolIds);
  let deaths = 0;
  // Every other slice dies once: first after the engine returned (the reply is lost), then mid-way
  // (a failure after the first pool, which the engine meets with a flush before rethrowing).
  let sliceNo = 0;
  const dying = async (options: SweepOptions): Promise<SweepResult> => {
    sliceNo++;
    if (sliceNo % 4 === 1) {
      await sweepDevices(options);
      deaths++;
      throw new Error('the Lambda died before replying');
    }
    if (sliceNo % 4 === 3) {
      let pools = 0;
      const logger = {
        info: (message: string) => {
          if (message === 'Sweeping user pool' && ++pools === 2) {
            deaths++;
            throw new Error('the Lambda died mid-way');
          }
        },
        warn: () => {},
      };
      return sweepDevices({ ...options, logger });
    }
    return sweepDevices(options);
  };
  // Slices of about 100 answered calls: a retry first resolves what the dead attempt intended, and
  // that must fit in one attempt beside the other Region's sweep (at 25 calls it sometimes did not).
  const { output, attempts } = await runLoop(sim, config(poolIds), context(sim, poolIds, { sweep: dying }), 1_000);
  const gone = forgotten(before, sim, poolIds);
  await sim.stop();
  const records = storedRecords();

  expect(deaths).toBeGreaterThanOrEqual(2);
  expect(failures.map(String)).toEqual(Array.from({ length: deaths }, () => expect.stringMatching(/the Lambda died/)));
  expect(attempts).toBe(output.slices + deaths);
  expect(gone.length).toBeGreaterThan(20);
  expect(keysOf(records, 'forgotten')).toEqual(gone);
  expect(records.filter((r) => r.outcome !== 'alreadyGone')).toHaveLength(gone.length);
  // One object per slice: the retries overwrote their first attempt's key.
  expect(recordObjects().size).toBe(output.slices);
  expect(s3.puts.filter((key) => !key.includes('.intents-')).length).toBeGreaterThan(recordObjects().size);
}, 240_000);

test('a flush S3 keeps refusing fails the slice, so its cursor does not move past the unwritten records', async () => {
  const { sim, poolIds } = await seeded();
  s3.failPuts = 100;
  await expect(runSlice({ config: config(poolIds, true), run: { executionName: EXECUTION } }, {
    ...context(sim, poolIds), remainingTimeMs: SLICE_SAFETY_MARGIN_MS + 60_000,
  })).rejects.toThrow();
  await sim.stop();
  expect(s3.objects.size).toBe(0);
});

test('with a username key the stored records carry its HMAC, and the slice refuses an event without the execution name', async () => {
  const { sim, poolIds } = await seeded();
  const before = deviceOwners(sim, poolIds);
  const ctx = context(sim, poolIds);
  const keyed = { ...ctx, audit: { ...ctx.audit!, usernameKey: async () => 's3cr3t' } };
  await runLoop(sim, config(poolIds, true), keyed, 60_000);
  await expect(runSlice({ config: config(poolIds, true) }, { ...keyed, remainingTimeMs: SLICE_SAFETY_MARGIN_MS + 1000 }))
    .rejects.toThrow(/run.executionName is missing/);
  await sim.stop();

  const records = storedRecords();
  expect(records.length).toBeGreaterThan(30);
  for (const record of records) {
    expect(record.username).toBeUndefined();
    expect(record.usernameHmac).toBe(usernameHmac('s3cr3t', before.get(`${record.userPoolId}/${record.deviceKey}`)!));
  }
});

test('a slice killed outright after some forgets (no flush) is retried: the intent log recovers their records, exactly once', async () => {
  const { sim, poolIds } = await seeded();
  const before = deviceOwners(sim, poolIds);
  const key = auditObjectKey(PREFIX, 'nightly', EXECUTION, 1, undefined);
  const event = { config: config(poolIds), progress: null, run: { executionName: EXECUTION } };
  // The first attempt dies once 10 forgets were answered: from then on nothing it writes lands (the
  // process is gone), and the sweep stops as a frozen Lambda would.
  const stop = new AbortController();
  let dead = false;
  const killedClient = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  killedClient.middlewareStack.add((next) => async (args) => {
    if (dead) throw new Error('the Lambda is gone');
    return next(args);
  }, { step: 'initialize' });
  const killed = context(sim, poolIds, {
    audit: { sinkFor: () => new S3AuditSink(killedClient, { bucket: BUCKET, key }, { minPutIntervalMs: 0 }) },
    sweep: (options) => sweepDevices({
      ...options,
      signal: stop.signal,
      onGrant: () => {
        if ((sim.stats.operations.AdminForgetDevice?.succeeded ?? 0) >= 10 && !dead) {
          dead = true;
          queueMicrotask(() => stop.abort());
        }
      },
    }),
  });
  await runSlice(event, { ...killed, remainingTimeMs: SLICE_SAFETY_MARGIN_MS + 60_000 }).catch(() => undefined);
  killedClient.destroy();
  const goneAtKill = forgotten(before, sim, poolIds);
  expect(goneAtKill.length).toBeGreaterThanOrEqual(10);
  // Nothing of the records survived; the intent log did.
  expect(s3.objects.has(`${BUCKET}/${key}`)).toBe(false);
  const intentKeys = [...s3.objects.keys()].filter((k) => k.includes('.intents-'));
  expect(intentKeys.length).toBeGreaterThan(0);
  for (const k of intentKeys) expect(k).toMatch(/\/_slice-000001-[0-9a-f]{16}\.intents-\d{4}\.jsonl$/);

  // The retry (same event) and the slices after it, with a default intent log.
  const { output } = await runLoop(sim, config(poolIds), context(sim, poolIds), 60_000);
  const gone = forgotten(before, sim, poolIds);
  await sim.stop();
  const records = storedRecords();

  expect(output.done).toBe(true);
  expect(keysOf(records, 'forgotten')).toEqual(gone);
  expect(records).toHaveLength(gone.length);
  expect(records.filter((r) => r.recovered).map((r) => `${r.userPoolId}/${r.deviceKey}`).sort()).toEqual(goneAtKill);
  expect(output.totals.reduce((n, p) => n + p.devicesForgotten, 0)).toBe(gone.length);
}, 240_000);
