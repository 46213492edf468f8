/**
 * The rules for sweep settings, in one place: the constructs (at synth time), the slice Lambda (on the
 * execution input), the engine and the CLI all call these, so the same bad value is refused with the
 * same words wherever it is given. Each check returns `undefined` when the value is fine, else one
 * sentence that starts with the setting's name as that layer spells it (`maxForgets`,
 * `config.maxForgets`, `--max-forgets`); the caller prefixes where it was given and throws its own
 * error type. Plain TypeScript: no CDK or SDK imports.
 *
 * Why these values:
 * - staleAfter at least 1 day, in every door that users reach (constructs, slice input, CLI): a
 *   shorter age forgets devices that are in everyday use, and Cognito records last authentication
 *   with day-level meaning only. The engine itself only asks for a positive age, because the tests,
 *   the benchmark and the demo drive it against the simulator, whose device ages are in seconds
 *   under a time-scale factor; nothing reaches the engine from a user without passing a door first.
 * - maxDeviceAge (the trust lifetime) at least 1 day too, for the same reasons: the Cognito guide
 *   speaks of trusting a device for 30, 60 or 90 days; less would ask for MFA again every day.
 * - maxForgets a whole number of at least 1 everywhere: 0 would forget nothing and end every run as
 *   "capped", which is a dry run in disguise (use dryRun).
 * - at most 100 usernames per list: they travel in every execution input and custom resource
 *   property (Step Functions input ≤ 256 KB, CloudFormation response ≤ 4 KB keep headroom).
 * - a username is 1 to 128 characters (Cognito's limit).
 * - the rate budget a fraction in (0, 1] of the quotas: more than all of them only earns throttles,
 *   and the application shares them.
 * - a request rate (per category, per user) a positive, finite number of requests per second.
 * - the next-check index only with a staleness selection: it bounds when a device can turn stale,
 *   which says nothing about the devices an "all" or "users" selection forgets.
 * - an account role (issue 19): an account id of 12 digits, an IAM role ARN of that same account
 *   (STS would assume a role of another account and every call would be denied), an external id as
 *   STS accepts it (2 to 1224 characters of letters, digits and _+=,.@:/-), and at least one pool
 *   of the sweep in that account, given as an ARN: a role for an account that no pool names is a
 *   mistake (most likely the pools were given as bare ids, which do not name their account, and
 *   would be swept with the caller's own credentials), so it is refused, not ignored.
 * - the slice Lambda (the workflow's door) also asks: every role in its role allow-list (set at
 *   synth time: the execution input is whatever the starter wrote, and a role outside the list
 *   would be refused by IAM only after a run started); a pool ARN of another account than the
 *   workflow's own with a role for that account (else it is called with the workflow's own
 *   credentials and denied: say so before any call); each pool once, even once by id and once by
 *   ARN (it would be swept twice, in two quota domains).
 * - a quota domain key (the workflow's Map over domains): `${account}/${region}`, the account
 *   empty (the workflow's own credentials) or 12 digits.
 * - a domain's share of the run's forget cap: a whole number of at least 0. The plan splits the
 *   cap across domains, so a domain may get 0 when the cap is smaller than the number of domains:
 *   that domain forgets nothing and ends capped at once (unlike a user's maxForgets of 0, which is
 *   refused above).
 */
import { isRegionName } from './pool-id';

/** Shortest staleness age any door accepts: one day. */
export const MIN_STALE_AFTER_SECONDS = 86_400;
/** Most usernames one list (excluded users, a users selection) may hold. */
export const MAX_USERNAMES = 100;
/** Cognito's limit on the length of a username. */
export const MAX_USERNAME_LENGTH = 128;

/** staleAfter, in seconds, as the doors accept it (at least one day). */
export function staleAfterProblem(name: string, seconds: unknown): string | undefined {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < MIN_STALE_AFTER_SECONDS) {
    const given = typeof seconds === 'number' ? `${seconds} seconds` : describe(seconds);
    return `${name} is ${given}; use at least one day (${MIN_STALE_AFTER_SECONDS} seconds; the Cognito guide ` +
      'suggests 90 days), or it forgets devices that are in everyday use.';
  }
  return undefined;
}

