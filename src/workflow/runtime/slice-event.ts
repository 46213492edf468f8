/**
 * Parses and validates what the state machine hands to a slice. The event normally comes from our own
 * state machine, but the execution input is whatever the starter wrote (a schedule, a custom resource,
 * a person in the console), so every field is checked and a bad one named in the error.
 */
import { domainOfPool } from './domain-plan';
import { SweepInputError } from '../../sweep/errors';
import { bareUserPoolId, parseUserPoolRef } from '../../sweep/input/pool-id';
import {
  accountIdProblem, accountWithoutRoleProblem, datedRulesProblem, domainKeyProblem, duplicatePoolProblem, externalIdProblem,
  forgetShareProblem, maxDeviceAgeProblem, maxForgetsProblem, rateBudgetProblem, roleArnProblem, roleNotAllowedProblem,
  staleAfterProblem, toleratedDomainFailuresProblem, unusedRoleProblem, usernamesProblem,
} from '../../sweep/input/rules';
import { AGE_BUCKET_NAMES, AgePicture, DEVICE_COUNT_BUCKETS } from '../../sweep/pipeline/age-picture';
import { POOL_COUNTER_NAMES } from '../../sweep/pipeline/report';
import type { PoolResult, PoolStop, PoolStopReason } from '../../sweep/pool-report';
import type { DeviceSelection } from '../../sweep/types';
import {
  DomainOutcome, MergeEvent, PlanEvent, PoolProgress, SliceEvent, SliceInputError, SliceRun, SweepAccountRole, SweepConfig, SweepDomain,
  SweepRunProgress,
} from '../contract';

/** What the slice may do besides touching its allowed pools. */
export interface SliceAccess {
  /** Role ARNs the slice may assume (`ALLOWED_ACCOUNT_ROLE_ARNS`); any other role is refused. @default none */
  readonly allowedRoleArns?: readonly string[];
  /**
   * The workflow's own account (the Lambda's): a pool ARN of another account then needs a role
   * for that account. @default not known: such a pool is left to IAM (the engine stops it, access denied)
   */
  readonly ownAccountId?: string;
}

/** A workflow request, by `action`: a slice (no action), the plan, or the merge. */
export type WorkflowEvent =
  | { readonly action: 'slice'; readonly event: SliceEvent }
  | { readonly action: 'plan'; readonly event: PlanEvent }
  | { readonly action: 'merge'; readonly event: MergeEvent };

/**
 * Returns the request typed by its `action` (absent: a slice, as every event of state machines
 * deployed before the plan and merge steps), or throws `SliceInputError` saying what to change.
 *
 * @param event the raw Lambda event
 * @param allowedUserPoolIds the pools this slice may touch (bare ids); any other pool is refused
 */
export function parseWorkflowEvent(event: unknown, allowedUserPoolIds: readonly string[], access: SliceAccess = {}): WorkflowEvent {
  const root = record(event, 'the event');
  switch (root.action) {
    case undefined:
    case null:
      return { action: 'slice', event: parseSliceEvent(event, allowedUserPoolIds, access) };
    case 'plan': {
      const config = parseConfig(root.config, allowedUserPoolIds, access);
      const run = optional(root.run, parseRun);
      return { action: 'plan', event: { action: 'plan', config, ...(run ? { run } : {}) } };
    }
    case 'merge': {
      const config = parseConfig(root.config, allowedUserPoolIds, access);
      if (!Array.isArray(root.results)) {
        throw new SliceInputError('results must be the array of the Map\'s outcomes, one per quota domain.');
      }
      const results = root.results.map((item, i) => parseOutcome(item, `results[${i}]`, config));
      const seen = new Set<string>();
      for (const outcome of results) {
        if (seen.has(outcome.domain.key)) throw new SliceInputError(`results has quota domain ${outcome.domain.key} twice.`);
        seen.add(outcome.domain.key);
      }
      const tolerated = root.toleratedDomainFailures ?? 0;
      ruled(tolerated, toleratedDomainFailuresProblem('toleratedDomainFailures', tolerated));
      return { action: 'merge', event: { action: 'merge', config, results, toleratedDomainFailures: tolerated as number } };
    }
    default:
      throw new SliceInputError(`action is ${JSON.stringify(root.action)}; use 'plan', 'merge', or leave it out for a slice.`);
  }
}

