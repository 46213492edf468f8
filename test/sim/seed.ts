/**
 * Builds seeded pools: users with a chosen status mix and devices with a chosen spread of
 * last-use ages and date-field shapes, all from one seeded random stream.
 */
import { Random } from './random';
import { DeviceRecord, flat, PoolRecord, UserRecord } from './store';
import type { Range, SeedPoolOptions } from './types';

const DAY_MS = 86_400_000;
const DEVICE_NAMES = ['iPhone', 'iPad', 'Pixel 8', 'Galaxy S24', 'Chrome on Windows', 'Firefox on Linux', 'Safari on macOS', 'Edge on Windows'];

/** A pool id as Cognito makes them: `${region}_` plus 9 alphanumerics. */
export function generatePoolId(region: string, rng: Random): string {
  return `${region}_${rng.alnum(9)}`;
}

/** Throws a clear error for options that cannot describe a pool. */
function validate(options: SeedPoolOptions, poolId: string): void {
  if (!/^[\w-]+$/.test(options.region)) {
    throw new Error(`seedPool: region '${options.region}' is not a region name like 'eu-west-1'`);
  }
  if (!poolId.startsWith(`${options.region}_`) || !/^[\w-]+_[0-9a-zA-Z]+$/.test(poolId) || poolId.length > 55) {
    throw new Error(`seedPool: poolId '${poolId}' must look like '${options.region}_AbC123xyz' (region, '_', alphanumerics)`);
  }
  if (!Number.isInteger(options.users) || options.users < 0) {
    throw new Error(`seedPool: users must be a non-negative integer, got ${options.users}`);
  }
  const fractions = {
    undatedFraction: options.undatedFraction,
    createDateOnlyFraction: options.createDateOnlyFraction,
    noAuthenticatedDateFraction: options.noAuthenticatedDateFraction,
    notRememberedFraction: options.notRememberedFraction,
    disabledFraction: options.disabledFraction,
  };
  for (const [name, value] of Object.entries(fractions)) {
    if (value !== undefined && !(value >= 0 && value <= 1)) throw new Error(`seedPool: ${name} must be in [0, 1], got ${value}`);
  }
  const range = toRange(options.devicesPerUser ?? { min: 0, max: 3 });
  if (!Number.isInteger(range.min) || !Number.isInteger(range.max) || range.min < 0 || range.max < range.min) {
    throw new Error(`seedPool: devicesPerUser must be a non-negative integer or {min,max} with min <= max, got ${JSON.stringify(options.devicesPerUser)}`);
  }
  if (options.maxAgeDays !== undefined && !(options.maxAgeDays >= 0)) {
    throw new Error(`seedPool: maxAgeDays must be >= 0, got ${options.maxAgeDays}`);
  }
}

function toRange(r: number | Range): Range {
  return typeof r === 'number' ? { min: r, max: r } : r;
}

/** Creates a pool record with `options.users` users (usernames `user-000000`, `user-000001`, ...). */
export function seedPool(options: SeedPoolOptions, poolId: string, poolName: string, rng: Random): PoolRecord {
  validate(options, poolId);
  const nowMs = (options.now ?? new Date()).getTime();
  const maxAgeMs = (options.maxAgeDays ?? 365) * DAY_MS;
  const devicesPerUser = toRange(options.devicesPerUser ?? { min: 0, max: 3 });
  const statusWeights = Object.entries(options.statusMix ?? { CONFIRMED: 1 })
    .filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] > 0);
  if (statusWeights.length === 0) throw new Error('seedPool: statusMix needs at least one status with a positive share');

  const undated = options.undatedFraction ?? 0.02;
  const createOnly = options.createDateOnlyFraction ?? 0.01;
  const noAuth = options.noAuthenticatedDateFraction ?? 0.05;
  const notRemembered = options.notRememberedFraction ?? 0.2;
  const disabled = options.disabledFraction ?? 0;
  const width = Math.max(6, String(Math.max(0, options.users - 1)).length);

  const newDevice = (): DeviceRecord => {
    const lastUseMs = Math.round(nowMs - rng.next() * maxAgeMs);
    // The date the engine reads as "last use" is the newest present field, so the age spread
    // applies whichever shape the device has.
    const createdMs = lastUseMs - Math.round(rng.next() * 90 * DAY_MS);
    const d: DeviceRecord = {
      key: rng.uuid(`${options.region}_`),
      createdMs: NaN,
      modifiedMs: NaN,
      authenticatedMs: NaN,
      status: 'valid',
      name: DEVICE_NAMES[rng.int(0, DEVICE_NAMES.length - 1)],
      ip: flat(`10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`),
      remembered: rng.chance(notRemembered) ? 'not_remembered' : 'remembered',
      others: undefined,
      deleted: false,
    };
    const shape = rng.next();
    if (shape < undated) {
      // no dates at all
    } else if (shape < undated + createOnly) {
      d.createdMs = lastUseMs;
    } else if (shape < undated + createOnly + noAuth) {
      d.createdMs = createdMs;
      d.modifiedMs = lastUseMs;
    } else {
      d.createdMs = createdMs;
      d.modifiedMs = createdMs + Math.round(rng.next() * (lastUseMs - createdMs));
      d.authenticatedMs = lastUseMs;
    }
    return d;
  };

  const pool: PoolRecord = {
    id: poolId,
    name: poolName,
    region: options.region,
    createdMs: nowMs - 2 * maxAgeMs - DAY_MS,
    users: new Array<UserRecord>(options.users),
    byUsername: new Map(),
  };
  for (let i = 0; i < options.users; i++) {
    const username = flat(`user-${String(i).padStart(width, '0')}`);
    const status = statusWeights.length === 1 ? statusWeights[0][0] : rng.weighted(statusWeights);
    const deviceCount = status === 'UNCONFIRMED' ? 0 : rng.int(devicesPerUser.min, devicesPerUser.max);
    const devices = new Array<DeviceRecord>(deviceCount);
    for (let k = 0; k < deviceCount; k++) devices[k] = newDevice();
    const createdMs = Math.round(nowMs - 2 * maxAgeMs - rng.next() * DAY_MS);
    const user: UserRecord = {
      username,
      sub: rng.uuid(),
      status,
      enabled: !rng.chance(disabled),
      createdMs,
      modifiedMs: createdMs,
      email: flat(`${username}@example.com`),
      others: undefined,
      devices,
      deleted: false,
    };
    pool.users[i] = user;
    pool.byUsername.set(username, user);
  }
  return pool;
}
