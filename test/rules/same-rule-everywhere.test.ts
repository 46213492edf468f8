/**
 * One rule, every layer: the same bad value is refused with the same sentence by the constructs (at
 * synth time), the slice Lambda (execution input), the engine and the CLI. Each layer names the
 * setting as its users spell it and prefixes where it was given; the sentence after the name is the
 * rule's (src/sweep/input/rules.ts).
 */
import { Duration } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { StaleDeviceCleanup, StaleDeviceCleanupProps } from '../../src/cleanup';
import { parseCommandLine } from '../../src/cli/options';
import { DevicePurge, DevicePurgeProps, PurgeSelection } from '../../src/purge';
import { SweepInputError } from '../../src/sweep/errors';
import { planSweep } from '../../src/sweep/input/validate';
import { sweepDevices } from '../../src/sweep/sweep';
import type { SweepOptions } from '../../src/sweep/types';
import { parseSliceEvent } from '../../src/workflow/runtime/slice-event';
import { MemoryIndex } from '../sweep/index/memory-index';
import { newStack } from '../util/stack';

const POOL = 'eu-west-1_AbC123';
const TOO_MANY = Array.from({ length: 101 }, (_, i) => `user${i}`);

/** What every layer says after the setting's name. */
const RULE = {
  staleAfterHour: 'is 3600 seconds; use at least one day (86400 seconds; the Cognito guide suggests 90 days), or it forgets devices that are in everyday use.',
  maxForgetsZero: 'is 0; use a whole number of at least 1, or leave it out for no cap.',
  tooManyNames: 'has 101 names; at most 100 fit in one sweep configuration.',
  emptyName: '#2 is empty; give the username as Cognito knows it.',
  rateBudgetOver: 'is 1.5; use a fraction in (0, 1] of Cognito\'s request-rate quotas, e.g. 0.5 ' +
    '(your application shares those quotas, so leave it room).',
  perUserZero: 'is 0; use a positive number of requests per second.',
  indexWithAll: 'applies only to staleness selections, not to "all"; leave it out, or select stale devices.',
};

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the input to be refused');
}

function cleanup(props: Partial<StaleDeviceCleanupProps>): void {
  const stack = newStack({ agnostic: true });
  new StaleDeviceCleanup(stack, 'Cleanup', {
    userPools: [cognito.UserPool.fromUserPoolId(stack, 'Pool', POOL)],
    staleAfter: Duration.days(90),
    ...props,
  });
}

function purge(props: Partial<DevicePurgeProps>): void {
  const stack = newStack({ agnostic: true });
  new DevicePurge(stack, 'Purge', {
    userPool: cognito.UserPool.fromUserPoolId(stack, 'Pool', POOL),
    selection: PurgeSelection.allDevices(),
    ...props,
  });
}

function slice(config: Record<string, unknown>): void {
  parseSliceEvent({ config: { userPoolIds: [POOL], selection: { kind: 'all' }, dryRun: true, ...config } }, [POOL]);
}

function engine(options: Partial<SweepOptions>): void {
  planSweep({ userPoolIds: [POOL], selection: { kind: 'all' }, ...options } as SweepOptions);
}

