/**
 * The revocation benchmark: the revocation Lambda's batch logic (revoke-batch.ts, with one
 * DeviceRevoker as one Lambda instance keeps) fed from an in-process queue that hands out batches
 * like the SQS event source (up to the construct's batch size, after a batching window), on the
 * simulator at realistic latency and the documented quotas, time-scaled. Not modelled: the
 * EventBridge and SQS delivery delays (a few hundred ms each, outside the library's control).
 *
 * - Steady: 5 events per (Cognito) second for a minute: `revocationP99Seconds`, from the event's
 *   acceptance to the user's last device forgotten.
 * - Burst: 2,000 events for 2,000 users at once, in a pool of 4,000: zero lost, every device of
 *   those users forgotten, no other device touched; `revocationBurstBoundRatio` = the quota bound
 *   (their devices / the forget budget, or their listings / the read budget, whichever is longer)
 *   / the time the drain took.
 * Runnable alone: `BENCH_ONLY=revocation npm run bench`.
 */
import type { SQSRecord } from 'aws-lambda';
import { revokeBatch } from '../src/revocation/runtime/revoke-batch';
import { DeviceRevoker } from '../src/sweep';
import { CognitoSimulator } from '../test/sim';

const TIME_SCALE = Number(process.env.BENCH_REVOCATION_TIME_SCALE ?? 10);
const LATENCY_MS = 50;
const BUDGET_FRACTION = 0.5;
const QUOTAS = { UserList: 30, UserResourceRead: 50, UserResourceUpdate: 25 };
/** The construct's default batchSize. */
const BATCH_SIZE = Number(process.env.BENCH_REVOCATION_BATCH_SIZE ?? 10);
const BATCHING_WINDOW_MS = 1000;
const STEADY_RATE = 5;
const STEADY_SECONDS = 60;
const BURST_USERS = 2000;

export interface RevocationBench {
  readonly revocationTimeScale: number;
  readonly revocationP99Seconds: number;
  readonly revocationP50Seconds: number;
  readonly revocationBurstBoundRatio: number;
  readonly revocationBurstSeconds: number;
  readonly revocationBurstBoundSeconds: number;
  readonly revocationBurstLost: number;
  readonly revocationBurstOthersTouched: number;
}

interface Queued {
  readonly record: SQSRecord;
  readonly acceptedAt: number;
  readonly username: string;
}

