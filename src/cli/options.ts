import { accessSync, constants, existsSync, readFileSync, statSync } from 'fs';
import { dirname, resolve } from 'path';
import { Command, CommanderError, Option } from 'commander';
import { parseDuration } from './duration';
import { checkStatePath } from './state-option';
import { UsageError } from './usage-error';
import { DEFAULT_BUDGET_FRACTION, isRegionName, SweepInputError } from '../sweep';
import type { DeviceSelection } from '../sweep/input/device-selection';
import { parseUserPoolRef } from '../sweep/input/pool-id';
import {
  accountIdProblem, externalIdProblem, maxDeviceAgeProblem, maxForgetsProblem, rateBudgetProblem, roleArnProblem, staleAfterProblem,
  unusedRoleProblem, usernameProblem,
} from '../sweep/input/rules';
import type { AccountRole } from '../sweep/types';

/** The program name, as installed by the package's `bin`. */
export const PROGRAM_NAME = 'cognito-device-sweep';

/**
 * Hidden knob for simulators only: multiplies the documented default quotas the rate budget is a
 * fraction of. A simulator that runs time-scaled (quotas T times higher, so demos and tests finish
 * in seconds) needs the CLI to spend T times more requests per second. It is deliberately not a
 * flag and not in --help: against real Cognito it would push the sweep past the account's quotas
 * and starve the application that shares them.
 */
export const QUOTA_SCALE_ENV = 'COGNITO_SWEEP_QUOTA_SCALE';

/** The validated command line. */
export interface CliOptions {
  /** Pool ids or ARNs in the order given, duplicates removed. */
  readonly userPoolIds: readonly string[];
  /** `--assume-role ACCOUNT=ROLE_ARN` (with `--external-id`): the role assumed for the pools of each account. */
  readonly accountRoles: readonly AccountRole[];
  /** `--sts-endpoint-url`: where AssumeRole goes (a simulator, a VPC endpoint). */
  readonly stsEndpointUrl?: string;
  /** What to forget: the dated rules (`--stale-after`, `--max-device-age`), named users, or every device. */
  readonly selection: DeviceSelection;
  /** The selection in words, for the report ("unused for 90d", "of 2 named users"). */
  readonly selectionText: string;
  readonly dryRun: boolean;
  /** Overrides the Region taken from each pool id. */
  readonly region?: string;
  readonly endpointUrl?: string;
  /** `--profile`: the shared config/credentials profile to take credentials from. */
  readonly profile?: string;
  /** Fraction (0, 1] of the quotas the sweep may use. */
  readonly rateBudget: number;
  /** `--read-provisioned-limits`: the fraction is of each account's real limits (GetProvisionedLimit), not of the documented defaults. */
  readonly readProvisionedLimits: boolean;
  readonly maxForgets?: number;
  readonly json: boolean;
  readonly reportCsv?: string;
  /** `--state`: the file of the next-check index (incremental runs). */
  readonly statePath?: string;
  /** `--audit-log`: JSON Lines file the audit records are appended to. */
  readonly auditLog?: string;
  /** From QUOTA_SCALE_ENV; 1 against real Cognito. */
  readonly quotaScale: number;
}

/** What parsing the command line leads to: a run, or help already printed. */
export type ParseOutcome = { readonly kind: 'run'; readonly options: CliOptions } | { readonly kind: 'help' };

