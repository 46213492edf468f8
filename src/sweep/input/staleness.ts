/** When a device counts as stale, and which devices a selection picks. */
import type { DeviceType } from '@aws-sdk/client-cognito-identity-provider';
import type { DeviceSelection } from '../types';

const REMEMBERED_STATUS = 'dev:device_remembered_status';

/** Last use: DeviceLastAuthenticatedDate, else DeviceLastModifiedDate, else DeviceCreateDate (epoch ms). */
export function lastUseOf(device: DeviceType): number | undefined {
  const date = device.DeviceLastAuthenticatedDate ?? device.DeviceLastModifiedDate ?? device.DeviceCreateDate;
  return date === undefined ? undefined : date.getTime();
}

/** True when the device's last use is more than `staleAfterSeconds` before `nowMs`; undefined when it has no date at all. */
export function isStale(device: DeviceType, staleAfterSeconds: number, nowMs: number): boolean | undefined {
  const lastUse = lastUseOf(device);
  return lastUse === undefined ? undefined : unusedFor(lastUse, staleAfterSeconds, nowMs);
}

function unusedFor(lastUse: number, staleAfterSeconds: number, nowMs: number): boolean {
  return nowMs - lastUse > staleAfterSeconds * 1000;
}

/** What the engine decided about one device. */
export interface DeviceDecision {
  /** The selection picks it: forget it (or count it, in a dry run). */
  readonly pick: boolean;
  /** It has no date at all. */
  readonly undated: boolean;
}

/** Creation date (epoch ms), when Cognito gave one. */
export function createdAtOf(device: DeviceType): number | undefined {
  return device.DeviceCreateDate?.getTime();
}

/**
 * True when the device was created more than `maxDeviceAgeSeconds` before `nowMs` (its trust
 * lifetime is over, however recently it was used); undefined when it has no creation date.
 */
export function isPastLifetime(device: DeviceType, maxDeviceAgeSeconds: number, nowMs: number): boolean | undefined {
  const created = createdAtOf(device);
  return created === undefined ? undefined : nowMs - created > maxDeviceAgeSeconds * 1000;
}

/** Decides one device. `users` selections reach this only for the named users, so they pick every device. */
export function decideDevice(device: DeviceType, selection: DeviceSelection, nowMs: number, onlyRemembered: boolean): DeviceDecision {
  const lastUse = lastUseOf(device);
  const undated = lastUse === undefined;
  if (onlyRemembered && rememberedStatusOf(device) !== 'remembered') return { pick: false, undated };
  if (selection.kind !== 'stale') return { pick: true, undated };
  // Either rule picks: stale by last use, or past the trust lifetime by creation.
  const stale = selection.staleAfterSeconds !== undefined && !undated && unusedFor(lastUse, selection.staleAfterSeconds, nowMs);
  const expired = selection.maxDeviceAgeSeconds !== undefined && isPastLifetime(device, selection.maxDeviceAgeSeconds, nowMs) === true;
  return { pick: stale || expired, undated };
}

function rememberedStatusOf(device: DeviceType): string | undefined {
  return device.DeviceAttributes?.find((a) => a.Name === REMEMBERED_STATUS)?.Value;
}

/** True when the device is remembered (`dev:device_remembered_status = remembered`). */
export function isRemembered(device: DeviceType): boolean {
  return rememberedStatusOf(device) === 'remembered';
}

/** The `device_name` attribute, if any. */
export function deviceNameOf(device: DeviceType): string | undefined {
  return device.DeviceAttributes?.find((a) => a.Name === 'device_name')?.Value;
}
