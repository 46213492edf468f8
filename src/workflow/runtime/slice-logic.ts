/**
 * One slice of a sweep run, without Lambda or Powertools: validate the event, give the engine a
 * deadline and the previous slice's cursor, and fold this slice's counts into the run's totals.
 * The Lambda handler wires it to the real engine; tests call it directly against the simulator.
 */
import { SliceInputError, SweepMetricNames, SweepRunProgress } from '../contract';
import { parseSliceEvent } from './slice-event';
import { mergePoolReports, SweepInputError, validateSweepOptions } from '../../sweep';
import type { PoolCounterName, PoolReport, SweepOptions, SweepResult } from '../../sweep';

/** Time kept back from the Lambda's remaining time: the engine finishes in-flight calls and we reply. */
export const SLICE_SAFETY_MARGIN_MS = 60_000;

/** Longest slice, whatever the Lambda timeout (15 minutes is Lambda's maximum). */
export const MAX_SLICE_MS = 14 * 60_000;

/** What a slice needs from its surroundings. */
export interface SliceContext {
  /** The pools this slice may touch (from the Lambda's environment). */
  readonly allowedUserPoolIds: readonly string[];
  /** Milliseconds before the Lambda is stopped (`context.getRemainingTimeInMillis()`). */
  readonly remainingTimeMs: number;
  /** The engine entry point (`sweepDevices`). */
  readonly sweep: (options: SweepOptions) => Promise<SweepResult>;
  /**
   * Clock for the slice's deadline, epoch milliseconds. Given, the engine reads the deadline on it
   * at each call start instead of arming timers (SweepOptions.deadlineClock: tests cut slices by
   * work done). @default Date.now, with timers
   */
  readonly clock?: () => number;
  /**
   * Engine options the environment decides rather than the event: endpoint, client factory, logger,
   * and (tests only) the staleness clock and base quotas scaled to a simulator's time scale.
   * @default none
   */
  readonly engineOptions?: Pick<SweepOptions, 'endpoint' | 'clientFor' | 'logger' | 'onProgress' | 'now' | 'nextCheckIndex' | 'onGrant'> & {
    readonly baseQuotas?: NonNullable<SweepOptions['rateBudget']>['baseQuotas'];
  };
}

/** What one slice did: the next progress to hand back, and this slice's own engine result. */
export interface SliceOutcome {
  readonly progress: SweepRunProgress;
  /** This slice's own engine result (its counts only). */
  readonly result: SweepResult;
}

/**
 * Runs one slice: validates `event`, sweeps until the slice's deadline, and returns the next progress.
 *
 * @throws SliceInputError when the event is malformed or names a pool outside the allow-list
 */
export async function runSlice(event: unknown, context: SliceContext): Promise<SliceOutcome> {
  const { config, progress: previous } = parseSliceEvent(event, context.allowedUserPoolIds);
  const clock = context.clock ?? Date.now;
  const budgetMs = sliceBudgetMs(context.remainingTimeMs);

  const options: SweepOptions = {
    userPoolIds: config.userPoolIds,
    selection: config.selection,
    dryRun: config.dryRun,
    // The engine counts forgets across slices in the cursor, so the cap is the whole run's.
    maxForgets: config.maxForgets,
    rateBudget: { fraction: config.rateBudget?.fraction, baseQuotas: context.engineOptions?.baseQuotas },
    excludeUsernames: config.excludeUsernames,
    onlyRemembered: config.onlyRemembered,
    followAccountUsage: config.followAccountUsage,
    deadline: clock() + budgetMs,
    deadlineClock: context.clock,
    cursor: previous?.cursor,
    endpoint: context.engineOptions?.endpoint,
    clientFor: context.engineOptions?.clientFor,
    logger: context.engineOptions?.logger,
    onProgress: context.engineOptions?.onProgress,
    now: context.engineOptions?.now,
    onGrant: context.engineOptions?.onGrant,
    // The index bounds staleness only; a run started by hand with another selection sweeps in full.
    nextCheckIndex: config.selection.kind === 'stale' ? context.engineOptions?.nextCheckIndex : undefined,
  };
  let result: SweepResult;
  try {
    validateSweepOptions(options);
    result = await context.sweep(options);
  } catch (error) {
    // Options or cursor the engine refuses: retrying the same event cannot help.
    if (error instanceof SweepInputError) {
      throw new SliceInputError(`The engine refused the event: ${error.message}`);
    }
    throw error;
  }
  return { progress: nextProgress(previous, result), result };
}