/** maxDeviceAge (the trust lifetime), in seconds, as the doors accept it (at least one day). */
export function maxDeviceAgeProblem(name: string, seconds: unknown): string | undefined {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < MIN_STALE_AFTER_SECONDS) {
    const given = typeof seconds === 'number' ? `${seconds} seconds` : describe(seconds);
    return `${name} is ${given}; use at least one day (${MIN_STALE_AFTER_SECONDS} seconds; the Cognito guide ` +
      'suggests trusting a device for 30, 60 or 90 days), or users are asked for MFA again every day.';
  }
  return undefined;
}

/** A dated selection needs at least one rule: staleness, the trust lifetime, or both. */
export function datedRulesProblem(staleAfterName: string, maxDeviceAgeName: string, staleAfter: unknown, maxDeviceAge: unknown): string | undefined {
  if (staleAfter === undefined && maxDeviceAge === undefined) {
    return `give ${staleAfterName}, ${maxDeviceAgeName} or both: a device is forgotten when either rule picks it.`;
  }
  return undefined;
}

/** The forget cap: a whole number of at least 1 (leave it out for no cap). */
export function maxForgetsProblem(name: string, value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    return `${name} is ${describe(value)}; use a whole number of at least 1, or leave it out for no cap.`;
  }
  return undefined;
}

/** A list of usernames: at most MAX_USERNAMES, each 1 to MAX_USERNAME_LENGTH characters. */
export function usernamesProblem(name: string, usernames: readonly unknown[]): string | undefined {
  if (usernames.length > MAX_USERNAMES) {
    return `${name} has ${usernames.length} names; at most ${MAX_USERNAMES} fit in one sweep configuration.`;
  }
  for (let i = 0; i < usernames.length; i++) {
    const problem = usernameProblem(`${name} #${i + 1}`, usernames[i]);
    if (problem) return problem;
  }
  return undefined;
}

/** One username: 1 to MAX_USERNAME_LENGTH characters, not blank. */
export function usernameProblem(name: string, username: unknown): string | undefined {
  if (typeof username !== 'string' || username.trim().length === 0) {
    return `${name} is empty; give the username as Cognito knows it.`;
  }
  if (username.length > MAX_USERNAME_LENGTH) {
    return `${name} has ${username.length} characters; Cognito usernames have at most ${MAX_USERNAME_LENGTH}.`;
  }
  return undefined;
}

/** The rate budget: a fraction in (0, 1] of Cognito's request-rate quotas. */
export function rateBudgetProblem(name: string, fraction: unknown): string | undefined {
  if (typeof fraction !== 'number' || !Number.isFinite(fraction) || fraction <= 0 || fraction > 1) {
    return `${name} is ${describe(fraction)}; use a fraction in (0, 1] of Cognito's request-rate quotas, e.g. 0.5 ` +
      '(your application shares those quotas, so leave it room).';
  }
  return undefined;
}

/** A request rate (a quota category's, or the per-user rate): a positive, finite number of requests per second. */
export function requestRateProblem(name: string, rate: unknown): string | undefined {
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) {
    return `${name} is ${describe(rate)}; use a positive number of requests per second.`;
  }
  return undefined;
}

/** The next-check index goes with staleness selections only (`selectionKind` is the selection's kind). */
export function indexUseProblem(name: string, selectionKind: unknown): string | undefined {
  if (selectionKind !== 'stale') {
    return `${name} applies only to staleness selections, not to ${describe(selectionKind)}; ` +
      'leave it out, or select stale devices.';
  }
  return undefined;
}

/** Most quota domains one run sweeps at once (and the slice Lambda's reserved concurrency). */
export const MAX_CONCURRENT_DOMAINS = 100;

/** How many quota domains a run sweeps at once: a whole number from 1 to MAX_CONCURRENT_DOMAINS. */
export function concurrentDomainsProblem(name: string, value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_CONCURRENT_DOMAINS) {
    return `${name} is ${describe(value)}; use a whole number from 1 to ${MAX_CONCURRENT_DOMAINS} ` +
      '(each domain is one slice Lambda at a time, under its own account and Region quotas).';
  }
  return undefined;
}

/** How many quota domains may fail while the run still succeeds: a whole number, 0 or more. */
export function toleratedDomainFailuresProblem(name: string, value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    return `${name} is ${describe(value)}; use a whole number of failed quota domains the run tolerates, 0 or more.`;
  }
  return undefined;
}

