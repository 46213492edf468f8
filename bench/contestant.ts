/**
 * One benchmark contestant, run in its own child process so its memory is measured alone (the
 * simulator and its pool live in the parent). Reads its task from argv[2] (JSON), reports over IPC.
 */
import { monitorEventLoopDelay } from 'perf_hooks';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { sampleMemory } from './memory-sampler';
import { naiveSweep } from './naive';
import { runQueueWaitMs } from './run-queue';
import { GuardSpans, WindowSpans } from './window-spans';
import { scaledQuotas, sweepDevices } from '../src/sweep';
import type { AccountRole } from '../src/sweep';
import { PER_USER_RATE } from '../src/sweep/rate/user-pace';

/** What the parent asks for. */
export interface ContestantTask {
  readonly kind: 'engine' | 'naive';
  readonly endpoint: string;
  readonly region: string;
  readonly userPoolId: string;
  readonly staleAfterSeconds: number;
  /** The staleness reference time (epoch ms), the same for every contestant. */
  readonly nowMs: number;
  readonly timeScale: number;
  readonly budgetFraction: number;
  /** Engine only: every pool to sweep in one run (ids or ARNs). @default [userPoolId] */
  readonly userPoolIds?: readonly string[];
  /** Engine only: the accounts' roles (each account and Region one quota domain). @default none */
  readonly accountRoles?: readonly AccountRole[];
  /** Engine only: where to assume them. @default the default STS endpoint */
  readonly stsEndpoint?: string;
  /**
   * Force a full GC every 2 s to sample the live heap. The timing runs turn it off: its CPU would
   * count as the engine's (cpuMs). @default true
   */
  readonly forcedGc?: boolean;
}

/** What the child reports. */
export interface ContestantReport {
  readonly kind: ContestantTask['kind'];
  readonly elapsedMs: number;
  readonly devicesStale: number;
  readonly devicesForgotten: number;
  readonly usersScanned: number;
  readonly errors: number;
  /** Engine only: TooManyRequestsException answers seen (and retried). */
  readonly throttled: number;
  /** Memory before the run (modules loaded, after a GC) and peaks during it. */
  readonly baselineRssMb: number;
  readonly peakRssMb: number;
  readonly peakHeapUsedMb: number;
  /** Highest heap in use right after a forced GC (what is really retained), MB. */
  readonly peakLiveHeapMb?: number;
  /** CPU time of this process during the run, ms. */
  readonly cpuMs: number;
  /** Time the main thread was runnable but waited for a CPU during the run, ms (Linux only). */
  readonly cpuWaitMs?: number;
  /** Engine timing runs only: the window guard it applied, read from its grants (window-spans.ts). */
  readonly guardSpans?: GuardSpans;
  /**
   * Timing runs only: how late this process's event loop ran what was due (perf_hooks, 10 ms
   * resolution), ms: its share of the round trips' jitter, which sets the window guard.
   */
  readonly eventLoopDelayMs?: { readonly p50: number; readonly p99: number; readonly max: number };
}

async function run(task: ContestantTask): Promise<ContestantReport> {
  global.gc?.();
  const baselineRssMb = process.memoryUsage().rss / (1024 * 1024);
  const memory = sampleMemory(50, task.forcedGc === false ? 0 : 2000);
  const cpuBefore = process.cpuUsage();
  const waitBefore = runQueueWaitMs();
  const startedAt = performance.now();
  let counts: Pick<ContestantReport, 'devicesStale' | 'devicesForgotten' | 'usersScanned' | 'errors' | 'throttled'>;
  // Timing runs only: the grant times of a 100,000-user memory run would weigh on its memory.
  const spans = task.forcedGc === false ? new WindowSpans() : undefined;
  const loopDelay = task.forcedGc === false ? monitorEventLoopDelay({ resolution: 10 }) : undefined;
  loopDelay?.enable();
  const quotas = scaledQuotas(task.timeScale);
  if (task.kind === 'engine') {
    const result = await sweepDevices({
      userPoolIds: task.userPoolIds ?? [task.userPoolId],
      accountRoles: task.accountRoles,
      stsEndpoint: task.stsEndpoint,
      selection: { kind: 'stale', staleAfterSeconds: task.staleAfterSeconds },
      endpoint: task.endpoint,
      now: () => task.nowMs,
      rateBudget: { fraction: task.budgetFraction, baseQuotas: quotas, perUserRatePerSecond: PER_USER_RATE * task.timeScale },
      onGrant: spans?.record,
    });
    const sum = (key: 'devicesStale' | 'devicesForgotten' | 'usersScanned' | 'errors') => result.pools.reduce((n, p) => n + p[key], 0);
    counts = {
      devicesStale: sum('devicesStale'),
      devicesForgotten: sum('devicesForgotten'),
      usersScanned: sum('usersScanned'),
      errors: sum('errors'),
      throttled: result.throttled,
    };
  } else {
    // The SDK's defaults: standard retries, 3 attempts.
    const client = new CognitoIdentityProviderClient({ region: task.region, endpoint: task.endpoint });
    try {
      const result = await naiveSweep(client, task.userPoolId, task.staleAfterSeconds, new Date(task.nowMs));
      counts = { ...pick(result), throttled: 0 };
    } finally {
      client.destroy();
    }
  }
  const elapsedMs = performance.now() - startedAt;
  loopDelay?.disable();
  const cpu = process.cpuUsage(cpuBefore);
  const waitAfter = runQueueWaitMs();
  const peak = memory.stop();
  return {
    kind: task.kind,
    elapsedMs,
    ...counts,
    baselineRssMb,
    peakRssMb: peak.peakRssMb,
    peakHeapUsedMb: peak.peakHeapUsedMb,
    peakLiveHeapMb: peak.peakLiveHeapMb,
    cpuMs: (cpu.user + cpu.system) / 1000,
    cpuWaitMs: waitBefore === undefined || waitAfter === undefined ? undefined : waitAfter - waitBefore,
    eventLoopDelayMs: loopDelay && {
      p50: Number((loopDelay.percentile(50) / 1e6).toFixed(1)),
      p99: Number((loopDelay.percentile(99) / 1e6).toFixed(1)),
      max: Number((loopDelay.max / 1e6).toFixed(1)),
    },
    guardSpans: spans?.spans({
      UserList: quotas.UserList * task.budgetFraction,
      UserResourceRead: quotas.UserResourceRead * task.budgetFraction,
      UserResourceUpdate: quotas.UserResourceUpdate * task.budgetFraction,
    }),
  };
}

function pick(counts: { devicesStale: number; devicesForgotten: number; usersScanned: number; errors: number }) {
  return { devicesStale: counts.devicesStale, devicesForgotten: counts.devicesForgotten, usersScanned: counts.usersScanned, errors: counts.errors };
}

process.env.AWS_ACCESS_KEY_ID = 'bench';
process.env.AWS_SECRET_ACCESS_KEY = 'bench';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
run(JSON.parse(process.argv[2]) as ContestantTask).then(
  (report) => process.send!(report, () => process.exit(0)),
  (error: unknown) => {
    process.stderr.write(`contestant failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