const HELP_AFTER = `
Selections (exactly one kind):
  --stale-after and/or --max-device-age   devices unused for that long, or created that long ago
                                          (a trust lifetime: forgotten even if used yesterday);
                                          either rule picks a device
  --username (repeatable), --users-file   every device of those users (an incident: "forget
                                          everything alice remembered"); unknown users are no error
  --all-devices                           every device of every user of the pools
Incident selections cannot be mixed with --stale-after or --max-device-age, nor with --state.

Durations: a whole number and one unit: 90d, 12h, 30m or 45s.

Other accounts: name a pool of another account by its ARN (--user-pool-id
arn:aws:cognito-idp:eu-west-1:210987654321:userpool/eu-west-1_AbC123) and give that account's role
with --assume-role 210987654321=arn:aws:iam::210987654321:role/DeviceSweepAccess (one per account,
repeatable; --external-id if its trust policy requires one). The role (a DeviceSweepAccessRole) is
assumed once per account with the session name cognito-device-sweep-<run id> and refreshed before it
expires; each account and Region has its own rate budget. A role that cannot be assumed stops that
account's pools only (exit status 1). A pool ARN of an account without --assume-role is called with
your own credentials.

Regions: each pool is swept in the Region its id names (eu-west-1_AbC123 is in eu-west-1), so one
call can sweep pools of several Regions. Pools in the same Region share one rate budget, because
Cognito's quotas are per account and Region.

Rate budget: the sweep uses at most this fraction of the documented default quotas (ListUsers 30/s,
AdminListDevices 50/s, AdminForgetDevice 25/s) and slows down further when Cognito throttles it;
your application's own traffic shares the same quotas. Where an account raised its AdminListDevices
quota (Cognito provisioned limits), --read-provisioned-limits makes the fraction one of the real
limit: it reads it once per account and Region (cognito-idp:GetProvisionedLimit, which IAM grants
on "*" only) and falls back to the documented default, with a warning, where it cannot.

Credentials: the usual AWS chain (--profile or AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, SSO, ...).
For a local --endpoint-url, dummy values are fine. Permissions needed: cognito-idp:ListUsers,
cognito-idp:AdminListDevices and (unless --dry-run) cognito-idp:AdminForgetDevice on each pool;
on a terminal, cognito-idp:DescribeUserPool is tried for the progress bar's total (optional).

When a run stops: throttles and 5xx answers are slowed down and retried, never skipped. An error no
retry can fix (access denied, credentials refused or missing, a pool that does not exist, an
endpoint out of reach) stops that pool at once (credentials and endpoint: every pool) with one
error line saying what fixes it; the other pools go on, and the status is 1. Ctrl-C (or SIGTERM)
stops like a deadline: calls in flight finish, the partial report is printed, --state is saved,
and the status is 130; a second Ctrl-C quits at once. --state is also saved every minute.

Output: progress goes to stderr (a bar on a terminal, plain lines otherwise); the report goes to
stdout as a table with bar charts of device ages, or as one JSON document with --json.
--audit-log appends versioned JSON Lines records (time, run id, pool, username, device key and
name, last use, rule, outcome); the run id is in the report.

Exit status:
  0  done: every stale device was forgotten (or, with --dry-run, counted)
  1  the run failed or was stopped by an error no retry can fix, or finished with errors counted;
     the partial report is still printed
  2  bad input, or a --state file that is not a usable state file (nothing was called)
  3  stopped by --max-forgets; run again to continue
  130  interrupted by Ctrl-C or SIGTERM; the partial report is printed and --state saved

Examples:
  # What would be forgotten? Nothing is changed.
  ${PROGRAM_NAME} --user-pool-id eu-west-1_AbC123 --stale-after 90d --dry-run

  # Daily from a laptop: only users who may have a stale device are listed.
  ${PROGRAM_NAME} --user-pool-id eu-west-1_AbC123 --stale-after 90d --state ~/.cognito-sweep-state.json

  # Incident: forget every device alice and bob remembered (check first with --dry-run).
  ${PROGRAM_NAME} --user-pool-id eu-west-1_AbC123 --username alice --username bob

  # Trust devices for a year at most, and forget those unused for 90 days.
  ${PROGRAM_NAME} --user-pool-id eu-west-1_AbC123 --stale-after 90d --max-device-age 365d

  # Two accounts of the organization, from the central account: one role per account.
  ${PROGRAM_NAME} --stale-after 90d \\
    --user-pool-id arn:aws:cognito-idp:eu-west-1:210987654321:userpool/eu-west-1_AbC123 \\
    --user-pool-id arn:aws:cognito-idp:us-east-1:310987654321:userpool/us-east-1_XyZ789 \\
    --assume-role 210987654321=arn:aws:iam::210987654321:role/DeviceSweepAccess \\
    --assume-role 310987654321=arn:aws:iam::310987654321:role/DeviceSweepAccess --external-id org-sweep

  # Forget devices unused for 90 days in two pools of two Regions, at most 10,000 this run.
  ${PROGRAM_NAME} --user-pool-id eu-west-1_AbC123 --user-pool-id us-east-1_XyZ789 \\
    --stale-after 90d --max-forgets 10000 --json > report.json
`;

