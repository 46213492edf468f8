/**
 * One slice of a sweep run, without Lambda or Powertools: validate the event, give the engine a
 * deadline and the previous slice's cursor, and fold this slice's counts into the run's totals.
 * The Lambda handler wires it to the real engine; tests call it directly against the simulator.
 */
import {
  AGE_BUCKET_METRICS, DEVICE_COUNT_METRICS, PlanEvent, PoolProgress, SliceInputError, SweepAccountRole, SweepDomain, SweepMetric,
  SliceEvent, SweepPlan, SweepRunOutput, SweepRunProgress, SWEEP_SYSTEMIC_ERROR, SweepSystemicError,
} from '../contract';
import { mergeDomains, runMetrics } from './domain-merge';
import { planDomains } from './domain-plan';
import { parseWorkflowEvent, SliceAccess } from './slice-event';
import { mergePoolReports, SweepInputError, validateSweepOptions } from '../../sweep';
import type { PoolCounterName, PoolReport, PoolResult, SweepOptions, SweepResult } from '../../sweep';
import { SWEEP_SESSION_NAME_PREFIX } from '../../sweep/input/session-name';
import { addAgePicture, zeroAgePicture } from '../../sweep/pipeline/age-picture';
import type { AuditSink } from '../../sweep/pipeline/audit';
import { toPoolReport, zeroCounters } from '../../sweep/pipeline/report';

/** Time kept back from the Lambda's remaining time: the engine finishes in-flight calls and we reply. */
export const SLICE_SAFETY_MARGIN_MS = 60_000;

/** Longest slice, whatever the Lambda timeout (15 minutes is Lambda's maximum). */
export const MAX_SLICE_MS = 14 * 60_000;

/** What a slice needs from its surroundings. */
export interface SliceContext {
  /** The pools this slice may touch, as pool ids (from the Lambda's environment). */
  readonly allowedUserPoolIds: readonly string[];
  /** The roles this slice may assume for pools of other accounts (`ALLOWED_ACCOUNT_ROLE_ARNS`). @default none */
  readonly allowedRoleArns?: readonly string[];
  /**
   * The workflow's own account (the Lambda's, from its ARN): a pool ARN of another account then
   * needs a role. @default not known (such a pool is left to IAM: the engine stops it, access denied)
   */
  readonly accountId?: string;
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
  readonly engineOptions?: Pick<SweepOptions, 'endpoint' | 'stsEndpoint' | 'clientFor' | 'logger' | 'onProgress' | 'now' | 'nextCheckIndex' | 'onGrant'> & {
    readonly baseQuotas?: NonNullable<SweepOptions['rateBudget']>['baseQuotas'];
  };
  /** Where audit records go. @default no audit trail */
  readonly audit?: SliceAudit;
  /**
   * Cognito's estimate of each pool's users (DescribeUserPool), asked on a run's first slice for
   * the progress's time-left estimates, and by the plan to weigh the domains' shares of the cap;
   * pools it cannot tell are left out, a rejection means none. The pools of an account in
   * `accountRoles` are asked with that account's role (session named after `runId`).
   * @default no estimates
   */
  readonly estimateUsers?: (
    userPoolIds: readonly string[], accountRoles?: readonly SweepAccountRole[], runId?: string,
  ) => Promise<ReadonlyMap<string, number>>;
}

/** The audit trail of the slices, when the construct has one. */
export interface SliceAudit {
  /**
   * The sink of one slice: `slice` is its number in the run (1 for the first; in a domain, in the
   * domain's loop), `cursor` where it starts, `domain` the quota domain of its loop (parallel
   * domains must write apart: their slice numbers and first cursors are the same).
   */
  readonly sinkFor: (executionName: string, slice: number, cursor: string | undefined, domain?: SweepDomain) => AuditSink;
  /** Key of the username HMAC. @default usernames in clear */
  readonly usernameKey?: () => Promise<string>;
}

/** What one slice did: the next progress to hand back, and this slice's own engine result. */
export interface SliceOutcome {
  readonly progress: SweepRunProgress;
  /** This slice's own engine result (its counts only). */
  readonly result: SweepResult;
  /** The quota domain of the slice's loop: its metrics are its own counts only (the merge emits the run's). @default none: the run's only loop */
  readonly domain?: SweepDomain;
}

