import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { cloudWatchUsageSource, rateLeftByOthers, UsageFollower, CategoryUsage } from '../../src/sweep/account-usage';
import { createSweepClient } from '../../src/sweep/clients';
import { LimiterSet } from '../../src/sweep/limiter-set';
import { AdaptiveRateLimiter } from '../../src/sweep/rate-limiter';

test('the sweeper may use what the other callers leave of the quota, at most its budget', () => {
  expect(rateLeftByOthers(25, 12.5, { callsPerSecond: 22.5, throttlesPerSecond: 0 }, 0)).toBeCloseTo(2.5);
  // Its own calls are in the account's count: they are not "others".
  expect(rateLeftByOthers(25, 12.5, { callsPerSecond: 22.5, throttlesPerSecond: 0 }, 12.5)).toBeCloseTo(12.5);
  expect(rateLeftByOthers(25, 12.5, { callsPerSecond: 40, throttlesPerSecond: 0 }, 0)).toBe(0);
});

describe('UsageFollower', () => {
  let usage: CategoryUsage | undefined;
  let t = 0;
  const follower = (limiter: AdaptiveRateLimiter) => new UsageFollower('UserResourceUpdate', 25, limiter, async () => {
    if (usage === undefined) throw new Error('AccessDenied');
    return usage;
  }, () => t);

  test('caps the limiter while the app is busy, and lets it recover when the app calms down', async () => {
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 12.5, now: () => t });
    const f = follower(limiter);
    usage = { callsPerSecond: 22.5, throttlesPerSecond: 0 };
    t += 60_000;
    await f.poll();
    expect(limiter.currentRate).toBeCloseTo(2.5);
    for (let i = 0; i < 1_000; i++) limiter.onSuccess(5);
    expect(limiter.currentRate).toBeCloseTo(2.5);

    usage = { callsPerSecond: 5, throttlesPerSecond: 0 };
    t += 60_000;
    await f.poll();
    for (let i = 0; i < 1_000; i++) limiter.onSuccess(5);
    expect(limiter.currentRate).toBe(12.5);
  });

  test('throttles of the account cut the rate even when the sweeper saw none', async () => {
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 12.5, now: () => t });
    usage = { callsPerSecond: 10, throttlesPerSecond: 0.5 };
    t += 60_000;
    await follower(limiter).poll();
    expect(limiter.currentRate).toBeCloseTo(12.5 * 0.7);
  });

  test('a failing source (no permission) leaves the limiter as it is', async () => {
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 12.5, now: () => t });
    usage = undefined;
    await follower(limiter).poll();
    expect(limiter.currentRate).toBe(12.5);
  });
});

test('cloudWatchUsageSource asks AWS/Usage for the category over the last complete period', async () => {
  const send = jest.fn(async (_command: GetMetricDataCommand) => ({
    MetricDataResults: [{ Id: 'calls', Values: [6_000] }, { Id: 'throttles', Values: [30] }],
  }));
  const source = cloudWatchUsageSource({ send } as unknown as CloudWatchClient, 300, () => Date.parse('2026-12-02T13:07:30Z'));

  expect(await source('UserResourceUpdate')).toEqual({ callsPerSecond: 20, throttlesPerSecond: 0.1 });
  const input = send.mock.calls[0][0].input;
  expect(input.StartTime).toEqual(new Date('2026-12-02T13:00:00Z'));
  expect(input.EndTime).toEqual(new Date('2026-12-02T13:05:00Z'));
  expect(input.MetricDataQueries?.map((q) => q.MetricStat?.Metric?.MetricName)).toEqual(['CallCount', 'ThrottleCount']);
  expect(input.MetricDataQueries?.[0].MetricStat?.Metric).toMatchObject({
    Namespace: 'AWS/Usage',
    Dimensions: [
      { Name: 'Service', Value: 'Cognito user pools' }, { Name: 'Type', Value: 'API' },
      { Name: 'Resource', Value: 'UserResourceUpdate' }, { Name: 'Class', Value: 'None' },
    ],
  });
});

test('no data points: no usage', async () => {
  const send = jest.fn(async () => ({ MetricDataResults: [{ Id: 'calls', Values: [] }] }));
  expect(await cloudWatchUsageSource({ send } as unknown as CloudWatchClient)('UserList')).toBeUndefined();
});

test('a LimiterSet that follows usage polls each Region it calls and caps its limiters', async () => {
  const stop = new AbortController();
  const signals = { UserList: stop.signal, UserResourceRead: stop.signal, UserResourceUpdate: stop.signal };
  const asked: string[] = [];
  const set = new LimiterSet({ UserList: 15, UserResourceRead: 25, UserResourceUpdate: 12.5 }, signals, {
    quotas: { UserList: 30, UserResourceRead: 50, UserResourceUpdate: 25 },
    sourceFor: (region) => async (category) => {
      asked.push(`${region}/${category}`);
      return { callsPerSecond: category === 'UserResourceUpdate' ? 22.5 : 0, throttlesPerSecond: 0 };
    },
    intervalMs: 20,
  });
  const client = createSweepClient('eu-west-1');
  try {
    const limiters = await set.of(client);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(asked).toContain('eu-west-1/UserResourceUpdate');
    expect(limiters.UserResourceUpdate.currentRate).toBeCloseTo(2.5);
    expect(limiters.UserResourceRead.currentRate).toBe(25);
  } finally {
    set.close();
    client.destroy();
  }
  const polls = asked.length;
  await new Promise((resolve) => setTimeout(resolve, 60));
  expect(asked.length).toBe(polls);
});