export async function revocationBench(log: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<RevocationBench> {
  process.env.AWS_ACCESS_KEY_ID ??= 'bench';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'bench';
  const T = TIME_SCALE;
  const sim = await CognitoSimulator.start({ timeScale: T, latencyMs: LATENCY_MS, seed: 42 });
  const budget = {
    fraction: BUDGET_FRACTION,
    baseQuotas: { UserList: QUOTAS.UserList * T, UserResourceRead: QUOTAS.UserResourceRead * T, UserResourceUpdate: QUOTAS.UserResourceUpdate * T },
    perUserRatePerSecond: 10 * T,
  };
  try {
    const poolId = sim.seedPool({
      region: 'eu-west-1',
      poolId: 'eu-west-1_BenchRevoke',
      users: 2 * BURST_USERS + STEADY_RATE * STEADY_SECONDS,
      statusMix: { CONFIRMED: 1 },
      devicesPerUser: { min: 1, max: 3 },
    });
    const users = sim.usersOf(poolId).map((u) => u.username);

    log(`revocation: steady ${STEADY_RATE} events/s for ${STEADY_SECONDS} s (T=${T}) ...`);
    const steadyUsers = users.slice(2 * BURST_USERS);
    const steady = await pipeline(sim.endpoint, poolId, budget, T, async (enqueue) => {
      for (let i = 0; i < steadyUsers.length; i++) {
        enqueue(steadyUsers[i]);
        await sleep(1000 / STEADY_RATE / T);
      }
    });
    const sortedLatency = steady.latencies.map((ms) => (ms * T) / 1000).sort((a, b) => a - b);

    log(`revocation: burst of ${BURST_USERS} events (T=${T}) ...`);
    const burstUsers = users.slice(0, BURST_USERS);
    const others = users.slice(BURST_USERS, 2 * BURST_USERS);
    const othersBefore = others.reduce((n, u) => n + sim.devicesOf(poolId, u).length, 0);
    const burstDevices = burstUsers.reduce((n, u) => n + sim.devicesOf(poolId, u).length, 0);
    const started = Date.now();
    const burst = await pipeline(sim.endpoint, poolId, budget, T, async (enqueue) => {
      for (const u of burstUsers) enqueue(u);
    });
    const burstSeconds = ((Date.now() - started) * T) / 1000;
    const boundSeconds = Math.max(
      burstDevices / (QUOTAS.UserResourceUpdate * BUDGET_FRACTION),
      BURST_USERS / (QUOTAS.UserResourceRead * BUDGET_FRACTION),
    );
    const lost = burstUsers.reduce((n, u) => n + sim.devicesOf(poolId, u).length, 0) + burst.failed;
    const othersAfter = others.reduce((n, u) => n + sim.devicesOf(poolId, u).length, 0);
    return {
      revocationTimeScale: T,
      revocationP99Seconds: round(percentile(sortedLatency, 0.99), 2),
      revocationP50Seconds: round(percentile(sortedLatency, 0.5), 2),
      revocationBurstBoundRatio: round(boundSeconds / burstSeconds, 3),
      revocationBurstSeconds: round(burstSeconds, 1),
      revocationBurstBoundSeconds: round(boundSeconds, 1),
      revocationBurstLost: lost,
      revocationBurstOthersTouched: othersBefore - othersAfter,
    };
  } finally {
    await sim.stop();
  }
}

/**
 * One Lambda instance behind a queue: batches of up to BATCH_SIZE, taken after the batching window
 * (scaled) or at once when full; failed messages go back to the queue.
 */
async function pipeline(
  endpoint: string, poolId: string, rateBudget: object, T: number, produce: (enqueue: (username: string) => void) => Promise<void>,
):
  Promise<{ latencies: number[]; failed: number }> {
  const revoker = new DeviceRevoker({ endpoint, rateBudget });
  const queue: Queued[] = [];
  const latencies: number[] = [];
  let failed = 0;
  let producing = true;
  let serial = 0;
  const enqueue = (username: string): void => {
    const id = `m${serial++}`;
    queue.push({
      acceptedAt: Date.now(),
      username,
      record: {
        messageId: id,
        receiptHandle: id,
        body: JSON.stringify({ userPoolId: poolId, username }),
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'bench', ApproximateFirstReceiveTimestamp: '0' },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:bench',
        awsRegion: 'eu-west-1',
      },
    });
  };
  const producer = produce(enqueue).then(() => { producing = false; });
  try {
    while (producing || queue.length > 0) {
      if (queue.length < BATCH_SIZE && producing) await sleep(Math.min(BATCHING_WINDOW_MS / T, 50));
      if (queue.length === 0) continue;
      const batch = queue.splice(0, BATCH_SIZE);
      const byId = new Map(batch.map((q) => [q.record.messageId, q]));
      const response = await revokeBatch(batch.map((q) => q.record), {
        allowedUserPoolIds: [poolId],
        revoke: (target) => revoker.revoke(target),
        metric: () => undefined,
        log: () => undefined,
      });
      // Latency from acceptance to the end of the batch (when SQS would delete the message): at least
      // until the user's last device is forgotten, so the figure is conservative.
      const done = Date.now();
      const failedIds = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      for (const [id, q] of byId) {
        if (failedIds.has(id)) {
          failed++;
          queue.push(q);
        } else {
          latencies.push(done - q.acceptedAt);
        }
      }
    }
    await producer;
  } finally {
    revoker.close();
  }
  return { latencies, failed };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