/** An AWS account id: 12 digits. */
const ACCOUNT_ID = /^\d{12}$/;
/** `arn:<partition>:iam::<account>:role/<path/name>`. */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
/** STS ExternalId: 2 to 1224 of these characters. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/** An account id: 12 digits. */
export function accountIdProblem(name: string, accountId: unknown): string | undefined {
  if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) {
    return `${name} is ${describe(accountId)}; give the 12-digit id of the account the pools are in, e.g. "210987654321".`;
  }
  return undefined;
}

/** The role to assume for an account: an IAM role ARN of that same account. */
export function roleArnProblem(name: string, roleArn: unknown, accountId: string): string | undefined {
  const match = typeof roleArn === 'string' ? ROLE_ARN.exec(roleArn) : null;
  if (!match) {
    return `${name} is ${describe(roleArn)}; give an IAM role ARN such as ` +
      `"arn:aws:iam::${ACCOUNT_ID.test(accountId) ? accountId : '210987654321'}:role/DeviceSweepAccess".`;
  }
  if (match[1] !== accountId) {
    return `${name} is a role of account ${match[1]}, not of account ${accountId}; ` +
      'give the role of the account the pools are in (a DeviceSweepAccessRole deployed there).';
  }
  return undefined;
}

/** The external id the role's trust policy requires (sts:ExternalId). */
export function externalIdProblem(name: string, externalId: unknown): string | undefined {
  if (typeof externalId !== 'string' || !EXTERNAL_ID.test(externalId)) {
    return `${name} is ${describe(externalId)}; give the external id the role's trust policy requires ` +
      '(2 to 1224 letters, digits or _+=,.@:/-), or leave it out if it requires none.';
  }
  return undefined;
}

/** A role for an account that no pool of the sweep is in (`poolAccounts`: the accounts the pool ARNs name). */
export function unusedRoleProblem(name: string, accountId: string, poolAccounts: ReadonlySet<string>): string | undefined {
  if (!poolAccounts.has(accountId)) {
    return `${name} is for account ${accountId}, which none of the user pools is in; give that account's pools ` +
      `as ARNs (arn:aws:cognito-idp:<region>:${accountId}:userpool/<id>: a bare pool id does not name its account), ` +
      'or leave the role out.';
  }
  return undefined;
}

/** A role the slice may not assume (`allowed`: the slice's role allow-list, set at synth time). */
export function roleNotAllowedProblem(name: string, roleArn: string, allowed: readonly string[]): string | undefined {
  if (!allowed.includes(roleArn)) {
    return `${name} is ${roleArn}, which this workflow may not assume; ` +
      (allowed.length === 0 ? 'it may assume none. ' : `allowed: ${allowed.map((arn) => `'${arn}'`).join(', ')}. `) +
      'Give the role to the construct (its access roles) instead.';
  }
  return undefined;
}

/** A pool ARN of another account than `ownAccountId` needs a role for its account (`roleAccounts`). */
export function accountWithoutRoleProblem(
  name: string, poolArn: string, accountId: string, ownAccountId: string, roleAccounts: ReadonlySet<string>,
): string | undefined {
  if (accountId !== ownAccountId && !roleAccounts.has(accountId)) {
    return `${name} is ${poolArn}, a pool of account ${accountId}, and no role is given for that account; ` +
      `give one in accountRoles (a DeviceSweepAccessRole deployed there), or the pool is called with the credentials of account ${ownAccountId} and denied.`;
  }
  return undefined;
}

/** Each pool once (`userPoolId`: the bare id of a pool given a second time, by id or ARN). */
export function duplicatePoolProblem(name: string, userPoolId: string): string {
  return `${name} lists user pool ${userPoolId} twice (by id or by ARN); list each pool once, or it is swept twice.`;
}

/** A quota domain key: `${account}/${region}`, the account empty or 12 digits. */
export function domainKeyProblem(name: string, key: unknown): string | undefined {
  const match = typeof key === 'string' ? /^(\d{12})?\/([a-z0-9-]+)$/.exec(key) : null;
  if (!match || !isRegionName(match[2])) {
    return `${name} is ${describe(key)}; give "<account>/<region>" (the account 12 digits, or empty for the workflow's own: "/eu-west-1").`;
  }
  return undefined;
}

/** A domain's share of the forget cap: a whole number of at least 0. */
export function forgetShareProblem(name: string, value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    return `${name} is ${describe(value)}; a quota domain's share of the run's cap is a whole number of at least 0.`;
  }
  return undefined;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  return value === undefined ? 'missing' : JSON.stringify(value) ?? String(value);
}