/**
 * Returns the slice event typed, or throws `SliceInputError` saying what to change.
 *
 * @param event the raw Lambda event
 * @param allowedUserPoolIds the pools this slice may touch (bare ids); any other pool is refused
 */
export function parseSliceEvent(event: unknown, allowedUserPoolIds: readonly string[], access: SliceAccess = {}): SliceEvent {
  const root = record(event, 'the event');
  const domain = optional(root.domain, (v) => parseDomain(v, 'domain'));
  const config = parseConfig(root.config, allowedUserPoolIds, access, domain);
  if (domain) checkDomainPools(domain, config);
  const progress = root.progress === undefined || root.progress === null ? undefined : parseProgress(root.progress, config);
  const run = root.run === undefined || root.run === null ? undefined : parseRun(root.run);
  return { config, progress, run, ...(domain ? { domain } : {}) };
}

/** A quota domain: its key's rule, and the account and Region the key names. */
function parseDomain(value: unknown, name: string): SweepDomain {
  const domain = record(value, name);
  ruled(domain.key, domainKeyProblem(`${name}.key`, domain.key));
  const key = domain.key as string;
  const account = key.slice(0, key.indexOf('/'));
  const region = key.slice(key.indexOf('/') + 1);
  if (domain.region !== region) {
    throw new SliceInputError(`${name}.region is ${JSON.stringify(domain.region)}, not the Region of ${name}.key (${region}).`);
  }
  if ((domain.accountId ?? '') !== account) {
    throw new SliceInputError(`${name}.accountId is ${JSON.stringify(domain.accountId)}, not the account of ${name}.key (${account === '' ? 'none: the workflow\'s own' : account}).`);
  }
  return { key, ...(account === '' ? {} : { accountId: account }), region };
}

/** Every pool of a domain's config is in that domain (same account role and Region). */
function checkDomainPools(domain: SweepDomain, config: SweepConfig): void {
  const roleAccounts = new Set((config.accountRoles ?? []).map((role) => role.accountId));
  for (const ref of config.userPoolIds) {
    const of = domainOfPool(ref, roleAccounts);
    if (of.key !== domain.key) {
      throw new SliceInputError(`config.userPoolIds has ${ref}, of quota domain ${of.key}, in a slice of domain ${domain.key}.`);
    }
  }
}

/** One iteration's outcome: the domain, and its final progress or why its loop failed. */
function parseOutcome(value: unknown, name: string, config: SweepConfig): DomainOutcome {
  const outcome = record(value, name);
  const domain = parseDomain(outcome.domain, `${name}.domain`);
  const failed = optional(outcome.failed, (v) => {
    const f = record(v, `${name}.failed`);
    // The Catch's own field names (Error, Cause) are read too.
    const error = f.error ?? f.Error;
    const cause = f.cause ?? f.Cause ?? '';
    if (typeof error !== 'string' || typeof cause !== 'string') {
      throw new SliceInputError(`${name}.failed must be {"error": string, "cause": string} (the Catch's Error and Cause).`);
    }
    return { error, cause };
  });
  const progress = optional(outcome.progress, (v) => parseProgress(v, config, `${name}.progress`, true));
  if (!failed && !progress) {
    throw new SliceInputError(`${name} has neither progress nor failed: give the domain's final progress, or why its loop failed.`);
  }
  // A failed loop's last progress is never done (a done one ends the loop); null: no slice succeeded.
  const partial = failed ? optional(outcome.partial, (v) => parseProgress(v, config, `${name}.partial`)) : undefined;
  return { domain, ...(progress ? { progress } : {}), ...(failed ? { failed } : {}), ...(partial ? { partial } : {}) };
}

function parseRun(value: unknown): SliceRun {
  const run = record(value, 'run');
  if (typeof run.executionName !== 'string' || !/^[\w.:-]{1,80}$/.test(run.executionName)) {
    throw new SliceInputError('run.executionName must be the execution\'s name (letters, digits, - _ . :, at most 80).');
  }
  return { executionName: run.executionName };
}

