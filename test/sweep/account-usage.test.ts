import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { createSweepClient } from '../../src/sweep/calls/clients';
import { cloudWatchUsageSource, rateLeftByOthers, UsageFollower, CategoryUsage, UsageSource } from '../../src/sweep/rate/account-usage';
import { cloudWatchSourceFor, LimiterSet } from '../../src/sweep/rate/limiter-set';
import { AdaptiveRateLimiter } from '../../src/sweep/rate/rate-limiter';

const MINUTE = 60_000;
/** A whole five-minute boundary, as CloudWatch periods start. */
const T0 = Date.parse('2026-12-02T13:00:00Z');

/** Usage over the five minutes before `endMs`. */
function usageOver(endMs: number, callsPerSecond: number, throttlesPerSecond = 0): CategoryUsage {
  return { callsPerSecond, throttlesPerSecond, windowStartMs: endMs - 5 * MINUTE, windowEndMs: endMs };
}

/** Resolves once `done()` holds (checked every few ms; the test's own timeout bounds it). */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
}

test('the sweeper may use what the other callers leave of the quota, at most its budget', () => {
  expect(rateLeftByOthers(25, 12.5, { callsPerSecond: 22.5 }, 0)).toBeCloseTo(2.5);
  // Its own calls are in the account's count: they are not "others".
  expect(rateLeftByOthers(25, 12.5, { callsPerSecond: 22.5 }, 12.5)).toBeCloseTo(12.5);
  expect(rateLeftByOthers(25, 12.5, { callsPerSecond: 40 }, 0)).toBe(0);
});

