/**
 * One rule, every layer: the same bad value is refused with the same sentence by the constructs (at
 * synth time), the slice Lambda (execution input), the engine and the CLI. Each layer names the
 * setting as its users spell it and prefixes where it was given; the sentence after the name is the
 * rule's (src/sweep/rules.ts).
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { StaleDeviceCleanup, StaleDeviceCleanupProps } from '../../src/cleanup';
import { parseCommandLine } from '../../src/cli/options';
import { DevicePurge, DevicePurgeProps, PurgeSelection } from '../../src/purge';
import type { SweepOptions } from '../../src/sweep/types';
import { planSweep } from '../../src/sweep/validate';
import { parseSliceEvent } from '../../src/workflow/runtime/slice-event';

const POOL = 'eu-west-1_AbC123';
const TOO_MANY = Array.from({ length: 101 }, (_, i) => `user${i}`);

/** What every layer says after the setting's name. */
const RULE = {
  staleAfterHour: 'is 3600 seconds; use at least one day (86400 seconds; the Cognito guide suggests 90 days), or it forgets devices that are in everyday use.',
  maxForgetsZero: 'is 0; use a whole number of at least 1, or leave it out for no cap.',
  tooManyNames: 'has 101 names; at most 100 fit in one sweep configuration.',
  emptyName: '#2 is empty; give the username as Cognito knows it.',
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
  const stack = new Stack(new App(), 'Stack');
  new StaleDeviceCleanup(stack, 'Cleanup', {
    userPools: [cognito.UserPool.fromUserPoolId(stack, 'Pool', POOL)],
    staleAfter: Duration.days(90),
    ...props,
  });
}

function purge(props: Partial<DevicePurgeProps>): void {
  const stack = new Stack(new App(), 'Stack');
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
  expect(errorOf(() => cleanup({ maxForgetsPerRun: 0 }))).toBe(`Stack/Cleanup: maxForgetsPerRun ${RULE.maxForgetsZero}`);
  expect(errorOf(() => purge({ maxForgets: 0 }))).toBe(`DevicePurge: maxForgets ${RULE.maxForgetsZero}`);
  expect(errorOf(() => slice({ maxForgets: 0 }))).toBe(`config.maxForgets ${RULE.maxForgetsZero}`);
  expect(errorOf(() => engine({ maxForgets: 0 }))).toBe(`maxForgets ${RULE.maxForgetsZero}`);
  expect(errorOf(() => cli('--max-forgets', '0'))).toBe(`--max-forgets ${RULE.maxForgetsZero}`);
});

test('101 usernames in one list', () => {
  expect(errorOf(() => cleanup({ excludeUsernames: TOO_MANY }))).toBe(`Stack/Cleanup: excludeUsernames ${RULE.tooManyNames}`);
  expect(errorOf(() => purge({ excludeUsernames: TOO_MANY }))).toBe(`DevicePurge: excludeUsernames ${RULE.tooManyNames}`);
  expect(errorOf(() => PurgeSelection.users(TOO_MANY))).toBe(`PurgeSelection.users: usernames ${RULE.tooManyNames}`);
  expect(errorOf(() => slice({ excludeUsernames: TOO_MANY }))).toBe(`config.excludeUsernames ${RULE.tooManyNames}`);
  expect(errorOf(() => slice({ selection: { kind: 'users', usernames: TOO_MANY } }))).toBe(`config.selection.usernames ${RULE.tooManyNames}`);
});

test('an empty username', () => {
  expect(errorOf(() => cleanup({ excludeUsernames: ['ops', ' '] }))).toBe(`Stack/Cleanup: excludeUsernames ${RULE.emptyName}`);
  expect(errorOf(() => purge({ excludeUsernames: ['ops', ''] }))).toBe(`DevicePurge: excludeUsernames ${RULE.emptyName}`);
  expect(errorOf(() => PurgeSelection.users(['alice', '']))).toBe(`PurgeSelection.users: usernames ${RULE.emptyName}`);
  expect(errorOf(() => slice({ excludeUsernames: ['ops', ''] }))).toBe(`config.excludeUsernames ${RULE.emptyName}`);
  expect(errorOf(() => engine({ selection: { kind: 'users', usernames: ['alice', ''] } }))).toBe(`selection.usernames ${RULE.emptyName}`);
});
