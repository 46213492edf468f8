/**
 * What the design says a device's last use is, computed from the simulator's data and not through
 * the engine's code: the tests', demo's and benchmark's ground truth for staleness.
 */
import type { SimDevice } from './types';

/** Last use: authenticated, else modified, else created (epoch ms); undefined for an undated device. */
export function lastUseMs(device: SimDevice): number | undefined {
  const date = device.DeviceLastAuthenticatedDate ?? device.DeviceLastModifiedDate ?? device.DeviceCreateDate;
  return date?.getTime();
}

/** Stale per the design: a last use more than `staleAfterSeconds` before `nowMs` (never for an undated device). */
export function isStaleAt(device: SimDevice, nowMs: number, staleAfterSeconds: number): boolean {
  const last = lastUseMs(device);
  return last !== undefined && nowMs - last > staleAfterSeconds * 1000;
}
