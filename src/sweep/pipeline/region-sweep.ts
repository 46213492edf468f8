/**
 * The pipeline of one Region: ListUsers pages (read ahead) -> AdminListDevices per user (many
 * users in flight) -> AdminForgetDevice for picked devices, all three under the Region's shared
 * limiters, so the run is bounded by the slowest category's budget rather than by latency. Pools
 * of the Region are swept one after another; memory is bounded by the read-ahead, the users in
 * flight and the commit window, whatever the pool size.
 */
import type { AuditIntent, AuditRecorder, AuditSink, IntentRecorder } from './audit';
import type { BudgetedCalls } from '../calls/calls';
import { errorName, SystemicCallError } from '../calls/error-class';
import { SweepStoppedError } from '../errors';
import type { ForgetCap } from './forget-cap';
import { intentsOfPools, recoverIntents } from './intent-recovery';
import { PageTracker } from './page-tracker';
import { prefetch } from './prefetch';
import { addCounters, Counters, toPoolReport, zeroCounters } from './report';
import { Semaphore } from './semaphore';
import type { DeviceSelection, PoolStop, SweepLogger } from '../types';
import { listedUserPages, namedUserPages, PoolPosition, UserPage } from './user-pages';
import { indexSkippedUserOutcome, skippedUserOutcome, sweepUser, UserSweepContext, WriteAhead } from './user-sweep';
import { anySignal } from '../calls/any-signal';
import { PoolIndex } from '../next-check/pool-gate';
import type { NextCheckIndex } from '../next-check/store';

/**
 * Why a sweep stops early: its deadline, its cap, its caller's signal (Ctrl-C), or an error that
 * stops every pool (no credentials, an endpoint out of reach).
 */
export type StopReason = 'deadline' | 'capped' | 'interrupted' | 'systemic';

/** What every Region of one sweep call shares. */
export interface SweepRun {
  readonly selection: DeviceSelection;
  /** Named users (deduplicated) for `users` selections. */
  readonly usernames: readonly string[];
  readonly nowMs: number;
  readonly dryRun: boolean;
  readonly onlyRemembered: boolean;
  readonly excluded: ReadonlySet<string>;
  /** Staleness selections only. */
  readonly nextCheckIndex?: NextCheckIndex;
  readonly cap: ForgetCap;
  /** Aborted when the sweep must stop; `stopReason` says why. */
  readonly signal: AbortSignal;
  readonly stopReason: () => StopReason | undefined;
  readonly stop: (reason: StopReason) => void;
  /** Stops every pool for an error no retry can fix (hard stop: waiting calls are cancelled). */
  readonly stopSystemic: (stop: PoolStop) => void;
  /** Pools stopped by a systemic error, with why (filled as pools stop). */
  readonly stoppedPools: Map<string, PoolStop>;
  /** Pools swept to their end in this call. */
  readonly finishedPools: Set<string>;
  /** Counters of this call, by pool id. */
  readonly counters: ReadonlyMap<string, Counters>;
  /** Emits a progress snapshot. */
  readonly progress: () => void;
  readonly logger?: SweepLogger;
  /** Builds and receives audit records (records reach the sink as their users are committed). */
  readonly audit?: RunAudit;
}

/** The audit trail of a run. */
export interface RunAudit {
  readonly recorder: AuditRecorder;
  readonly sink: AuditSink;
  /** When the sink has a write-ahead (and the run forgets): intents before forgets, and what earlier attempts left. */
  readonly writeAhead?: {
    readonly intents: IntentRecorder;
    /** Intents of earlier attempts without an outcome, resolved by each Region before its sweep. */
    readonly unresolved: readonly AuditIntent[];
    /** A write-ahead failed (an intent not written, an intent not resolved): the run stops hard and fails with it. */
    readonly fail: (error: unknown) => void;
  };
}

/** One Region's part of a sweep call. */
export interface RegionPlan {
  readonly region: string;
  /** The Region's pools, in `userPoolIds` order. */
  readonly userPoolIds: readonly string[];
  readonly calls: BudgetedCalls;
  /** Users swept at once (each has at most one call in flight). */
  readonly usersInFlight: number;
}

/** Where a Region resumes: a pool index and a position in it. */
export interface RegionResume {
  readonly pool: number;
  readonly position: PoolPosition;
}

