/**
 * Parses and validates what the state machine hands to a slice. The event normally comes from our own
 * state machine, but the execution input is whatever the starter wrote (a schedule, a custom resource,
 * a person in the console), so every field is checked and a bad one named in the error.
 */
import { datedRulesProblem, maxDeviceAgeProblem, maxForgetsProblem, rateBudgetProblem, staleAfterProblem, usernamesProblem } from '../../sweep/input/rules';
import { AGE_BUCKET_NAMES, AgePicture, DEVICE_COUNT_BUCKETS } from '../../sweep/pipeline/age-picture';
import { POOL_COUNTER_NAMES } from '../../sweep/pipeline/report';
import type { DeviceSelection, PoolReport } from '../../sweep/types';
import { PoolProgress, SliceEvent, SliceInputError, SliceRun, SweepConfig, SweepRunProgress } from '../contract';

/**
 * Returns the event typed, or throws `SliceInputError` saying what to change.
 *
 * @param event the raw Lambda event
 * @param allowedUserPoolIds the pools this slice may touch; any other pool id is refused
 */
export function parseSliceEvent(event: unknown, allowedUserPoolIds: readonly string[]): SliceEvent {
  const root = record(event, 'the event');
  const config = parseConfig(root.config, allowedUserPoolIds);
  const progress = root.progress === undefined || root.progress === null ? undefined : parseProgress(root.progress, config);
  const run = root.run === undefined || root.run === null ? undefined : parseRun(root.run);
  return { config, progress, run };
}

function parseRun(value: unknown): SliceRun {
  const run = record(value, 'run');
  if (typeof run.executionName !== 'string' || !/^[\w.:-]{1,80}$/.test(run.executionName)) {
    throw new SliceInputError('run.executionName must be the execution\'s name (letters, digits, - _ . :, at most 80).');
  }
  return { executionName: run.executionName };
}

function parseConfig(value: unknown, allowed: readonly string[]): SweepConfig {
  const config = record(value, 'config (the execution input must be {"config": {...}})');
  const userPoolIds = stringArray(config.userPoolIds, 'config.userPoolIds');
  if (userPoolIds.length === 0) {
    throw new SliceInputError('config.userPoolIds is empty: name at least one user pool id.');
  }
  const foreign = userPoolIds.filter((id) => !allowed.includes(id));
  if (foreign.length > 0) {
    throw new SliceInputError(
      `config.userPoolIds contains ${foreign.map((id) => `'${id}'`).join(', ')}, which this workflow may not touch; ` +
      `allowed: ${allowed.map((id) => `'${id}'`).join(', ')}. Add the pool to the construct's userPools instead.`,
    );
  }
  if (typeof config.dryRun !== 'boolean') {
    throw new SliceInputError('config.dryRun must be true or false.');
  }
  return {
    userPoolIds,
    selection: parseSelection(config.selection),
    dryRun: config.dryRun,
    maxForgets: optional(config.maxForgets, (v) => ruled(v, maxForgetsProblem('config.maxForgets', v)) as number),
    rateBudget: optional(config.rateBudget, parseRateBudget),
    excludeUsernames: optional(config.excludeUsernames, (v) => usernames(v, 'config.excludeUsernames')),
    onlyRemembered: optional(config.onlyRemembered, (v) => boolean(v, 'config.onlyRemembered')),
    followAccountUsage: optional(config.followAccountUsage, (v) => boolean(v, 'config.followAccountUsage')),
  };
}

function parseSelection(value: unknown): DeviceSelection {
  const selection = record(value, 'config.selection');
  switch (selection.kind) {
    case 'stale': {
      // Either rule or both; each, when given, at least a day (sweep/input/rules).
      const staleAfter = selection.staleAfterSeconds ?? undefined;
      const maxAge = selection.maxDeviceAgeSeconds ?? undefined;
      ruled(selection, datedRulesProblem('config.selection.staleAfterSeconds', 'config.selection.maxDeviceAgeSeconds', staleAfter, maxAge));
      if (staleAfter !== undefined) ruled(staleAfter, staleAfterProblem('config.selection.staleAfterSeconds', staleAfter));
      if (maxAge !== undefined) ruled(maxAge, maxDeviceAgeProblem('config.selection.maxDeviceAgeSeconds', maxAge));
      return {
        kind: 'stale',
        ...(staleAfter === undefined ? {} : { staleAfterSeconds: staleAfter as number }),
        ...(maxAge === undefined ? {} : { maxDeviceAgeSeconds: maxAge as number }),
      };
    }
    case 'all':
      return { kind: 'all' };
    case 'users': {
      const names = usernames(selection.usernames, 'config.selection.usernames');
      if (names.length === 0) {
        throw new SliceInputError('config.selection.usernames is empty: name at least one user.');
      }
      return { kind: 'users', usernames: names };
    }
    default:
      throw new SliceInputError(
        `config.selection.kind is ${JSON.stringify(selection.kind)}; use 'stale' (with staleAfterSeconds and/or maxDeviceAgeSeconds), 'all' or 'users' (with usernames).`,
      );
  }
}

function parseRateBudget(value: unknown): { fraction?: number } {
  const budget = record(value, 'config.rateBudget');
  const fraction = budget.fraction;
  if (fraction === undefined) {
    return {};
  }
  ruled(fraction, rateBudgetProblem('config.rateBudget.fraction', fraction));
  return { fraction: fraction as number };
}