/** The commander definition: names, help texts and raw string values only; checks are in toCliOptions. */
function buildProgram(): Command {
  return new Command()
    .name(PROGRAM_NAME)
    .description('Forgets the remembered devices of Amazon Cognito user pools that have not been used for a while.')
    .usage('--user-pool-id ID [--user-pool-id ID ...] (--stale-after 90d | --max-device-age 365d | --username NAME | --users-file F | --all-devices) [options]')
    .requiredOption('--user-pool-id <id>', 'user pool to sweep, e.g. eu-west-1_AbC123, or its ARN (which names its account); repeat for several pools', collect)
    .option('--stale-after <duration>', 'forget devices not used for this long, at least 1d (last authenticated, else last modified, else created)')
    .option('--max-device-age <duration>', 'forget devices created longer ago than this, at least 1d, even if used yesterday (a trust lifetime)')
    .option('--username <name>', 'forget every device of this user (the username as Cognito knows it); repeat for several users', collect)
    .option('--users-file <file>', 'forget every device of the users named in this file, one username per line')
    .option('--all-devices', 'forget every device of every user of the pools')
    .option('--dry-run', 'count what would be forgotten; change nothing')
    .option('--region <region>', "call this Region for every pool instead of the one in the pool's id")
    .option('--endpoint-url <url>', 'send the calls to this Cognito-compatible endpoint (a simulator, a proxy)')
    .option('--profile <name>', 'take credentials from this profile of the shared AWS config and credentials files (as AWS_PROFILE)')
    .option('--assume-role <account=role-arn>', 'call the pools of this account (named by ARN) with this role, assumed by STS; repeat for several accounts', collect)
    .option('--external-id <id>', 'the external id the --assume-role roles require (sts:ExternalId)')
    .option('--sts-endpoint-url <url>', 'send AssumeRole to this STS-compatible endpoint (a simulator, a VPC endpoint)')
    .addOption(
      new Option('--rate-budget <fraction>', 'fraction (0, 1] of the Cognito quotas the sweep may use')
        .default(String(DEFAULT_BUDGET_FRACTION), String(DEFAULT_BUDGET_FRACTION)),
    )
    .option('--read-provisioned-limits', "take the rate budget of each account and Region's real limits (cognito-idp:GetProvisionedLimit on \"*\") instead of the documented defaults")
    .option('--max-forgets <n>', 'stop after forgetting this many devices (exit status 3)')
    .option('--json', 'print the report as one JSON document on stdout')
    .option('--report-csv <file>', 'also write the per-pool report to this CSV file')
    .option('--audit-log <file>', 'append one JSON line per device forgotten (or, with --dry-run, that would be) to this file (created owner-only)')
    .option('--state <file>', 'incremental runs: remember in this file (created if absent) when each user can next have a stale device, and skip listing the devices of users not yet due')
    .addHelpText('after', HELP_AFTER)
    // Suggestions ("Did you mean ...?") come on a second line; our error is one line, so we add it ourselves.
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .exitOverride();
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * Parses the arguments (without `node` and the script path). Help is written to `writeHelp`;
 * every problem becomes a UsageError with one line that says what to change.
 */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv, writeHelp: (text: string) => void): ParseOutcome {
  let commanderMessage = '';
  const program = buildProgram().configureOutput({
    writeOut: writeHelp,
    writeErr: writeHelp,
    outputError: (message) => {
      commanderMessage += message;
    },
  });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help') {
        return { kind: 'help' };
      }
      throw new UsageError(oneLine(commanderMessage || error.message));
    }
    throw error;
  }
  return { kind: 'run', options: toCliOptions(program.opts(), env) };
}

/** `error: unknown option '--dry'\n(Did you mean --dry-run?)` -> `unknown option '--dry' (Did you mean --dry-run?)` */
function oneLine(commanderMessage: string): string {
  return commanderMessage.replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ').trim();
}

interface RawOptions {
  readonly userPoolId: string[];
  readonly staleAfter?: string;
  readonly maxDeviceAge?: string;
  readonly username?: string[];
  readonly usersFile?: string;
  readonly allDevices?: boolean;
  readonly dryRun?: boolean;
  readonly region?: string;
  readonly endpointUrl?: string;
  readonly profile?: string;
  readonly assumeRole?: string[];
  readonly externalId?: string;
  readonly stsEndpointUrl?: string;
  readonly rateBudget: string;
  readonly readProvisionedLimits?: boolean;
  readonly maxForgets?: string;
  readonly json?: boolean;
  readonly reportCsv?: string;
  readonly state?: string;
  readonly auditLog?: string;
}

