/** Checks every option (and the cursor) before any call, with messages that say what to change. */
import { CursorContext, CursorState, decodeCursor } from './cursor';
import { SweepInputError, throwInputProblem } from '../errors';
import { parseUserPoolId } from './pool-id';
import { datedRulesProblem, maxForgetsProblem, usernameProblem } from './rules';
import { checkIndexUse } from '../next-check/index-use';
import { resolveRates } from '../rate/rates';
import { resolvePerUserRate } from '../rate/user-pace';
import type { QuotaCategory, SweepOptions } from '../types';

/** Deadlines before this are surely not epoch milliseconds (seconds, or a duration). */
const EARLIEST_DEADLINE_MS = Date.UTC(2001, 0, 1);

/** The options, checked and normalised. */
export interface SweepPlan {
  /** Regions in order of first appearance, each with its pools in `userPoolIds` order. */
  readonly regions: readonly { readonly region: string; readonly userPoolIds: readonly string[] }[];
  readonly rates: Record<QuotaCategory, number>;
  /** Calls per second per user, for reads and for writes each. */
  readonly perUserRate: number;
  /** Named users, deduplicated in order (`users` selections; empty otherwise). */
  readonly usernames: readonly string[];
  /** The decoded cursor, when resuming. */
  readonly cursor?: CursorState;
  /** What the cursor is checked against (and encoded with). */
  readonly cursorContext: CursorContext;
}

/**
 * Throws SweepInputError when the options (or the cursor) are not valid. Makes no call. It checks
 * exactly what `sweepDevices` checks before its first call (both run `planSweep`).
 */
export function validateSweepOptions(options: SweepOptions): void {
  planSweep(options);
}

/** Validates and normalises the options. */
export function planSweep(options: SweepOptions): SweepPlan {
  if (typeof options !== 'object' || options === null) throw new SweepInputError('sweepDevices needs an options object.');
  const regions = groupByRegion(options.userPoolIds);
  checkSelection(options);
  checkIndexUse(options);
  optionalBoolean(options.dryRun, 'dryRun');
  optionalBoolean(options.onlyRemembered, 'onlyRemembered');
  if (options.maxForgets !== undefined) throwInputProblem(maxForgetsProblem('maxForgets', options.maxForgets));
  const rates = resolveRates(options.rateBudget);
  const perUserRate = resolvePerUserRate(options.rateBudget);
  if (options.excludeUsernames !== undefined) {
    if (!Array.isArray(options.excludeUsernames) || options.excludeUsernames.some((u) => typeof u !== 'string')) {
      throw new SweepInputError('excludeUsernames must be a list of usernames (strings).');
    }
  }
  if (options.deadline !== undefined) {
    if (typeof options.deadline !== 'number' || !Number.isFinite(options.deadline) || options.deadline < EARLIEST_DEADLINE_MS) {
      throw new SweepInputError(`deadline must be a time in epoch milliseconds (e.g. Date.now() + 60_000), got ${String(options.deadline)}.`);
    }
  }
  if (options.endpoint !== undefined) checkEndpoint(options.endpoint);
  optionalFunction(options.clientFor, 'clientFor');
  optionalFunction(options.now, 'now');
  optionalFunction(options.onProgress, 'onProgress');
  if (options.logger !== undefined && (typeof options.logger?.info !== 'function' || typeof options.logger?.warn !== 'function')) {
    throw new SweepInputError('logger must have info(message, extra) and warn(message, extra) methods.');
  }

  // A users selection is swept once per distinct name, so cursor positions count distinct names.
  const usernames = options.selection.kind === 'users' ? [...new Set(options.selection.usernames)] : [];
  const cursorContext: CursorContext = {
    userPoolIds: options.userPoolIds,
    selection: options.selection.kind === 'users' ? { kind: 'users', usernames } : options.selection,
    poolsPerRegion: new Map(regions.map((r) => [r.region, r.userPoolIds.length])),
  };
  const cursor = options.cursor === undefined ? undefined : decodeCursor(options.cursor, cursorContext);
  return { regions, rates, perUserRate, usernames, cursor, cursorContext };
}

function groupByRegion(userPoolIds: readonly string[]): { region: string; userPoolIds: string[] }[] {
  if (!Array.isArray(userPoolIds) || userPoolIds.length === 0) {
    throw new SweepInputError('userPoolIds must list at least one user pool id, e.g. ["eu-west-1_AbC123"].');
  }
  const regions = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const id of userPoolIds) {
    const { region } = parseUserPoolId(id);
    if (seen.has(id)) throw new SweepInputError(`User pool ${id} is listed twice in userPoolIds: list each pool once.`);
    seen.add(id);
    let pools = regions.get(region);
    if (!pools) regions.set(region, (pools = []));
    pools.push(id);
  }
  return [...regions].map(([region, ids]) => ({ region, userPoolIds: ids }));
}

function checkSelection(options: SweepOptions): void {
  const selection = options.selection;
  if (typeof selection !== 'object' || selection === null) {
    throw new SweepInputError('selection is required: { kind: "stale", staleAfterSeconds and/or maxDeviceAgeSeconds }, { kind: "all" } or { kind: "users", usernames }.');
  }
  switch (selection.kind) {
    case 'stale': {
      throwInputProblem(datedRulesProblem('selection.staleAfterSeconds', 'selection.maxDeviceAgeSeconds', selection.staleAfterSeconds, selection.maxDeviceAgeSeconds));
      positiveSeconds(selection.staleAfterSeconds, 'selection.staleAfterSeconds', '7776000 for 90 days');
      positiveSeconds(selection.maxDeviceAgeSeconds, 'selection.maxDeviceAgeSeconds', '31536000 for 365 days');
      return;
    }
    case 'all':
      return;
    case 'users': {
      const names = selection.usernames;
      if (!Array.isArray(names) || names.length === 0) {
        throw new SweepInputError('selection.usernames must list at least one username.');
      }
      // Each name under the rule every layer applies; the 100-name cap is the doors' (it bounds execution input).
      names.forEach((n, i) => throwInputProblem(usernameProblem(`selection.usernames #${i + 1}`, n)));
      return;
    }
    default:
      throw new SweepInputError(
        `selection.kind must be "stale", "all" or "users", got ${JSON.stringify((selection as { kind?: unknown }).kind)}.`,
      );
  }
}

/** The engine asks only for a positive age (the doors ask for a day: see rules.ts). */
function positiveSeconds(seconds: unknown, name: string, example: string): void {
  if (seconds === undefined) return;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new SweepInputError(`${name} must be a positive number of seconds (e.g. ${example}), got ${String(seconds)}.`);
  }
}

function checkEndpoint(endpoint: string): void {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new SweepInputError(`endpoint must be an http(s) URL such as "http://127.0.0.1:4566", got ${JSON.stringify(endpoint)}.`);
  }
}

function optionalBoolean(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'boolean') throw new SweepInputError(`${name} must be true or false, got ${String(value)}.`);
}

function optionalFunction(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'function') throw new SweepInputError(`${name} must be a function.`);
}
