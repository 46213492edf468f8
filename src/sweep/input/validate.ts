/** Checks every option (and the cursor) before any call, with messages that say what to change. */
import { CursorContext, CursorState, decodeCursor } from './cursor';
import { SweepInputError, throwInputProblem } from '../errors';
import { parseUserPoolRef } from './pool-id';
import {
  accountIdProblem, datedRulesProblem, externalIdProblem, maxForgetsProblem, roleArnProblem, unusedRoleProblem, usernameProblem,
} from './rules';
import { sessionNamePrefixProblem } from './session-name';
import { checkIndexUse } from '../next-check/index-use';
import { resolveRates } from '../rate/rates';
import { resolvePerUserRate } from '../rate/user-pace';
import type { AccountRole, QuotaCategory, SweepOptions } from '../types';

/** Deadlines before this are surely not epoch milliseconds (seconds, or a duration). */
const EARLIEST_DEADLINE_MS = Date.UTC(2001, 0, 1);

/**
 * One quota domain of a sweep: the pools of one Region called with one set of credentials (the
 * default ones, or one account's role). Its pools run one after the other; domains run concurrently.
 */
export interface SweepDomain {
  /** The domain's key in the cursor: the Region for the default credentials, `${region}@${accountId}` for an account's role. */
  readonly key: string;
  readonly region: string;
  /** The role's account, for pools called with an account role. @default the default credentials */
  readonly role?: AccountRole;
  /** The domain's pools, as given (ids or ARNs), in `userPoolIds` order. */
  readonly userPoolIds: readonly string[];
}

/** The options, checked and normalised. */
export interface SweepPlan {
  /** Domains in order of first appearance, each with its pools in `userPoolIds` order. */
  readonly regions: readonly SweepDomain[];
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
  const roles = checkAccountRoles(options.accountRoles);
  const regions = groupByDomain(options.userPoolIds, roles);
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
  if (options.endpoint !== undefined) checkEndpoint(options.endpoint, 'endpoint');
  if (options.stsEndpoint !== undefined) checkEndpoint(options.stsEndpoint, 'stsEndpoint');
  if (options.profile !== undefined && (typeof options.profile !== 'string' || options.profile.trim() === '')) {
    throw new SweepInputError('profile must name a profile of the shared AWS config files, e.g. "sweeper".');
  }
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
    poolsPerRegion: new Map(regions.map((r) => [r.key, r.userPoolIds.length])),
  };
  const cursor = options.cursor === undefined ? undefined : decodeCursor(options.cursor, cursorContext);
  return { regions, rates, perUserRate, usernames, cursor, cursorContext };
}

/** The roles by account; every rule of sweep/input/rules on each. */
function checkAccountRoles(accountRoles: SweepOptions['accountRoles']): Map<string, AccountRole> {
  const roles = new Map<string, AccountRole>();
  if (accountRoles === undefined) return roles;
  if (!Array.isArray(accountRoles)) throw new SweepInputError('accountRoles must be a list of { accountId, roleArn, externalId? }.');
  accountRoles.forEach((role: AccountRole, i) => {
    const name = `accountRoles #${i + 1}`;
    if (typeof role !== 'object' || role === null) throw new SweepInputError(`${name} must be an object { accountId, roleArn, externalId? }.`);
    throwInputProblem(accountIdProblem(`${name} accountId`, role.accountId));
    throwInputProblem(roleArnProblem(`${name} roleArn`, role.roleArn, role.accountId));
    if (role.externalId !== undefined) throwInputProblem(externalIdProblem(`${name} externalId`, role.externalId));
    if (role.sessionNamePrefix !== undefined) throwInputProblem(sessionNamePrefixProblem(`${name} sessionNamePrefix`, role.sessionNamePrefix));
    if (roles.has(role.accountId)) throw new SweepInputError(`${name} is a second role for account ${role.accountId}: give one role per account.`);
    roles.set(role.accountId, role);
  });
  return roles;
}

/** Groups the pools by quota domain: Region, and the account role when the pool's ARN names an account with one. */
function groupByDomain(userPoolIds: readonly string[], roles: ReadonlyMap<string, AccountRole>): SweepDomain[] {
  if (!Array.isArray(userPoolIds) || userPoolIds.length === 0) {
    throw new SweepInputError('userPoolIds must list at least one user pool id, e.g. ["eu-west-1_AbC123"].');
  }
  const domains = new Map<string, { key: string; region: string; role?: AccountRole; userPoolIds: string[] }>();
  const seen = new Set<string>();
  const poolAccounts = new Set<string>();
  for (const ref of userPoolIds) {
    const { region, userPoolId, accountId } = parseUserPoolRef(ref);
    // A pool given twice, even once by id and once by ARN, would be swept twice.
    if (seen.has(userPoolId)) throw new SweepInputError(`User pool ${userPoolId} is listed twice in userPoolIds: list each pool once.`);
    seen.add(userPoolId);
    if (accountId !== undefined) poolAccounts.add(accountId);
    const role = accountId === undefined ? undefined : roles.get(accountId);
    const key = role ? `${region}@${role.accountId}` : region;
    let domain = domains.get(key);
    if (!domain) domains.set(key, (domain = { key, region, ...(role ? { role } : {}), userPoolIds: [] }));
    domain.userPoolIds.push(ref);
  }
  let i = 0;
  for (const accountId of roles.keys()) throwInputProblem(unusedRoleProblem(`accountRoles #${++i}`, accountId, poolAccounts));
  return [...domains.values()];
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

function checkEndpoint(endpoint: string, name: string): void {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new SweepInputError(`${name} must be an http(s) URL such as "http://127.0.0.1:4566", got ${JSON.stringify(endpoint)}.`);
  }
}

function optionalBoolean(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'boolean') throw new SweepInputError(`${name} must be true or false, got ${String(value)}.`);
}

function optionalFunction(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'function') throw new SweepInputError(`${name} must be a function.`);
}