function parseProgress(value: unknown, config: SweepConfig): SweepRunProgress {
  const progress = record(value, 'progress');
  if (progress.done !== false) {
    throw new SliceInputError('progress.done is not false: a finished run has no next slice.');
  }
  if (typeof progress.cursor !== 'string' || progress.cursor.length === 0) {
    throw new SliceInputError('progress.cursor must be the non-empty cursor returned by the previous slice.');
  }
  if (!Array.isArray(progress.totals)) {
    throw new SliceInputError('progress.totals must be the array of pool reports returned by the previous slice.');
  }
  const totals = progress.totals.map((report, i) => parsePoolReport(report, `progress.totals[${i}]`, config));
  return {
    done: false,
    cursor: progress.cursor,
    capped: boolean(progress.capped, 'progress.capped'),
    totals,
    slices: positiveInteger(progress.slices, 'progress.slices'),
    startedAt: isoDate(progress.startedAt, 'progress.startedAt'),
    finishedAt: isoDate(progress.finishedAt, 'progress.finishedAt'),
    sweepSeconds: optional(progress.sweepSeconds, (v) => nonNegative(v, 'progress.sweepSeconds')),
    pools: optional(progress.pools, (v) => parsePoolProgress(v, config)),
  };
}

/** Progress per pool: only the estimate of each pool's users is carried on; the rest is recomputed. */
function parsePoolProgress(value: unknown, config: SweepConfig): PoolProgress[] {
  if (!Array.isArray(value)) throw new SliceInputError('progress.pools must be an array.');
  return value.map((item, i) => {
    const pool = record(item, `progress.pools[${i}]`);
    if (typeof pool.userPoolId !== 'string' || !config.userPoolIds.includes(pool.userPoolId)) {
      throw new SliceInputError(`progress.pools[${i}].userPoolId must be one of config.userPoolIds.`);
    }
    const estimatedUsers = optional(pool.estimatedUsers, (v) => nonNegative(v, `progress.pools[${i}].estimatedUsers`));
    return { userPoolId: pool.userPoolId, usersDone: nonNegative(pool.usersDone, `progress.pools[${i}].usersDone`), ...(estimatedUsers === undefined ? {} : { estimatedUsers }) };
  });
}

function nonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new SliceInputError(`${name} must be a non-negative number.`);
  }
  return value;
}

function parsePoolReport(value: unknown, name: string, config: SweepConfig): PoolReport {
  const report = record(value, name);
  if (typeof report.userPoolId !== 'string' || !config.userPoolIds.includes(report.userPoolId)) {
    throw new SliceInputError(`${name}.userPoolId must be one of config.userPoolIds.`);
  }
  const counters: Record<string, number> = {};
  for (const counter of POOL_COUNTER_NAMES) {
    // Progress written before usersSkippedByIndex existed (an execution running across an upgrade) lacks it.
    const count = report[counter] ?? (counter === 'usersSkippedByIndex' ? 0 : undefined);
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      throw new SliceInputError(`${name}.${counter} must be a non-negative integer.`);
    }
    counters[counter] = count;
  }
  const ages = report.ages === undefined || report.ages === null ? undefined : parseAgePicture(report.ages, `${name}.ages`);
  return { userPoolId: report.userPoolId, ...counters, ...(ages ? { ages } : {}) } as unknown as PoolReport;
}

/** The age picture of a pool report: every bucket a non-negative integer. */
function parseAgePicture(value: unknown, name: string): AgePicture {
  const picture = record(value, name);
  const buckets = (part: string, names: readonly string[]): Record<string, number> => {
    const counts = record(picture[part], `${name}.${part}`);
    return Object.fromEntries(names.map((bucket) => {
      const count = counts[bucket];
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
        throw new SliceInputError(`${name}.${part}.${bucket} must be a non-negative integer.`);
      }
      return [bucket, count];
    }));
  };
  return {
    remembered: buckets('remembered', AGE_BUCKET_NAMES),
    notRemembered: buckets('notRemembered', AGE_BUCKET_NAMES),
    usersByDeviceCount: buckets('usersByDeviceCount', DEVICE_COUNT_BUCKETS.map((b) => b.name)),
  } as unknown as AgePicture;
}

function record(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SliceInputError(`${name} must be a JSON object.`);
  }
  return value as Record<string, unknown>;
}

function stringArray(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.length === 0)) {
    throw new SliceInputError(`${name} must be an array of non-empty strings.`);
  }
  return value as string[];
}

/** A list of usernames under the rule every layer applies (sweep/input/rules). */
function usernames(value: unknown, name: string): string[] {
  if (!Array.isArray(value)) {
    throw new SliceInputError(`${name} must be an array of usernames.`);
  }
  ruled(value, usernamesProblem(name, value));
  return value as string[];
}

/** Returns the value, or throws the rule's problem as a SliceInputError. */
function ruled(value: unknown, problem: string | undefined): unknown {
  if (problem) throw new SliceInputError(problem);
  return value;
}

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new SliceInputError(`${name} is ${JSON.stringify(value)}; use a whole number of at least 1.`);
  }
  return value;
}

function boolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') {
    throw new SliceInputError(`${name} must be true or false.`);
  }
  return value;
}

function isoDate(value: unknown, name: string): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw new SliceInputError(`${name} must be an ISO 8601 date.`);
  }
  return value;
}

function optional<T>(value: unknown, parse: (value: unknown) => T): T | undefined {
  return value === undefined || value === null ? undefined : parse(value);
}