function parseConfig(value: unknown, allowed: readonly string[], access: SliceAccess, domain?: SweepDomain): SweepConfig {
  const config = record(value, 'config (the execution input must be {"config": {...}})');
  const userPoolIds = stringArray(config.userPoolIds, 'config.userPoolIds');
  if (userPoolIds.length === 0) {
    throw new SliceInputError('config.userPoolIds is empty: name at least one user pool id.');
  }
  const refs = userPoolIds.map((ref) => {
    try {
      return parseUserPoolRef(ref);
    } catch (error) {
      if (error instanceof SweepInputError) throw new SliceInputError(`config.userPoolIds: ${error.message}`);
      throw error;
    }
  });
  const seen = new Set<string>();
  for (const ref of refs) {
    if (seen.has(ref.userPoolId)) throw new SliceInputError(duplicatePoolProblem('config.userPoolIds', ref.userPoolId));
    seen.add(ref.userPoolId);
  }
  // The allow-list holds pool ids: a pool given by ARN is allowed by its id.
  const foreign = userPoolIds.filter((ref) => !allowed.includes(bareUserPoolId(ref)));
  if (foreign.length > 0) {
    throw new SliceInputError(
      `config.userPoolIds contains ${foreign.map((id) => `'${id}'`).join(', ')}, which this workflow may not touch; ` +
      `allowed: ${allowed.map((id) => `'${id}'`).join(', ')}. Add the pool to the construct's userPools instead.`,
    );
  }
  if (typeof config.dryRun !== 'boolean') {
    throw new SliceInputError('config.dryRun must be true or false.');
  }
  const poolAccounts = new Set(refs.flatMap((ref) => (ref.accountId === undefined ? [] : [ref.accountId])));
  const accountRoles = optional(config.accountRoles, (v) => parseAccountRoles(v, poolAccounts, access.allowedRoleArns ?? []));
  if (access.ownAccountId !== undefined) {
    const roleAccounts = new Set((accountRoles ?? []).map((role) => role.accountId));
    userPoolIds.forEach((ref, i) => {
      const accountId = refs[i].accountId;
      if (accountId !== undefined) ruled(ref, accountWithoutRoleProblem(`config.userPoolIds #${i + 1}`, ref, accountId, access.ownAccountId!, roleAccounts));
    });
  }
  // A domain's slice carries the domain's share of the run's cap, which may be 0 (the plan's split).
  const capProblem = domain ? forgetShareProblem : maxForgetsProblem;
  return {
    userPoolIds,
    selection: parseSelection(config.selection),
    dryRun: config.dryRun,
    maxForgets: optional(config.maxForgets, (v) => ruled(v, capProblem('config.maxForgets', v)) as number),
    rateBudget: optional(config.rateBudget, parseRateBudget),
    excludeUsernames: optional(config.excludeUsernames, (v) => usernames(v, 'config.excludeUsernames')),
    onlyRemembered: optional(config.onlyRemembered, (v) => boolean(v, 'config.onlyRemembered')),
    followAccountUsage: optional(config.followAccountUsage, (v) => boolean(v, 'config.followAccountUsage')),
    ...(accountRoles === undefined ? {} : { accountRoles }),
  };
}

