/**
 * Shared helpers of the engine's simulator tests: a scaled budget, and the expected outcome of a
 * sweep computed straight from the simulator's data (not through the engine's code).
 */
import type { RateBudget } from '../../src/sweep';
import { isStaleAt } from '../sim';
import type { CognitoSimulator, SimDevice } from '../sim';

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