describe('UsageFollower', () => {
  let usage: CategoryUsage | undefined;
  let t = T0;
  const follower = (limiter: AdaptiveRateLimiter) => new UsageFollower('UserResourceUpdate', 25, limiter, async () => {
    if (usage === undefined) throw new Error('AccessDenied');
    return usage;
  }, () => t);

  test('caps the limiter while the app is busy, and lets it recover when the app calms down', async () => {
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 12.5, now: () => t });
    const f = follower(limiter);
    t += 60_000;
    usage = usageOver(t, 22.5);
    await f.poll();
    expect(limiter.currentRate).toBeCloseTo(2.5);
    for (let i = 0; i < 1_000; i++) limiter.onSuccess(5);
    expect(limiter.currentRate).toBeCloseTo(2.5);

    t += 60_000;
    usage = usageOver(t, 5);
    await f.poll();
    for (let i = 0; i < 1_000; i++) limiter.onSuccess(5);
    expect(limiter.currentRate).toBe(12.5);
  });

  test('throttles of the account cut the rate even when the sweeper saw none', async () => {
    const limiter = new AdaptiveRateLimiter({ ratePerSecond: 12.5, now: () => t });
    t += 60_000;
    usage = usageOver(t, 10, 0.5);
    await follower(limiter).poll();
    expect(limiter.currentRate).toBeCloseTo(12.5 * 0.7);
  });

  test('its own rate is taken over the window the usage covers, not since the last poll', async () => {
    // The sweeper made 10 calls/s from 13:00 to 13:05, then none (held back) until 13:06, when the
    // usage of 13:00-13:05 arrives: 22 calls/s in the account, 10 of them its own, so others use 12.
    const limiter = { granted: 0, budget: 12.5, setCeiling: jest.fn(), onThrottle: jest.fn() };
    let now = T0;
    const source = async () => usageOver(T0 + 5 * MINUTE, 22);
    const f = new UsageFollower('UserResourceUpdate', 25, limiter as unknown as AdaptiveRateLimiter, source, () => now);
    for (let minute = 1; minute <= 5; minute++) {
      now = T0 + minute * MINUTE;
      limiter.granted += 600;
      await f.poll();
    }
    now = T0 + 6 * MINUTE;
    limiter.setCeiling.mockClear();
    await f.poll();

    expect(f.ownRateOver(T0, T0 + 5 * MINUTE)).toBeCloseTo(10);
    // 25 - (22 - 10) = 13, at most the budget. Since the last poll it made no call: 25 - 22 = 3 would be wrong.
    expect(limiter.setCeiling).toHaveBeenCalledWith(12.5);
  });

  test('no own calls are counted in a window that ended before the sweep started', async () => {
    const limiter = { granted: 0, budget: 12.5, setCeiling: jest.fn(), onThrottle: jest.fn() };
    let now = T0 + 7 * MINUTE;
    const f = new UsageFollower('UserResourceUpdate', 25, limiter as unknown as AdaptiveRateLimiter, async () => usageOver(T0 + 5 * MINUTE, 20), () => now);
    now += MINUTE;
    limiter.granted += 600;
    await f.poll();
    expect(f.ownRateOver(T0, T0 + 5 * MINUTE)).toBe(0);
    expect(limiter.setCeiling).toHaveBeenCalledWith(5);
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

  expect(await source('UserResourceUpdate')).toEqual({
    callsPerSecond: 20, throttlesPerSecond: 0.1, windowStartMs: Date.parse('2026-12-02T13:00:00Z'), windowEndMs: Date.parse('2026-12-02T13:05:00Z'),
  });
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
      return usageOver(Date.now(), category === 'UserResourceUpdate' ? 22.5 : 0);
    },
    intervalMs: 20,
  });
  const client = createSweepClient('eu-west-1');
  try {
    const limiters = await set.of(client);
    // Until a poll has capped the update limiter (a loaded machine polls later, never wrongly).
    await until(() => asked.includes('eu-west-1/UserResourceUpdate') && limiters.UserResourceUpdate.currentRate < 12.5);
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

test('a usage source that fails is logged once per Region and cause, not once per poll', async () => {
  const stop = new AbortController();
  const signals = { UserList: stop.signal, UserResourceRead: stop.signal, UserResourceUpdate: stop.signal };
  const warnings: Array<{ message: string; extra?: object }> = [];
  let reads = 0;
  const denied = Object.assign(new Error('User is not authorized to perform: cloudwatch:GetMetricData'), { name: 'AccessDeniedException' });
  const set = new LimiterSet({ UserList: 15, UserResourceRead: 25, UserResourceUpdate: 12.5 }, signals, {
    quotas: { UserList: 30, UserResourceRead: 50, UserResourceUpdate: 25 },
    sourceFor: () => async () => {
      reads++;
      throw denied;
    },
    intervalMs: 5,
    logger: { info: () => {}, warn: (message, extra) => warnings.push({ message, extra }) },
  });
  const clients = [createSweepClient('eu-west-1'), createSweepClient('us-east-1')];
  try {
    for (const client of clients) await set.of(client);
    // Three categories per Region, several polls each.
    await until(() => reads >= 18);
  } finally {
    set.close();
    clients.forEach((client) => client.destroy());
  }
  expect(warnings).toEqual(['eu-west-1', 'us-east-1'].map((region) => ({
    message: expect.stringMatching(/^Cannot read the account's usage from CloudWatch/),
    extra: expect.objectContaining({ region, error: `AccessDeniedException: ${denied.message}` }),
  })));
});

test('closing a LimiterSet releases each Region\'s usage source once; the CloudWatch source destroys its client', async () => {
  const stop = new AbortController();
  const signals = { UserList: stop.signal, UserResourceRead: stop.signal, UserResourceUpdate: stop.signal };
  const closed: string[] = [];
  const set = new LimiterSet({ UserList: 15, UserResourceRead: 25, UserResourceUpdate: 12.5 }, signals, {
    quotas: { UserList: 30, UserResourceRead: 50, UserResourceUpdate: 25 },
    sourceFor: (region) => Object.assign(async () => undefined, { close: () => closed.push(region) }) as UsageSource,
    intervalMs: 60_000,
  });
  const clients = [createSweepClient('eu-west-1'), createSweepClient('eu-west-1'), createSweepClient('us-east-1')];
  try {
    for (const client of clients) await set.of(client);
    expect(closed).toEqual([]);
  } finally {
    set.close();
    set.close();
    clients.forEach((client) => client.destroy());
  }
  expect(closed).toEqual(['eu-west-1', 'us-east-1']);

  const destroy = jest.spyOn(CloudWatchClient.prototype, 'destroy');
  try {
    const source = cloudWatchSourceFor('eu-west-1');
    expect(destroy).not.toHaveBeenCalled();
    source.close?.();
    expect(destroy).toHaveBeenCalledTimes(1);
  } finally {
    destroy.mockRestore();
  }
});