/** UNCONFIRMED users never confirmed sign-up, so never signed in, and devices are only remembered at sign-in. */
const NEVER_SIGNED_IN = 'UNCONFIRMED';

/** Emit progress after this many forgets (besides every page). */
const FORGETS_PER_PROGRESS = 50;

/** Sweeps the Region's pools from `start`; returns where to resume, or undefined when every pool is done. */
export async function sweepRegion(run: SweepRun, plan: RegionPlan, start: RegionResume): Promise<RegionResume | undefined> {
  const order = { next: 0 };
  if (!(await recoverRegionIntents(run, plan, order))) return start;
  // A pool stopped by its own systemic error does not stop the next pools; the cursor resumes at
  // the first stopped pool (the pools after it are swept again by a resumed run).
  let firstStopped: RegionResume | undefined;
  for (let pool = start.pool; pool < plan.userPoolIds.length; pool++) {
    const userPoolId = plan.userPoolIds[pool];
    const position = await sweepPool(run, plan, userPoolId, pool === start.pool ? start.position : { done: 0 }, order);
    if (position && run.stoppedPools.has(userPoolId) && !run.signal.aborted) {
      firstStopped ??= { pool, position };
      continue;
    }
    if (position) return firstStopped ?? { pool, position };
  }
  return firstStopped;
}

/**
 * Resolves the Region's intents left by a killed attempt before anything is forgotten (see
 * intent-recovery.ts); false when that failed (the run is failing, nothing more is swept).
 */
async function recoverRegionIntents(run: SweepRun, plan: RegionPlan, order: { next: number }): Promise<boolean> {
  const writeAhead = run.audit?.writeAhead;
  const intents = writeAhead ? intentsOfPools(writeAhead.unresolved, plan.userPoolIds) : [];
  if (!writeAhead || intents.length === 0) return true;
  try {
    await recoverIntents({
      calls: plan.calls,
      intents: writeAhead.intents,
      counters: run.counters,
      add: (record) => run.audit!.sink.add(record),
      countForget: () => run.cap.count(),
      usersInFlight: plan.usersInFlight,
      order,
    }, intents);
    run.logger?.info('Resolved the audit intents of an earlier attempt', { region: plan.region, intents: intents.length });
    return true;
  } catch (error) {
    writeAhead.fail(error);
    return false;
  }
}