/** The engine's own entry point: refuses before any call (no endpoint is reachable at this pool's Region here). */
async function sweep(options: Partial<SweepOptions>): Promise<never> {
  try {
    await sweepDevices({ userPoolIds: [POOL], selection: { kind: 'all' }, endpoint: 'http://127.0.0.1:9', ...options } as SweepOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(SweepInputError);
    throw error;
  }
  throw new Error('expected the input to be refused');
}

function cli(...args: string[]): void {
  parseCommandLine(['--user-pool-id', POOL, '--stale-after', '90d', ...args], {}, () => undefined);
}

test('staleAfter under a day', () => {
  expect(errorOf(() => cleanup({ staleAfter: Duration.hours(1) }))).toBe(`Stack/Cleanup: staleAfter ${RULE.staleAfterHour}`);
  expect(errorOf(() => PurgeSelection.staleDevices(Duration.hours(1)))).toBe(`PurgeSelection.staleDevices: staleAfter ${RULE.staleAfterHour}`);
  expect(errorOf(() => slice({ selection: { kind: 'stale', staleAfterSeconds: 3600 } })))
    .toBe(`config.selection.staleAfterSeconds ${RULE.staleAfterHour}`);
  expect(errorOf(() => cli('--stale-after', '1h'))).toBe(`--stale-after ${RULE.staleAfterHour}`);
  // The documented exception: the engine only needs a positive age (simulator runs age devices in seconds).
  expect(() => engine({ selection: { kind: 'stale', staleAfterSeconds: 3600 } })).not.toThrow();
});

test('a forget cap of 0', () => {
  expect(errorOf(() => cleanup({ maxForgets: 0 }))).toBe(`Stack/Cleanup: maxForgets ${RULE.maxForgetsZero}`);
  expect(errorOf(() => cleanup({ maxForgetsPerRun: 0 }))).toBe(`Stack/Cleanup: maxForgetsPerRun ${RULE.maxForgetsZero}`);
  expect(errorOf(() => purge({ maxForgets: 0 }))).toBe(`Stack/Purge: maxForgets ${RULE.maxForgetsZero}`);
  expect(errorOf(() => slice({ maxForgets: 0 }))).toBe(`config.maxForgets ${RULE.maxForgetsZero}`);
  expect(errorOf(() => engine({ maxForgets: 0 }))).toBe(`maxForgets ${RULE.maxForgetsZero}`);
  expect(errorOf(() => cli('--max-forgets', '0'))).toBe(`--max-forgets ${RULE.maxForgetsZero}`);
});

test('101 usernames in one list', () => {
  expect(errorOf(() => cleanup({ excludeUsernames: TOO_MANY }))).toBe(`Stack/Cleanup: excludeUsernames ${RULE.tooManyNames}`);
  expect(errorOf(() => purge({ excludeUsernames: TOO_MANY }))).toBe(`Stack/Purge: excludeUsernames ${RULE.tooManyNames}`);
  expect(errorOf(() => PurgeSelection.users(TOO_MANY))).toBe(`PurgeSelection.users: usernames ${RULE.tooManyNames}`);
  expect(errorOf(() => slice({ excludeUsernames: TOO_MANY }))).toBe(`config.excludeUsernames ${RULE.tooManyNames}`);
  expect(errorOf(() => slice({ selection: { kind: 'users', usernames: TOO_MANY } }))).toBe(`config.selection.usernames ${RULE.tooManyNames}`);
});

test('an empty username', () => {
  expect(errorOf(() => cleanup({ excludeUsernames: ['ops', ' '] }))).toBe(`Stack/Cleanup: excludeUsernames ${RULE.emptyName}`);
  expect(errorOf(() => purge({ excludeUsernames: ['ops', ''] }))).toBe(`Stack/Purge: excludeUsernames ${RULE.emptyName}`);
  expect(errorOf(() => PurgeSelection.users(['alice', '']))).toBe(`PurgeSelection.users: usernames ${RULE.emptyName}`);
  expect(errorOf(() => slice({ excludeUsernames: ['ops', ''] }))).toBe(`config.excludeUsernames ${RULE.emptyName}`);
  expect(errorOf(() => engine({ selection: { kind: 'users', usernames: ['alice', ''] } }))).toBe(`selection.usernames ${RULE.emptyName}`);
});

test('a rate budget over 1', async () => {
  expect(errorOf(() => cleanup({ rateBudget: 1.5 }))).toBe(`Stack/Cleanup: rateBudget ${RULE.rateBudgetOver}`);
  expect(errorOf(() => purge({ rateBudget: 1.5 }))).toBe(`Stack/Purge: rateBudget ${RULE.rateBudgetOver}`);
  expect(errorOf(() => slice({ rateBudget: { fraction: 1.5 } }))).toBe(`config.rateBudget.fraction ${RULE.rateBudgetOver}`);
  expect(errorOf(() => engine({ rateBudget: { fraction: 1.5 } }))).toBe(`rateBudget.fraction ${RULE.rateBudgetOver}`);
  expect(errorOf(() => cli('--rate-budget', '1.5'))).toBe(`--rate-budget ${RULE.rateBudgetOver}`);
  await expect(sweep({ rateBudget: { fraction: 1.5 } })).rejects.toThrow(`rateBudget.fraction ${RULE.rateBudgetOver}`);
});

// Only the engine takes a per-user rate (the CLI derives it; test/cli/run-cli-engine-rules.test.ts
// shows the CLI reports the engine's sentence as bad input). validateSweepOptions and sweepDevices agree.
test('a per-user rate of 0', async () => {
  const options = { rateBudget: { perUserRatePerSecond: 0 } };
  expect(errorOf(() => engine(options))).toBe(`rateBudget.perUserRatePerSecond ${RULE.perUserZero}`);
  await expect(sweep(options)).rejects.toThrow(`rateBudget.perUserRatePerSecond ${RULE.perUserZero}`);
});

// The slice drops the index for other selections itself (a run started by hand sweeps in full), and
// the cleanup always selects stale devices: only the engine sees this combination.
test('a next-check index with an "all" selection', async () => {
  const options = { selection: { kind: 'all' as const }, nextCheckIndex: new MemoryIndex() };
  expect(errorOf(() => engine(options))).toBe(`nextCheckIndex ${RULE.indexWithAll}`);
  await expect(sweep(options)).rejects.toThrow(`nextCheckIndex ${RULE.indexWithAll}`);
});

// Issue 19: the account roles. Only the engine and the CLI assume roles yet (the constructs and the
// slice do not); validateSweepOptions and sweepDevices agree, and the CLI says the same sentence.
describe('account roles', () => {
  const ACCOUNT = '210987654321';
  const POOL_ARN = `arn:aws:cognito-idp:eu-west-1:${ACCOUNT}:userpool/${POOL}`;
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/DeviceSweepAccess`;
  const ROLES_RULE = {
    badRoleArn: `is "role/x"; give an IAM role ARN such as "arn:aws:iam::${ACCOUNT}:role/DeviceSweepAccess".`,
    otherAccount: 'is a role of account 310987654321, not of account 210987654321; give the role of the account the pools are in (a DeviceSweepAccessRole deployed there).',
    shortAccount: 'is "2109"; give the 12-digit id of the account the pools are in, e.g. "210987654321".',
    unused: 'is for account 310987654321, which none of the user pools is in; give that account\'s pools as ARNs ' +
      '(arn:aws:cognito-idp:<region>:310987654321:userpool/<id>: a bare pool id does not name its account), or leave the role out.',
    badExternalId: 'is "x"; give the external id the role\'s trust policy requires (2 to 1224 letters, digits or _+=,.@:/-), or leave it out if it requires none.',
  };
  const withRole = (role: object) => ({ userPoolIds: [POOL_ARN], accountRoles: [{ accountId: ACCOUNT, roleArn: ROLE, ...role }] });
  const cliPool = (...args: string[]) => parseCommandLine(['--user-pool-id', POOL_ARN, '--stale-after', '90d', ...args], {}, () => undefined);

  test('a malformed role ARN', async () => {
    expect(errorOf(() => engine(withRole({ roleArn: 'role/x' })))).toBe(`accountRoles #1 roleArn ${ROLES_RULE.badRoleArn}`);
    await expect(sweep(withRole({ roleArn: 'role/x' }))).rejects.toThrow(`accountRoles #1 roleArn ${ROLES_RULE.badRoleArn}`);
    expect(errorOf(() => cliPool('--assume-role', `${ACCOUNT}=role/x`))).toBe(`--assume-role role ${ROLES_RULE.badRoleArn}`);
  });

  test('a role of another account', async () => {
    const other = { roleArn: 'arn:aws:iam::310987654321:role/DeviceSweepAccess' };
    expect(errorOf(() => engine(withRole(other)))).toBe(`accountRoles #1 roleArn ${ROLES_RULE.otherAccount}`);
    await expect(sweep(withRole(other))).rejects.toThrow(`accountRoles #1 roleArn ${ROLES_RULE.otherAccount}`);
    expect(errorOf(() => cliPool('--assume-role', `${ACCOUNT}=${other.roleArn}`))).toBe(`--assume-role role ${ROLES_RULE.otherAccount}`);
  });

  test('an account id that is not 12 digits', async () => {
    const short = { accountId: '2109' };
    expect(errorOf(() => engine(withRole(short)))).toBe(`accountRoles #1 accountId ${ROLES_RULE.shortAccount}`);
    await expect(sweep(withRole(short))).rejects.toThrow(`accountRoles #1 accountId ${ROLES_RULE.shortAccount}`);
    expect(errorOf(() => cliPool('--assume-role', `2109=${ROLE}`))).toBe(`--assume-role account ${ROLES_RULE.shortAccount}`);
  });

  test('a role for an account no pool is in', async () => {
    const unused = { userPoolIds: [POOL_ARN], accountRoles: [{ accountId: '310987654321', roleArn: 'arn:aws:iam::310987654321:role/DeviceSweepAccess' }] };
    expect(errorOf(() => engine(unused))).toBe(`accountRoles #1 ${ROLES_RULE.unused}`);
    await expect(sweep(unused)).rejects.toThrow(`accountRoles #1 ${ROLES_RULE.unused}`);
    expect(errorOf(() => cliPool('--assume-role', '310987654321=arn:aws:iam::310987654321:role/DeviceSweepAccess')))
      .toBe(`--assume-role #1 ${ROLES_RULE.unused}`);
    // A bare pool id does not name its account: the role would be unused.
    expect(errorOf(() => engine({ ...unused, userPoolIds: [POOL], accountRoles: [{ accountId: ACCOUNT, roleArn: ROLE }] })))
      .toContain(`accountRoles #1 is for account ${ACCOUNT}, which none of the user pools is in`);
  });

  test('a malformed external id', async () => {
    expect(errorOf(() => engine(withRole({ externalId: 'x' })))).toBe(`accountRoles #1 externalId ${ROLES_RULE.badExternalId}`);
    await expect(sweep(withRole({ externalId: 'x' }))).rejects.toThrow(`accountRoles #1 externalId ${ROLES_RULE.badExternalId}`);
    expect(errorOf(() => cliPool('--assume-role', `${ACCOUNT}=${ROLE}`, '--external-id', 'x'))).toBe(`--external-id ${ROLES_RULE.badExternalId}`);
  });

  test('a well-formed role and pool ARN pass', () => {
    expect(() => engine(withRole({ externalId: 'org-sweep-7' }))).not.toThrow();
  });
});
