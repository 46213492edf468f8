/**
 * The simulator's state: pools, users, devices, kept compact (100,000 users with a few devices
 * each must fit comfortably) and shaped for O(page) paging.
 *
 * Users and devices are never removed from their arrays: deleting marks a tombstone, so a
 * pagination token (an array index) stays valid while items before or at it disappear, and
 * deleting user k never makes a listing skip user k+1.
 */
import type { SimDevice, SimUser } from './types';

/** A Cognito attribute (Name/Value). */
export interface Attribute {
  Name: string;
  Value: string;
}

export const REMEMBERED_STATUS = 'dev:device_remembered_status';

/** One device. Dates are epoch milliseconds, NaN when Cognito would omit the field. */
export interface DeviceRecord {
  readonly key: string;
  createdMs: number;
  modifiedMs: number;
  authenticatedMs: number;
  /** `device_status`, `device_name`, `last_ip_used`, `dev:device_remembered_status` (absent: undefined). */
  status: string | undefined;
  name: string | undefined;
  ip: string | undefined;
  remembered: string | undefined;
  /** Any other attributes given through addUser. */
  others: Attribute[] | undefined;
  deleted: boolean;
}

/** One user. */
export interface UserRecord {
  readonly username: string;
  readonly sub: string;
  status: string;
  enabled: boolean;
  readonly createdMs: number;
  modifiedMs: number;
  email: string | undefined;
  /** Attributes other than sub and email. */
  others: Attribute[] | undefined;
  readonly devices: DeviceRecord[];
  deleted: boolean;
}

/** One user pool. */
export interface PoolRecord {
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly createdMs: number;
  readonly users: UserRecord[];
  readonly byUsername: Map<string, UserRecord>;
}

export const ACCOUNT_ID = '123456789012';

/**
 * A copy of an ASCII string in one flat piece. Template literals and `+` build cons-strings
 * (a tree of pieces) that cost several times the characters; long-lived strings should be flat.
 */
export function flat(s: string): string {
  const codes = new Array<number>(s.length);
  for (let i = 0; i < s.length; i++) codes[i] = s.charCodeAt(i);
  return String.fromCharCode(...codes);
}

/** `eu-west-1_AbC123` -> `eu-west-1`; undefined when the id has no region prefix. */
export function regionOfPoolId(poolId: string): string | undefined {
  const i = poolId.indexOf('_');
  return i > 0 ? poolId.slice(0, i) : undefined;
}

/** Seconds since the epoch, as the JSON 1.1 protocol sends timestamps; undefined for NaN. */
export function epochSeconds(ms: number): number | undefined {
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

/** The DeviceAttributes list of a device, in Cognito's usual order. */
export function deviceAttributes(d: DeviceRecord): Attribute[] {
  const out: Attribute[] = [];
  if (d.status !== undefined) out.push({ Name: 'device_status', Value: d.status });
  if (d.name !== undefined) out.push({ Name: 'device_name', Value: d.name });
  if (d.ip !== undefined) out.push({ Name: 'last_ip_used', Value: d.ip });
  if (d.remembered !== undefined) out.push({ Name: REMEMBERED_STATUS, Value: d.remembered });
  if (d.others) out.push(...d.others);
  return out;
}

/** A device as the JSON wire format carries it (dates as epoch seconds, absent fields omitted). */
export function deviceToWire(d: DeviceRecord): Record<string, unknown> {
  return {
    DeviceKey: d.key,
    DeviceAttributes: deviceAttributes(d),
    DeviceCreateDate: epochSeconds(d.createdMs),
    DeviceLastModifiedDate: epochSeconds(d.modifiedMs),
    DeviceLastAuthenticatedDate: epochSeconds(d.authenticatedMs),
  };
}

/** A device as the SDK hands it to callers (Dates), for assertions. */
export function deviceToSim(d: DeviceRecord): SimDevice {
  const out: SimDevice = { DeviceKey: d.key, DeviceAttributes: deviceAttributes(d) };
  if (!Number.isNaN(d.createdMs)) out.DeviceCreateDate = new Date(d.createdMs);
  if (!Number.isNaN(d.modifiedMs)) out.DeviceLastModifiedDate = new Date(d.modifiedMs);
  if (!Number.isNaN(d.authenticatedMs)) out.DeviceLastAuthenticatedDate = new Date(d.authenticatedMs);
  return out;
}

/** Builds a record from a SimDevice (addUser), splitting the well-known attributes into fields. */
export function deviceFromSim(d: SimDevice): DeviceRecord {
  const rec: DeviceRecord = {
    key: d.DeviceKey,
    createdMs: d.DeviceCreateDate ? d.DeviceCreateDate.getTime() : NaN,
    modifiedMs: d.DeviceLastModifiedDate ? d.DeviceLastModifiedDate.getTime() : NaN,
    authenticatedMs: d.DeviceLastAuthenticatedDate ? d.DeviceLastAuthenticatedDate.getTime() : NaN,
    status: undefined,
    name: undefined,
    ip: undefined,
    remembered: undefined,
    others: undefined,
    deleted: false,
  };
  for (const a of d.DeviceAttributes) {
    switch (a.Name) {
      case 'device_status': rec.status = a.Value; break;
      case 'device_name': rec.name = a.Value; break;
      case 'last_ip_used': rec.ip = a.Value; break;
      case REMEMBERED_STATUS: rec.remembered = a.Value; break;
      default: (rec.others ??= []).push({ Name: a.Name, Value: a.Value });
    }
  }
  return rec;
}

/** All attributes of a user (sub first, as Cognito does). */
export function userAttributes(u: UserRecord): Attribute[] {
  const out: Attribute[] = [{ Name: 'sub', Value: u.sub }];
  if (u.email !== undefined) out.push({ Name: 'email', Value: u.email });
  if (u.others) out.push(...u.others);
  return out;
}

/** The value ListUsers' Filter compares for `attribute` (undefined: the user has no such attribute). */
export function filterValue(u: UserRecord, attribute: string): string | undefined {
  switch (attribute) {
    case 'username': return u.username;
    case 'sub': return u.sub;
    case 'email': return u.email;
    case 'cognito:user_status': return u.status;
    case 'status': return u.enabled ? 'Enabled' : 'Disabled';
    default: return u.others?.find((a) => a.Name === attribute)?.Value;
  }
}

/** A user as the wire format carries it (UserType). */
export function userToWire(u: UserRecord, attributesToGet: readonly string[] | undefined): Record<string, unknown> {
  const all = userAttributes(u);
  return {
    Username: u.username,
    Attributes: attributesToGet ? all.filter((a) => attributesToGet.includes(a.Name)) : all,
    UserCreateDate: u.createdMs / 1000,
    UserLastModifiedDate: u.modifiedMs / 1000,
    Enabled: u.enabled,
    UserStatus: u.status,
  };
}

/** A user as the simulator reports it (for assertions). */
export function userToSim(u: UserRecord): SimUser {
  return {
    username: u.username,
    status: u.status,
    enabled: u.enabled,
    sub: u.sub,
    attributes: userAttributes(u),
    deviceCount: liveDevices(u).length,
  };
}

/** The devices of a user that still exist. */
export function liveDevices(u: UserRecord): DeviceRecord[] {
  return u.devices.filter((d) => !d.deleted);
}

/** Marks a user deleted (its devices go with it). */
export function deleteUser(pool: PoolRecord, u: UserRecord): void {
  if (u.deleted) return;
  u.deleted = true;
  pool.byUsername.delete(u.username);
}