/** What one invocation did, by the request's action. */
export type StepOutcome =
  | { readonly action: 'slice'; readonly outcome: SliceOutcome }
  | { readonly action: 'plan'; readonly plan: SweepPlan }
  | { readonly action: 'merge'; readonly output: SweepRunOutput; readonly metrics: SliceMetric[] };

/**
 * Runs what the event asks (`action`): a slice (no action), the plan (`SweepPlan`: the Map's items),
 * or the merge (the run's output and its run-level metrics).
 *
 * @throws SliceInputError when the event is malformed or names a pool or role outside the allow-lists
 */
export async function runStep(event: unknown, context: SliceContext): Promise<StepOutcome> {
  const parsed = parseWorkflowEvent(event, context.allowedUserPoolIds, accessOf(context));
  switch (parsed.action) {
    case 'plan':
      return { action: 'plan', plan: await runPlan(parsed.event, context) };
    case 'merge': {
      const output = mergeDomains(parsed.event, isoDate((context.clock ?? Date.now)()));
      return { action: 'merge', output, metrics: runMetrics(output) };
    }
    default:
      return { action: 'slice', outcome: await runParsedSlice(parsed.event, context) };
  }
}

/** The plan: the run's quota domains, the cap split by the pools' estimated users when Cognito tells them. */
export async function runPlan(event: PlanEvent, context: SliceContext): Promise<SweepPlan> {
  const estimates = event.config.maxForgets === undefined
    ? undefined
    : await context.estimateUsers?.(event.config.userPoolIds, event.config.accountRoles, event.run?.executionName).catch(() => undefined);
  return planDomains(event.config, estimates);
}

function accessOf(context: SliceContext): SliceAccess {
  return { allowedRoleArns: context.allowedRoleArns ?? [], ownAccountId: context.accountId };
}

/** Whether a raw event is a slice of a quota domain's loop (read before parsing, for the metrics of a refusal). */
export function isDomainSlice(event: unknown): boolean {
  return typeof event === 'object' && event !== null && !('action' in event && (event as { action?: unknown }).action != null) &&
    (event as { domain?: unknown }).domain != null;
}

/**
 * A slice whose sweep was stopped by an error no retry can fix. Its outcome (the counts up to the
 * stop, the stopped pools) is kept for the metrics and the log; the run ends failed. (A domain's
 * slice returns its progress with `stopped` instead, so that its counts reach the merge.)
 */
export class StoppedSliceError extends SweepSystemicError {
  constructor(readonly outcome: SliceOutcome) {
    super(stopMessage(outcome.result));
  }
}

/** Each distinct reason of the slice's stopped pools, joined by `; ` (a run-wide stop stops every pool with one reason: said once). */
function stopMessage(result: SweepResult): string {
  const messages = new Set(result.pools.flatMap((pool) => pool.stopped ? [pool.stopped.message] : []));
  if (messages.size === 0 && result.stopped) messages.add(result.stopped.message);
  return [...messages].join('; ');
}

/**
 * Runs one slice: validates `event`, sweeps until the slice's deadline, and returns the next progress.
 *
 * @throws SliceInputError when the event is malformed or names a pool outside the allow-list
 */
export async function runSlice(event: unknown, context: SliceContext): Promise<SliceOutcome> {
  const parsed = parseWorkflowEvent(event, context.allowedUserPoolIds, accessOf(context));
  if (parsed.action !== 'slice') {
    throw new SliceInputError(`A ${parsed.action} request is not a slice: give it to the handler, which dispatches on action.`);
  }
  return runParsedSlice(parsed.event, context);
}