function toCliOptions(raw: RawOptions, env: NodeJS.ProcessEnv): CliOptions {
  const { selection, selectionText } = toSelection(raw);
  if (raw.state !== undefined && selection.kind !== 'stale') {
    throw new UsageError('--state applies to --stale-after and --max-device-age only; incident selections forget devices whatever their age');
  }
  const userPoolIds = checkPoolIds(raw.userPoolId);
  return {
    userPoolIds,
    accountRoles: checkAssumeRoles(raw.assumeRole ?? [], raw.externalId, userPoolIds),
    stsEndpointUrl: raw.stsEndpointUrl === undefined ? undefined : checkEndpointUrl(raw.stsEndpointUrl, '--sts-endpoint-url'),
    selection,
    selectionText,
    dryRun: raw.dryRun === true,
    region: raw.region === undefined ? undefined : checkRegion(raw.region),
    endpointUrl: raw.endpointUrl === undefined ? undefined : checkEndpointUrl(raw.endpointUrl, '--endpoint-url'),
    profile: raw.profile === undefined ? undefined : checkProfile(raw.profile),
    rateBudget: checkRateBudget(raw.rateBudget),
    readProvisionedLimits: raw.readProvisionedLimits === true,
    maxForgets: raw.maxForgets === undefined ? undefined : checkMaxForgets(raw.maxForgets),
    json: raw.json === true,
    reportCsv: raw.reportCsv === undefined ? undefined : checkOutputPath(raw.reportCsv, '--report-csv'),
    auditLog: raw.auditLog === undefined ? undefined : checkOutputPath(raw.auditLog, '--audit-log'),
    statePath: raw.state === undefined ? undefined : checkStatePath(raw.state),
    quotaScale: checkQuotaScale(env[QUOTA_SCALE_ENV]),
  };
}

function checked<T>(flag: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
}

function checkPoolIds(ids: readonly string[]): string[] {
  for (const id of ids) {
    try {
      parseUserPoolRef(id);
    } catch (error) {
      if (error instanceof SweepInputError) {
        throw new UsageError(`--user-pool-id: ${error.message}`);
      }
      throw error;
    }
  }
  return [...new Set(ids)];
}

function checkRegion(region: string): string {
  if (!isRegionName(region)) {
    throw new UsageError(`--region: '${region}' is not an AWS Region name, e.g. eu-west-1`);
  }
  return region;
}

function checkEndpointUrl(text: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${flag}: '${text}' is not a URL, e.g. http://127.0.0.1:9229`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${flag}: '${text}' must start with http:// or https://`);
  }
  return text;
}

/**
 * `--assume-role ACCOUNT=ROLE_ARN`, each under the rules every layer applies (sweep/input/rules):
 * one role per account, a role ARN of that account, and a pool of that account given by ARN.
 */
function checkAssumeRoles(texts: readonly string[], externalId: string | undefined, userPoolIds: readonly string[]): AccountRole[] {
  if (externalId !== undefined && texts.length === 0) {
    throw new UsageError('--external-id goes with --assume-role: give the role of each account whose pools need it');
  }
  if (externalId !== undefined) ruled(externalIdProblem('--external-id', externalId));
  const poolAccounts = new Set(userPoolIds.map((id) => parseUserPoolRef(id).accountId).filter((a): a is string => a !== undefined));
  const roles: AccountRole[] = [];
  texts.forEach((text, i) => {
    const eq = text.indexOf('=');
    if (eq < 0) {
      throw new UsageError(`--assume-role: '${text}' is not ACCOUNT_ID=ROLE_ARN, e.g. 210987654321=arn:aws:iam::210987654321:role/DeviceSweepAccess`);
    }
    const accountId = text.slice(0, eq).trim();
    const roleArn = text.slice(eq + 1).trim();
    ruled(accountIdProblem('--assume-role account', accountId));
    ruled(roleArnProblem('--assume-role role', roleArn, accountId));
    if (roles.some((r) => r.accountId === accountId)) {
      throw new UsageError(`--assume-role: account ${accountId} is given twice; give one role per account`);
    }
    ruled(unusedRoleProblem(`--assume-role #${i + 1}`, accountId, poolAccounts));
    roles.push({ accountId, roleArn, ...(externalId === undefined ? {} : { externalId }) });
  });
  return roles;
}

function checkProfile(name: string): string {
  if (name.trim() === '') {
    throw new UsageError('--profile: give a profile name of the shared AWS config files, e.g. --profile sweeper');
  }
  return name;
}

/** Rule: sweep/input/rules, as every layer applies it. */
function checkRateBudget(text: string): number {
  const fraction = text.trim() === '' ? Number.NaN : Number(text);
  const problem = rateBudgetProblem('--rate-budget', Number.isNaN(fraction) ? text : fraction);
  if (problem) throw new UsageError(problem);
  return fraction;
}

