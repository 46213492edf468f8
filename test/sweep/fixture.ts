/**
 * Shared helpers of the engine's simulator tests: a scaled budget, and the expected outcome of a
 * sweep computed straight from the simulator's data (not through the engine's code).
 */
import type { RateBudget, SweepOptions } from '../../src/sweep';
import type { AgePicture } from '../../src/sweep/pipeline/age-picture';
import { isStaleAt, lastUseMs } from '../sim';
import type { CognitoSimulator, SimDevice, SimUser } from '../sim';

export { lastUseMs } from '../sim';

// The engine's own clients use the default credential chain; the simulator accepts any keys.
process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';
delete process.env.AWS_PROFILE;

export const DAY_SECONDS = 86_400;

/** Quotas (and the per-user limit) scaled like the simulator's, so ratios stay those of Cognito. */
export function scaledBudget(timeScale: number, fraction = 0.5): RateBudget {
  return {
    fraction,
    baseQuotas: { UserList: 30 * timeScale, UserResourceRead: 50 * timeScale, UserResourceUpdate: 25 * timeScale },
    perUserRatePerSecond: 10 * timeScale,
  };
}

/**
 * The options of a staleness sweep of `poolIds` on `sim` at time `now`, with the budget scaled to
 * the simulator's `timeScale`; `extra` adds or overrides.
 */
export function staleSweepOptions(
  sim: CognitoSimulator, poolIds: string[], at: { now: Date; timeScale: number; staleAfterSeconds: number }, extra: Partial<SweepOptions> = {},
): SweepOptions {
  return {
    userPoolIds: poolIds,
    selection: { kind: 'stale', staleAfterSeconds: at.staleAfterSeconds },
    endpoint: sim.endpoint,
    rateBudget: scaledBudget(at.timeScale),
    now: () => at.now.getTime(),
    ...extra,
  };
}

/** Unscaled budget of each category at `fraction` (what sim.peakRate reports against). */
export function unscaledBudget(fraction = 0.5): { UserList: number; UserResourceRead: number; UserResourceUpdate: number } {
  return { UserList: 30 * fraction, UserResourceRead: 50 * fraction, UserResourceUpdate: 25 * fraction };
}

/** A device with its owner. */
export interface OwnedDevice {
  readonly username: string;
  readonly device: SimDevice;
}

/** Keys of the live devices of a pool. */
export function deviceKeys(sim: CognitoSimulator, poolId: string): Set<string> {
  return new Set(sim.allDevices(poolId).map((d) => d.device.DeviceKey));
}

/** Keys of the devices (of a snapshot) that `pick` selects. */
export function keysWhere(devices: readonly OwnedDevice[], pick: (d: OwnedDevice) => boolean): Set<string> {
  return new Set(devices.filter(pick).map((d) => d.device.DeviceKey));
}

/** Stale per the design: a last use more than `staleAfterSeconds` before `nowMs`. */
export function staleAt(nowMs: number, staleAfterSeconds: number): (d: OwnedDevice) => boolean {
  return (d) => isStaleAt(d.device, nowMs, staleAfterSeconds);
}

export function isRemembered(d: OwnedDevice): boolean {
  return d.device.DeviceAttributes.some((a) => a.Name === 'dev:device_remembered_status' && a.Value === 'remembered');
}

/** Keys in `before` that are not in `after`. */
export function removed(before: ReadonlySet<string>, after: ReadonlySet<string>): Set<string> {
  return new Set([...before].filter((k) => !after.has(k)));
}

/** Sorted array, for readable set comparisons. */
export function sorted(keys: Iterable<string>): string[] {
  return [...keys].sort();
}

/**
 * The age picture a sweep should report, computed from the simulator's data alone: `devices` as
 * they were before the run, `usersAfter` as they are after it (device counts are what users hold
 * once the run is through with them). UNCONFIRMED users are never listed.
 */
export function expectedAgePicture(devices: readonly OwnedDevice[], usersAfter: readonly SimUser[], nowMs: number): AgePicture {
  const buckets = () => ({ under7Days: 0, days7To30: 0, days30To90: 0, days90To180: 0, days180To365: 0, over365Days: 0, undated: 0 });
  const picture = {
    remembered: buckets(),
    notRemembered: buckets(),
    usersByDeviceCount: { none: 0, one: 0, two: 0, threeToFive: 0, sixOrMore: 0, notListed: 0 },
  };
  for (const d of devices) {
    const last = lastUseMs(d.device);
    const days = last === undefined ? undefined : (nowMs - last) / (DAY_SECONDS * 1000);
    const bucket = days === undefined ? 'undated'
      : days >= 365 ? 'over365Days' : days >= 180 ? 'days180To365' : days >= 90 ? 'days90To180'
        : days >= 30 ? 'days30To90' : days >= 7 ? 'days7To30' : 'under7Days';
    (isRemembered(d) ? picture.remembered : picture.notRemembered)[bucket]++;
  }
  for (const user of usersAfter) {
    const n = user.deviceCount;
    const bucket = user.status === 'UNCONFIRMED' ? 'notListed'
      : n === 0 ? 'none' : n === 1 ? 'one' : n === 2 ? 'two' : n <= 5 ? 'threeToFive' : 'sixOrMore';
    picture.usersByDeviceCount[bucket]++;
  }
  return picture;
}