/** The account roles: every rule of sweep/input/rules on each, one per account, each in the slice's role allow-list. */
function parseAccountRoles(value: unknown, poolAccounts: ReadonlySet<string>, allowedRoleArns: readonly string[]): SweepAccountRole[] {
  if (!Array.isArray(value)) throw new SliceInputError('config.accountRoles must be an array of {"accountId", "roleArn", "externalId"?}.');
  const accounts = new Set<string>();
  return value.map((item, i) => {
    const name = `config.accountRoles #${i + 1}`;
    const role = record(item, name);
    ruled(role.accountId, accountIdProblem(`${name} accountId`, role.accountId));
    const accountId = role.accountId as string;
    ruled(role.roleArn, roleArnProblem(`${name} roleArn`, role.roleArn, accountId));
    const roleArn = role.roleArn as string;
    const externalId = optional(role.externalId, (v) => ruled(v, externalIdProblem(`${name} externalId`, v)) as string);
    if (accounts.has(accountId)) throw new SliceInputError(`${name} is a second role for account ${accountId}: give one role per account.`);
    accounts.add(accountId);
    ruled(accountId, unusedRoleProblem(name, accountId, poolAccounts));
    ruled(roleArn, roleNotAllowedProblem(`${name} roleArn`, roleArn, allowedRoleArns));
    return { accountId, roleArn, ...(externalId === undefined ? {} : { externalId }) };
  });
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

function parseRateBudget(value: unknown): { fraction?: number; readProvisionedLimits?: boolean } {
  const budget = record(value, 'config.rateBudget');
  const fraction = budget.fraction;
  const read = optional(budget.readProvisionedLimits, (v) => boolean(v, 'config.rateBudget.readProvisionedLimits'));
  if (fraction !== undefined) ruled(fraction, rateBudgetProblem('config.rateBudget.fraction', fraction));
  return {
    ...(fraction === undefined ? {} : { fraction: fraction as number }),
    ...(read === undefined ? {} : { readProvisionedLimits: read }),
  };
}

/**
 * The progress of the slice before (`final` false: not done, with a cursor), or a domain loop's
 * last progress for the merge (`final` true: done, no cursor).
 */
function parseProgress(value: unknown, config: SweepConfig, name = 'progress', final = false): SweepRunProgress {
  const progress = record(value, name);
  if (final) {
    if (progress.done !== true) throw new SliceInputError(`${name}.done is not true: the merge takes each domain's final progress.`);
  } else {
    if (progress.done !== false) {
      throw new SliceInputError(`${name}.done is not false: a finished run has no next slice.`);
    }
    if (typeof progress.cursor !== 'string' || progress.cursor.length === 0) {
      throw new SliceInputError(`${name}.cursor must be the non-empty cursor returned by the previous slice.`);
    }
  }
  if (!Array.isArray(progress.totals)) {
    throw new SliceInputError(`${name}.totals must be the array of pool reports returned by the previous slice.`);
  }
  const totals = progress.totals.map((report, i) => parsePoolReport(report, `${name}.totals[${i}]`, config));
  const pools = optional(progress.pools, (v) => parsePoolProgress(v, config, `${name}.pools`, final));
  return {
    done: final,
    ...(final ? {} : { cursor: progress.cursor as string }),
    capped: boolean(progress.capped, `${name}.capped`),
    totals,
    slices: positiveInteger(progress.slices, `${name}.slices`),
    startedAt: isoDate(progress.startedAt, `${name}.startedAt`),
    finishedAt: isoDate(progress.finishedAt, `${name}.finishedAt`),
    sweepSeconds: optional(progress.sweepSeconds, (v) => nonNegative(v, `${name}.sweepSeconds`)),
    pools,
  };
}

/**
 * Progress per pool: only the estimate of each pool's users is carried on to the next slice (the
 * rest is recomputed); a final progress keeps the time left too.
 */
function parsePoolProgress(value: unknown, config: SweepConfig, name: string, final: boolean): PoolProgress[] {
  if (!Array.isArray(value)) throw new SliceInputError(`${name} must be an array.`);
  return value.map((item, i) => {
    const pool = record(item, `${name}[${i}]`);
    if (typeof pool.userPoolId !== 'string' || !config.userPoolIds.includes(pool.userPoolId)) {
      throw new SliceInputError(`${name}[${i}].userPoolId must be one of config.userPoolIds.`);
    }
    const estimatedUsers = optional(pool.estimatedUsers, (v) => nonNegative(v, `${name}[${i}].estimatedUsers`));
    const secondsLeft = final ? optional(pool.estimatedSecondsLeft, (v) => nonNegative(v, `${name}[${i}].estimatedSecondsLeft`)) : undefined;
    return {
      userPoolId: pool.userPoolId,
      usersDone: nonNegative(pool.usersDone, `${name}[${i}].usersDone`),
      ...(estimatedUsers === undefined ? {} : { estimatedUsers }),
      ...(secondsLeft === undefined ? {} : { estimatedSecondsLeft: secondsLeft }),
    };
  });
}

function nonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new SliceInputError(`${name} must be a non-negative number.`);
  }
  return value;
}

function parsePoolReport(value: unknown, name: string, config: SweepConfig): PoolResult {
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
  // A pool an error stopped (a stopped domain's partial): the merge's totals keep saying which and why.
  const stopped = report.stopped === undefined || report.stopped === null ? undefined : parsePoolStop(report.stopped, `${name}.stopped`);
  return { userPoolId: report.userPoolId, ...counters, ...(ages ? { ages } : {}), ...(stopped ? { stopped } : {}) } as unknown as PoolResult;
}

/** Why a pool was stopped: `{reason, message}`, both strings. */
function parsePoolStop(value: unknown, name: string): PoolStop {
  const stop = record(value, name);
  if (typeof stop.reason !== 'string' || typeof stop.message !== 'string') {
    throw new SliceInputError(`${name} must be {"reason": string, "message": string}, as the slice wrote it.`);
  }
  return { reason: stop.reason as PoolStopReason, message: stop.message };
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