/** Rule: sweep/input/rules, as every layer applies it. */
function checkMaxForgets(text: string): number {
  const value = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  const problem = maxForgetsProblem('--max-forgets', Number.isNaN(value) ? text : value);
  if (problem) throw new UsageError(problem);
  return value;
}

/**
 * Exactly one kind of selection: the dated rules (either or both), named users (--username and
 * --users-file together), or --all-devices. Mixing kinds is refused: "forget alice's devices" must
 * never quietly turn into "and every stale device of the pool", nor the other way round.
 */
function toSelection(raw: RawOptions): { selection: DeviceSelection; selectionText: string } {
  const dated = [raw.staleAfter !== undefined && '--stale-after', raw.maxDeviceAge !== undefined && '--max-device-age'].filter(isFlag);
  const named = [raw.username !== undefined && '--username', raw.usersFile !== undefined && '--users-file'].filter(isFlag);
  const all = raw.allDevices === true ? ['--all-devices'] : [];
  const kinds = [dated, named, all].filter((flags) => flags.length > 0);
  if (kinds.length === 0) {
    throw new UsageError('say what to forget: --stale-after, --max-device-age, --username, --users-file or --all-devices');
  }
  if (kinds.length > 1) {
    throw new UsageError(`${kinds[0].join(' and ')} cannot be combined with ${kinds.slice(1).flat().join(' or ')}; run them separately`);
  }
  if (all.length > 0) return { selection: { kind: 'all' }, selectionText: 'every device of every user' };
  if (named.length > 0) {
    const usernames = [...new Set([...(raw.username ?? []), ...(raw.usersFile === undefined ? [] : readUsersFile(raw.usersFile))])];
    usernames.forEach((name, i) => ruled(usernameProblem(`username #${i + 1}`, name)));
    return { selection: { kind: 'users', usernames }, selectionText: `every device of ${usernames.length} named user(s)` };
  }
  const staleAfterSeconds = durationOf('--stale-after', raw.staleAfter, staleAfterProblem);
  const maxDeviceAgeSeconds = durationOf('--max-device-age', raw.maxDeviceAge, maxDeviceAgeProblem);
  const words = [
    raw.staleAfter !== undefined ? `unused for ${raw.staleAfter}` : undefined,
    raw.maxDeviceAge !== undefined ? `created more than ${raw.maxDeviceAge} ago` : undefined,
  ].filter((w): w is string => w !== undefined);
  return {
    selection: {
      kind: 'stale',
      ...(staleAfterSeconds === undefined ? {} : { staleAfterSeconds }),
      ...(maxDeviceAgeSeconds === undefined ? {} : { maxDeviceAgeSeconds }),
    },
    selectionText: `devices ${words.join(' or ')}`,
  };
}

/** A duration flag in seconds, checked by its rule (sweep/input/rules); undefined when not given. */
function durationOf(flag: string, text: string | undefined, rule: (name: string, seconds: unknown) => string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = checked(flag, () => parseDuration(text));
  return ruled(rule(flag, seconds), seconds);
}

function isFlag(value: string | false): value is string {
  return value !== false;
}

/** One username per line; surrounding blanks and empty lines are ignored (Cognito usernames hold no whitespace). */
function readUsersFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--users-file: cannot read '${path}': ${(error as Error).message}`);
  }
  const names = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  if (names.length === 0) throw new UsageError(`--users-file: '${path}' names no user; give one username per line`);
  return names;
}

/** Rule: sweep/input/rules, as every layer applies it: returns the value when the rule has no problem with it. */
function ruled<T>(problem: string | undefined, value?: T): T {
  if (problem) throw new UsageError(problem);
  return value as T;
}

/** An output file the run will write: checked before the sweep. */
function checkOutputPath(path: string, flag: string): string {
  if (path.trim() === '') {
    throw new UsageError(`${flag}: give a file name`);
  }
  // Checked before the sweep so an hours-long run does not end with a report that cannot be written.
  const target = resolve(path);
  if (existsSync(target) && statSync(target).isDirectory()) {
    throw new UsageError(`${flag}: '${path}' is a directory; give a file name`);
  }
  try {
    accessSync(dirname(target), constants.W_OK);
  } catch {
    throw new UsageError(`${flag}: cannot write in '${dirname(target)}'; give a file in an existing, writable directory`);
  }
  return path;
}

function checkQuotaScale(text: string | undefined): number {
  if (text === undefined || text === '') {
    return 1;
  }
  const scale = Number(text);
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new UsageError(`${QUOTA_SCALE_ENV}: '${text}' must be a number greater than 0 (simulators only; unset it for AWS)`);
  }
  return scale;
}