/**
 * How long this slice may sweep: the Lambda's remaining time minus the safety margin, at most
 * `MAX_SLICE_MS`.
 */
export function sliceBudgetMs(remainingTimeMs: number): number {
  const budget = Math.min(remainingTimeMs - SLICE_SAFETY_MARGIN_MS, MAX_SLICE_MS);
  if (!(budget > 0)) {
    throw new Error(
      `The slice Lambda has ${remainingTimeMs} ms left, less than the ${SLICE_SAFETY_MARGIN_MS} ms safety margin: ` +
      'give the function a timeout of several minutes (the workflow sets 15 minutes).',
    );
  }
  return budget;
}

/** Folds one slice's result into the run's progress. */
export function nextProgress(previous: SweepRunProgress | undefined, result: SweepResult): SweepRunProgress {
  // A capped slice ends the run even though the engine hands back a cursor: the cap is for the whole run.
  const done = result.done || result.capped;
  if (!done && !result.cursor) {
    throw new Error('The sweep engine stopped before the end without a cursor to resume from.');
  }
  return {
    done,
    cursor: done ? undefined : result.cursor,
    capped: result.capped,
    totals: previous ? mergePoolReports(previous.totals, result.pools) : [...result.pools],
    slices: (previous?.slices ?? 0) + 1,
    startedAt: previous?.startedAt ?? isoDate(result.startedAt),
    finishedAt: isoDate(result.finishedAt),
  };
}

/** One metric data point (count) the slice emits. */
export interface SliceMetric {
  readonly name: string;
  readonly value: number;
}

/**
 * The metrics of one slice: its own counts (so that summing over time gives totals without double
 * counting), and once the run ends, whether it completed, was capped, or finished with errors.
 */
export function sliceMetrics(outcome: SliceOutcome): SliceMetric[] {
  const pools = outcome.result.pools;
  const metrics: SliceMetric[] = [
    { name: SweepMetricNames.USERS_SCANNED, value: sum(pools, 'usersScanned') },
    { name: SweepMetricNames.DEVICES_SCANNED, value: sum(pools, 'devicesScanned') },
    { name: SweepMetricNames.DEVICES_STALE, value: sum(pools, 'devicesStale') },
    { name: SweepMetricNames.DEVICES_FORGOTTEN, value: sum(pools, 'devicesForgotten') },
    { name: SweepMetricNames.DEVICES_ALREADY_GONE, value: sum(pools, 'devicesAlreadyGone') },
    { name: SweepMetricNames.ERRORS, value: sum(pools, 'errors') },
    { name: SweepMetricNames.USERS_SKIPPED_BY_INDEX, value: sum(pools, 'usersSkippedByIndex') },
    { name: SweepMetricNames.THROTTLED, value: outcome.result.throttled },
  ];
  if (outcome.progress.done) {
    metrics.push(
      { name: SweepMetricNames.RUNS_COMPLETED, value: 1 },
      { name: SweepMetricNames.RUNS_CAPPED, value: outcome.progress.capped ? 1 : 0 },
      { name: SweepMetricNames.RUNS_FAILED, value: sum(outcome.progress.totals, 'errors') > 0 ? 1 : 0 },
    );
  }
  return metrics;
}

function sum(reports: readonly PoolReport[], counter: PoolCounterName): number {
  return reports.reduce((total, report) => total + report[counter], 0);
}

function isoDate(value: string | number | Date): string {
  return new Date(value).toISOString();
}
