/** Cognito's per-user limits (10 reads and 10 writes per second per user): a user with many devices is paced, never throttled. */
import { createSweepClient, sweepDevices } from '../../src/sweep';
import { CognitoSimulator, useSimulator } from '../sim';
import { scaledBudget } from './fixture';
import { virtualTime } from '../sim/virtual-time';

const T = 4;
// A small burst: the engine must not rely on Cognito's per-user burst, which is not documented.
const sim = useSimulator({ timeScale: T, latencyMs: { min: 5, max: 15 }, seed: 63, burstSeconds: 0.1 });
beforeEach(() => sim.resetStats());

test('a user with 63 stale devices is swept with zero per-user throttles', async () => {
  // Two AdminListDevices pages, then 63 forgets: the write budget (12.5/s) is above the per-user 10/s.
  const pool = sim.seedPool({ region: 'eu-west-1', users: 1, devicesPerUser: 63, undatedFraction: 0 });

  const result = await sweepDevices({ userPoolIds: [pool], selection: { kind: 'all' }, endpoint: sim.endpoint, rateBudget: scaledBudget(T) });

  expect(result.pools[0].devicesForgotten).toBe(63);
  expect(sim.allDevices(pool)).toHaveLength(0);
  expect(sim.stats.perUserThrottled).toBe(0);
  expect(result.throttled).toBe(0);
  // That the pace reaches (not just stays under) the per-user rate is a rate: user-pace.test.ts checks it on a fake clock.
});

test('without the per-user pace the same user is throttled (the simulator enforces the limit)', async () => {
  // Whether unpaced calls outrun the per-user limit is a rate: in wall time a slow machine's round
  // trips alone could space them under it. In virtual time (test/sim/virtual-time.ts) a round trip
  // takes the simulator's latency, so the calls go at the pace the engine's budget sets (the write
  // budget 12.5/s, above the per-user 10/s) on any machine.
  const own = await CognitoSimulator.start({ timeScale: T, latencyMs: { min: 5, max: 15 }, seed: 63, burstSeconds: 0.1, clock: () => Date.now() });
  const pool = own.seedPool({ region: 'eu-west-1', users: 1, devicesPerUser: 63, undatedFraction: 0 });
  const client = createSweepClient('eu-west-1', { endpoint: own.endpoint });
  const virtual = virtualTime(own);
  virtual.watch(client);
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  try {
    const result = await virtual.run(() => sweepDevices({
      userPoolIds: [pool], selection: { kind: 'all' }, clientFor: () => client, rateBudget: { ...scaledBudget(T), perUserRatePerSecond: 1_000 },
    }));

    expect(result.pools[0].devicesForgotten).toBe(63);
    expect(own.stats.perUserThrottled).toBeGreaterThan(0);
  } finally {
    jest.useRealTimers();
    client.destroy();
    await own.stop();
  }
});

test('rejects a per-user rate that is not a positive number', async () => {
  await expect(sweepDevices({ userPoolIds: ['eu-west-1_x'], selection: { kind: 'all' }, rateBudget: { perUserRatePerSecond: 0 } }))
    .rejects.toThrow(/rateBudget.perUserRatePerSecond is 0; use a positive number of requests per second/);
});