/** `order` numbers the Region's users in sweep order (their calls' priority). */
async function sweepPool(
  run: SweepRun, plan: RegionPlan, userPoolId: string, start: PoolPosition, order: { next: number },
): Promise<PoolPosition | undefined> {
  if (run.signal.aborted) return start;
  const counters = run.counters.get(userPoolId)!;
  run.logger?.info('Sweeping user pool', { userPoolId });

  // A systemic error stops this pool at once: nothing new starts, calls still waiting are not sent,
  // calls in flight finish. An error of the credentials or the endpoint stops every pool.
  const poolStop = new AbortController();
  const poolSignal = anySignal([run.signal, poolStop.signal]);
  let stopped: PoolStop | undefined;
  const calls = plan.calls.forPool(poolStop.signal, (error) => {
    if (stopped) return;
    stopped = error.stop;
    run.stoppedPools.set(userPoolId, error.stop);
    poolStop.abort();
    if (error.scope === 'run') run.stopSystemic(error.stop);
  });

  // Users in flight bound the calls in flight; the window bounds the finished users held until
  // the ones before them finish (a user with many devices can lag far behind).
  const slots = new Semaphore(plan.usersInFlight, poolSignal);
  const window = new Semaphore(Math.max(4 * plan.usersInFlight, 4 * 60), poolSignal);
  const tracker = new PageTracker(
    start,
    (done, records) => {
      addCounters(counters, done);
      for (const record of records) run.audit?.sink.add(record);
    },
    () => window.release(),
    () => run.progress(),
  );
  let forgets = 0;
  const userContext: UserSweepContext = {
    calls,
    userPoolId,
    selection: run.selection,
    nowMs: run.nowMs,
    dryRun: run.dryRun,
    onlyRemembered: run.onlyRemembered,
    cap: run.cap,
    onCapReached: () => run.stop('capped'),
    onForget: () => {
      if (++forgets % FORGETS_PER_PROGRESS === 0) run.progress();
    },
    logger: run.logger,
    audit: run.audit?.recorder,
    writeAhead: writeAheadOf(run),
  };

  const index = run.nextCheckIndex && run.selection.kind === 'stale'
    ? new PoolIndex(
      run.nextCheckIndex, userPoolId, msOf(run.selection.staleAfterSeconds), msOf(run.selection.maxDeviceAgeSeconds),
      run.nowMs, poolSignal, run.logger,
    )
    : undefined;
  const inFlight = new Set<Promise<void>>();
  const pages: AsyncIterable<UserPage> | Iterable<UserPage> = run.selection.kind === 'users'
    ? namedUserPages(run.usernames, start)
    : prefetch(listedUserPages(calls, userPoolId, start), 4);
  try {
    for await (const page of pages) {
      if (poolSignal.aborted) break;
      const tracked = tracker.open(page);
      const entries = index ? await index.lookup(page.users.slice(page.first).map((u) => u.username)) : undefined;
      for (let i = page.first; i < page.users.length; i++) {
        await window.acquire();
        const user = page.users[i];
        if (run.excluded.has(user.username)) {
          // Never touched and not counted.
          tracker.complete(tracked, i, { finished: true, full: zeroCounters(), lasting: zeroCounters() });
        } else if (user.status === NEVER_SIGNED_IN) {
          tracker.complete(tracked, i, skippedUserOutcome());
        } else if (index && !index.isDue(entries?.get(user.username), user.createdMs)) {
          tracker.complete(tracked, i, indexSkippedUserOutcome());
        } else {
          await slots.acquire();
          const task: Promise<void> = sweepUser(userContext, user.username, order.next++)
            // A user counts as done (the cursor may pass them) only once their entry is stored.
            .then(async (outcome) => {
              if (index && outcome.finished && outcome.oldestRemainingUseMs !== undefined) {
                await index.record(user.username, outcome.oldestRemainingUseMs, outcome.oldestRemainingCreateMs ?? Infinity);
              }
              tracker.complete(tracked, i, outcome);
            })
            .finally(() => {
              slots.release();
              inFlight.delete(task);
            });
          inFlight.add(task);
        }
      }
    }
  } catch (error) {
    // A stop ends the loop with SweepStoppedError; a systemic ListUsers failure has stopped the pool.
    // Anything else means ListUsers failed for good: the rest of this pool is skipped.
    if (error instanceof SystemicCallError) {
      counters.errors++;
    } else if (!(error instanceof SweepStoppedError)) {
      counters.errors++;
      run.logger?.warn('Listing the users of a pool failed; moving on', {
        userPoolId, error: errorName(error), message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  try {
    await Promise.all(inFlight);
  } finally {
    index?.close();
    // Only the loop above acquires: the semaphores are done, while the run's signal lives on.
    slots.close();
    window.close();
  }
  return finishPool(run, userPoolId, counters, tracker, stopped);
}

function writeAheadOf(run: SweepRun): WriteAhead | undefined {
  const sink = run.audit?.sink;
  const writeAhead = run.audit?.writeAhead;
  if (!sink?.intend || !writeAhead) return undefined;
  return { intents: writeAhead.intents, intend: (intents) => sink.intend!(intents), onFailure: writeAhead.fail };
}

function msOf(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}

function finishPool(
  run: SweepRun, userPoolId: string, counters: Counters, tracker: PageTracker, stopped: PoolStop | undefined,
): PoolPosition | undefined {
  const position = tracker.position();
  if (stopped) {
    // The cursor stays at the first user not fully done; those past it are swept again on a resume.
    if (position !== undefined) tracker.settle('lasting');
    // Info, not a warning: the caller reports the stop (the CLI as an error line, the slice as its failure).
    run.logger?.info('User pool stopped', { userPoolId, reason: stopped.reason, message: stopped.message });
    return position;
  }
  const reason = run.stopReason();
  if (reason === undefined || position === undefined) {
    run.finishedPools.add(userPoolId);
    run.logger?.info('User pool swept', { ...toPoolReport(userPoolId, counters) });
    return undefined;
  }
  // Stopped early. Capped runs end here (count everything seen); deadline stops resume later.
  tracker.settle(reason === 'capped' ? 'full' : 'lasting');
  run.logger?.info('User pool sweep stopped', { reason, ...toPoolReport(userPoolId, counters) });
  return position;
}