async function runParsedSlice(event: SliceEvent, context: SliceContext): Promise<SliceOutcome> {
  const { config, progress: previous, run, domain } = event;
  const clock = context.clock ?? Date.now;
  const budgetMs = sliceBudgetMs(context.remainingTimeMs);
  if (context.audit && !run) {
    throw new SliceInputError('run.executionName is missing: the audit trail names each slice\'s object after the execution.');
  }
  if (domain && config.maxForgets === 0) {
    // The domain's share of the run's cap is 0 (the plan's split): it forgets nothing, and ends capped at once.
    const now = isoDate(clock());
    const result = emptyResult(config.userPoolIds, now);
    return { progress: nextProgress(previous, result), result, domain };
  }
  const audit = context.audit && run ? {
    sink: context.audit.sinkFor(run.executionName, (previous?.slices ?? 0) + 1, previous?.cursor, domain),
    usernameKey: await context.audit.usernameKey?.(),
  } : undefined;

  const options: SweepOptions = {
    userPoolIds: config.userPoolIds,
    selection: config.selection,
    dryRun: config.dryRun,
    // The engine counts forgets across slices in the cursor, so the cap is the whole run's.
    maxForgets: config.maxForgets,
    rateBudget: {
      fraction: config.rateBudget?.fraction,
      readProvisionedLimits: config.rateBudget?.readProvisionedLimits,
      baseQuotas: context.engineOptions?.baseQuotas,
    },
    excludeUsernames: config.excludeUsernames,
    onlyRemembered: config.onlyRemembered,
    followAccountUsage: config.followAccountUsage,
    // Sessions named as the DeviceSweepAccessRole's trust policy requires: the prefix, then the execution name.
    accountRoles: config.accountRoles?.map((role) => ({ ...role, sessionNamePrefix: SWEEP_SESSION_NAME_PREFIX })),
    stsEndpoint: context.engineOptions?.stsEndpoint,
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
    runId: run?.executionName,
    audit,
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
  const estimates = previous
    ? new Map((previous.pools ?? []).flatMap((p) => (p.estimatedUsers === undefined ? [] : [[p.userPoolId, p.estimatedUsers] as const])))
    : await context.estimateUsers?.(config.userPoolIds, config.accountRoles, run?.executionName).catch(() => undefined);
  const outcome: SliceOutcome = { progress: nextProgress(previous, result, estimates), result, ...(domain ? { domain } : {}) };
  if (result.stopped) {
    // Retrying cannot help (a denial, refused credentials, a missing pool). A domain's loop ends
    // failed with what this slice did (DomainStopped: its partial); a run's only loop fails.
    if (domain) return { ...outcome, progress: { ...outcome.progress, stopped: { error: SWEEP_SYSTEMIC_ERROR, cause: stopMessage(result) } } };
    throw new StoppedSliceError(outcome);
  }
  return outcome;
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
export function nextProgress(
  previous: SweepRunProgress | undefined, result: SweepResult, estimatedUsers?: ReadonlyMap<string, number>,
): SweepRunProgress {
  // A capped slice ends the run even though the engine hands back a cursor: the cap is for the whole run.
  const done = (result.done || result.capped) && !result.stopped;
  if (!done && !result.cursor) {
    throw new Error('The sweep engine stopped before the end without a cursor to resume from.');
  }
  const totals = previous ? mergePoolReports(previous.totals, result.pools) : [...result.pools];
  const sweepSeconds = (previous?.sweepSeconds ?? 0) + Math.max(0, (Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000);
  return {
    done,
    cursor: done ? undefined : result.cursor,
    capped: result.capped,
    totals,
    slices: (previous?.slices ?? 0) + 1,
    startedAt: previous?.startedAt ?? isoDate(result.startedAt),
    finishedAt: isoDate(result.finishedAt),
    sweepSeconds,
    pools: poolProgress(totals, sweepSeconds, done, estimatedUsers),
  };
}

/**
 * Users done per pool and the time each pool still needs, at the run's rate so far: counted work
 * (users done) over the slices' own sweeping time, so waits between slices do not skew it.
 */
export function poolProgress(
  totals: readonly PoolReport[], sweepSeconds: number, done: boolean, estimatedUsers?: ReadonlyMap<string, number>,
): PoolProgress[] {
  const usersDone = totals.reduce((n, pool) => n + pool.usersScanned, 0);
  const usersPerSecond = sweepSeconds > 0 ? usersDone / sweepSeconds : 0;
  return totals.map((pool) => {
    const estimate = estimatedUsers?.get(pool.userPoolId);
    const left = done ? 0 : Math.max(0, (estimate ?? 0) - pool.usersScanned);
    const secondsLeft = done ? 0 : estimate !== undefined && usersPerSecond > 0 ? Math.round(left / usersPerSecond) : undefined;
    return {
      userPoolId: pool.userPoolId,
      usersDone: pool.usersScanned,
      ...(estimate === undefined ? {} : { estimatedUsers: estimate }),
      ...(secondsLeft === undefined ? {} : { estimatedSecondsLeft: secondsLeft }),
    };
  });
}

/** One metric data point (count) the slice emits. */
export interface SliceMetric {
  readonly name: string;
  readonly value: number;
}

/**
 * The metrics of one slice: its own counts (so that summing over time gives totals without double
 * counting), and once the run ends, whether it completed, was capped, or finished with errors. A
 * slice of a quota domain's loop reports its own counts only: the merge reports the run, once.
 */
export function sliceMetrics(outcome: SliceOutcome): SliceMetric[] {
  const pools = outcome.result.pools;
  const metrics: SliceMetric[] = [
    { name: SweepMetric.USERS_SCANNED, value: sum(pools, 'usersScanned') },
    { name: SweepMetric.DEVICES_SCANNED, value: sum(pools, 'devicesScanned') },
    { name: SweepMetric.DEVICES_STALE, value: sum(pools, 'devicesStale') },
    { name: SweepMetric.DEVICES_FORGOTTEN, value: sum(pools, 'devicesForgotten') },
    { name: SweepMetric.DEVICES_ALREADY_GONE, value: sum(pools, 'devicesAlreadyGone') },
    { name: SweepMetric.ERRORS, value: sum(pools, 'errors') },
    { name: SweepMetric.USERS_SKIPPED_BY_INDEX, value: sum(pools, 'usersSkippedByIndex') },
    { name: SweepMetric.THROTTLED, value: outcome.result.throttled },
  ];
  const picture = zeroAgePicture();
  for (const pool of pools) addAgePicture(picture, pool.ages);
  for (const [bucket, name] of Object.entries(AGE_BUCKET_METRICS)) {
    const key = bucket as keyof typeof AGE_BUCKET_METRICS;
    metrics.push({ name, value: picture.remembered[key] + picture.notRemembered[key] });
  }
  metrics.push({ name: SweepMetric.DEVICES_REMEMBERED, value: Object.values(picture.remembered).reduce((a, b) => a + b, 0) });
  for (const [bucket, name] of Object.entries(DEVICE_COUNT_METRICS)) {
    metrics.push({ name, value: picture.usersByDeviceCount[bucket as keyof typeof DEVICE_COUNT_METRICS] });
  }
  if (outcome.progress.done && !outcome.domain) {
    const seconds = (Date.parse(outcome.progress.finishedAt) - Date.parse(outcome.progress.startedAt)) / 1000;
    metrics.push(
      { name: SweepMetric.RUN_DURATION, value: Math.max(0, seconds) },
      { name: SweepMetric.RUNS_COMPLETED, value: 1 },
      { name: SweepMetric.RUNS_CAPPED, value: outcome.progress.capped ? 1 : 0 },
      { name: SweepMetric.RUNS_FAILED, value: sum(outcome.progress.totals, 'errors') > 0 ? 1 : 0 },
    );
  }
  return metrics;
}

/** The result of a slice that made no call: zero counts for each pool, done and capped. */
function emptyResult(userPoolIds: readonly string[], now: string): SweepResult {
  const pools: PoolResult[] = userPoolIds.map((id) => toPoolReport(id, zeroCounters()));
  return {
    done: true,
    capped: true,
    pools,
    startedAt: now,
    finishedAt: now,
    calls: { UserList: 0, UserResourceRead: 0, UserResourceUpdate: 0 },
    throttled: 0,
    ratesPerSecond: { UserList: 0, UserResourceRead: 0, UserResourceUpdate: 0 },
  };
}

function sum(reports: readonly PoolReport[], counter: PoolCounterName): number {
  return reports.reduce((total, report) => total + report[counter], 0);
}

function isoDate(value: string | number | Date): string {
  return new Date(value).toISOString();
}
