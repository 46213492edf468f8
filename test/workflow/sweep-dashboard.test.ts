import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { DevicePurge, PurgeSelection, StaleDeviceCleanup } from '../../src';
import { zeroAgePicture } from '../../src/sweep/pipeline/age-picture';
import { SweepMetric } from '../../src/workflow/contract';
import { mergeDomains, runMetrics } from '../../src/workflow/runtime/domain-merge';
import { sliceMetrics } from '../../src/workflow/runtime/slice-logic';

/** Every metric name the slice emits, taken from the slice's own code on a finished run. */
function emittedMetricNames(): string[] {
  const pool = {
    userPoolId: 'eu-west-1_A',
    usersScanned: 1,
    devicesScanned: 0,
    devicesStale: 0,
    devicesForgotten: 0,
    devicesAlreadyGone: 0,
    devicesUndated: 0,
    errors: 0,
    usersSkippedByIndex: 0,
    ages: zeroAgePicture(),
  };
  const at = '2026-01-01T00:00:00.000Z';
  const names = sliceMetrics({
    progress: { done: true, capped: false, totals: [pool], slices: 1, startedAt: at, finishedAt: at },
    result: {
      done: true,
      capped: false,
      pools: [pool],
      startedAt: at,
      finishedAt: at,
      throttled: 0,
      calls: { UserList: 0, UserResourceRead: 0, UserResourceUpdate: 0 },
      ratesPerSecond: { UserList: 1, UserResourceRead: 1, UserResourceUpdate: 1 },
    },
  }).map((m) => m.name);
  // The merge step emits the run's own metrics once per run (by quota domain).
  const merged = mergeDomains({
    action: 'merge',
    config: { userPoolIds: [pool.userPoolId], selection: { kind: 'all' }, dryRun: true },
    results: [{ domain: { key: '/eu-west-1', region: 'eu-west-1' }, progress: { done: true, capped: false, totals: [pool], slices: 1, startedAt: at, finishedAt: at } }],
    toleratedDomainFailures: 0,
  }, at);
  names.push(...runMetrics(merged).map((m) => m.name));
  return [...new Set(names)];
}

/** [metricName, SweepName] of every metric in the dashboard body. */
function dashboardMetrics(template: Template): Array<[string, unknown]> {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as any[];
  const body = dashboard.Properties.DashboardBody;
  const text = typeof body === 'string' ? body : body['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : 'REF')).join('');
  const widgets = JSON.parse(text).widgets as any[];
  return widgets.flatMap((w) => (w.properties.metrics ?? []).map((metric: unknown[]) => {
    expect(metric.slice(0, 4)).toEqual(['CognitoDeviceSweep', metric[1], 'SweepName', expect.anything()]);
    return [metric[1] as string, metric[3]];
  }));
}

test('the slice emits every metric the contract names, and the emitted set covers the age picture', () => {
  const emitted = emittedMetricNames();
  expect(emitted.length).toBeGreaterThan(20);
  expect(emitted).toEqual(expect.arrayContaining(['RunDurationSeconds', 'DevicesLastUsedOver365Days', 'UsersHolding6OrMoreDevices']));
  for (const name of emitted) expect(Object.values(SweepMetric)).toContain(name);
});

test.each([
  ['StaleDeviceCleanup', (stack: Stack, pool: cognito.IUserPool) =>
    new StaleDeviceCleanup(stack, 'Cleanup', { userPools: [pool], staleAfter: Duration.days(90), dashboard: true })],
  ['DevicePurge', (stack: Stack, pool: cognito.IUserPool) =>
    new DevicePurge(stack, 'Purge', { userPool: pool, selection: PurgeSelection.allDevices(), dashboard: true })],
])('%s with dashboard: true has a widget for every metric the slice emits, all of its own sweep', (_, build) => {
  const stack = new Stack(new App(), 'Dash', { env: { account: '111111111111', region: 'eu-west-1' } });
  const sweep = build(stack, cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_AAAAAAAAA'));
  const template = Template.fromStack(stack);

  template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  expect(sweep.dashboard).toBeDefined();
  const shown = dashboardMetrics(template);
  expect(new Set(shown.map(([name]) => name))).toEqual(new Set(emittedMetricNames()));
  for (const [, sweepName] of shown) expect(sweepName).toBe(sweep.sweepName);
});

test('no dashboard unless asked for', () => {
  const stack = new Stack(new App(), 'NoDash', { env: { account: '111111111111', region: 'eu-west-1' } });
  const pool = cognito.UserPool.fromUserPoolId(stack, 'Pool', 'eu-west-1_AAAAAAAAA');
  const cleanup = new StaleDeviceCleanup(stack, 'Cleanup', { userPools: [pool], staleAfter: Duration.days(90) });
  Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  expect(cleanup.dashboard).toBeUndefined();
});
