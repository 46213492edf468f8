/**
 * The sweep alongside the application's own traffic on the same quotas (the benchmark's scenarios,
 * smaller): whatever the load, the sweep finishes and forgets every device, counting and retrying
 * each throttle. How much it adds to the application's throttle rate and how far it yields are
 * rates: checked exactly on a fake clock in limiter-app-load.test.ts, and measured over HTTP in
 * wall time by `npm run bench` (appThrottleRateDelta, sweeperYield).
 */
import { sweepDevices } from '../../src/sweep';
import { AppLoad, CognitoSimulator } from '../sim';
import { scaledBudget } from './fixture';
import { GrantLog } from './grant-log';

const T = 5;

test.each([0.4, 0.9])('with the app at %p of each quota, the sweep forgets every device and retries every throttle', async (appShare) => {
  const sim = await CognitoSimulator.start({ timeScale: T, latencyMs: { min: 30, max: 70 }, seed: 12 });
  const app = AppLoad.start(sim, { region: 'eu-west-1', share: appShare, seed: 12 });
  try {
    const pool = sim.seedPool({ region: 'eu-west-1', users: 30 * T, devicesPerUser: { min: 1, max: 5 }, maxAgeDays: 0 });
    const devices = sim.allDevices(pool).length;
    const log = new GrantLog();
    const result = await sweepDevices({ userPoolIds: [pool], selection: { kind: 'all' }, endpoint: sim.endpoint, rateBudget: scaledBudget(T), onGrant: log.record });

    expect(result.done).toBe(true);
    expect(result.pools[0]).toMatchObject({ usersScanned: 30 * T, devicesForgotten: devices, errors: 0 });
    expect(sim.allDevices(pool)).toHaveLength(0);
    // Every throttle the simulator answered the sweeper was counted, and retried: one grant per attempt.
    const ops = sim.stats.operations;
    expect(result.throttled).toBe(ops.ListUsers.throttled + ops.AdminListDevices.throttled + ops.AdminForgetDevice.throttled);
    expect(log.of('UserResourceUpdate').grants).toBe(devices + ops.AdminForgetDevice.throttled);
    expect(log.of('UserResourceUpdate').peak).toBeLessThanOrEqual(Math.floor(result.ratesPerSecond.UserResourceUpdate));
  } finally {
    app.stop();
    await sim.stop();
  }
});
