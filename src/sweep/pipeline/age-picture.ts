/**
 * The age picture of a pool: devices by how long ago they were last used (remembered or not), and
 * users by how many devices they hold. A dry run's picture answers "what would each staleAfter
 * forget" before anything is switched on.
 */

const DAY_MS = 86_400_000;

/** Device counts per age of last use, at the run's reference time. */
export interface AgeBuckets {
  /** Last used less than 7 days ago (or in the future). */
  readonly under7Days: number;
  /** 7 days or more, less than 30. */
  readonly days7To30: number;
  /** 30 days or more, less than 90. */
  readonly days30To90: number;
  /** 90 days or more, less than 180. */
  readonly days90To180: number;
  /** 180 days or more, less than 365. */
  readonly days180To365: number;
  /** 365 days or more. */
  readonly over365Days: number;
  /** No date at all. */
  readonly undated: number;
}

/** Users per number of devices they hold once this run is through with them (in a dry run: now). */
export interface DeviceCountBuckets {
  readonly none: number;
  readonly one: number;
  readonly two: number;
  readonly threeToFive: number;
  readonly sixOrMore: number;
  /** Users whose devices were not listed (UNCONFIRMED, skipped by the next-check index, listing failed). */
  readonly notListed: number;
}

/**
 * A pool's age picture. `remembered` plus `notRemembered` add up to devicesScanned, and
 * `usersByDeviceCount` to usersScanned.
 */
export interface AgePicture {
  /** Devices with `dev:device_remembered_status = remembered`. */
  readonly remembered: AgeBuckets;
  /** Every other device (not remembered, or no status). */
  readonly notRemembered: AgeBuckets;
  readonly usersByDeviceCount: DeviceCountBuckets;
}

/** Age bucket names in display order, with the age (days) each starts at. */
export const AGE_BUCKETS = [
  { name: 'under7Days', fromDays: 0, label: '< 7 d' },
  { name: 'days7To30', fromDays: 7, label: '7-30 d' },
  { name: 'days30To90', fromDays: 30, label: '30-90 d' },
  { name: 'days90To180', fromDays: 90, label: '90-180 d' },
  { name: 'days180To365', fromDays: 180, label: '180-365 d' },
  { name: 'over365Days', fromDays: 365, label: '> 365 d' },
] as const satisfies readonly { name: keyof AgeBuckets; fromDays: number; label: string }[];

/** Every AgeBuckets name, dated ones first. */
export const AGE_BUCKET_NAMES = [...AGE_BUCKETS.map((b) => b.name), 'undated'] as const satisfies readonly (keyof AgeBuckets)[];

/** Device-count bucket names in display order, with labels. */
export const DEVICE_COUNT_BUCKETS = [
  { name: 'none', label: '0' },
  { name: 'one', label: '1' },
  { name: 'two', label: '2' },
  { name: 'threeToFive', label: '3-5' },
  { name: 'sixOrMore', label: '6+' },
  { name: 'notListed', label: 'not listed' },
] as const satisfies readonly { name: keyof DeviceCountBuckets; label: string }[];

/** Mutable while a run fills it. */
export type MutableAgePicture = {
  remembered: { -readonly [K in keyof AgeBuckets]: number };
  notRemembered: { -readonly [K in keyof AgeBuckets]: number };
  usersByDeviceCount: { -readonly [K in keyof DeviceCountBuckets]: number };
};

/** An empty picture. */
export function zeroAgePicture(): MutableAgePicture {
  const ages = (): MutableAgePicture['remembered'] => Object.fromEntries(AGE_BUCKET_NAMES.map((n) => [n, 0])) as MutableAgePicture['remembered'];
  return {
    remembered: ages(),
    notRemembered: ages(),
    usersByDeviceCount: Object.fromEntries(DEVICE_COUNT_BUCKETS.map((b) => [b.name, 0])) as MutableAgePicture['usersByDeviceCount'],
  };
}

/** Adds `b` into `a` (a missing `b`, from progress written before the picture existed, adds nothing). */
export function addAgePicture(a: MutableAgePicture, b: AgePicture | undefined): void {
  if (!b) return;
  for (const name of AGE_BUCKET_NAMES) {
    a.remembered[name] += b.remembered[name];
    a.notRemembered[name] += b.notRemembered[name];
  }
  for (const { name } of DEVICE_COUNT_BUCKETS) a.usersByDeviceCount[name] += b.usersByDeviceCount[name];
}

/** A deep copy. */
export function copyAgePicture(p: AgePicture): MutableAgePicture {
  const copy = zeroAgePicture();
  addAgePicture(copy, p);
  return copy;
}

/** The bucket of a device last used at `lastUseMs` (undefined: undated), seen at `nowMs`. */
export function ageBucketOf(lastUseMs: number | undefined, nowMs: number): keyof AgeBuckets {
  if (lastUseMs === undefined) return 'undated';
  const days = (nowMs - lastUseMs) / DAY_MS;
  let bucket: keyof AgeBuckets = 'under7Days';
  for (const b of AGE_BUCKETS) if (days >= b.fromDays) bucket = b.name;
  return bucket;
}

/** The bucket of a user holding `devices` devices. */
export function deviceCountBucketOf(devices: number): keyof DeviceCountBuckets {
  if (devices <= 0) return 'none';
  if (devices === 1) return 'one';
  if (devices === 2) return 'two';
  return devices <= 5 ? 'threeToFive' : 'sixOrMore';
}

/** Adds one device to the picture. */
export function countDevice(p: MutableAgePicture, bucket: keyof AgeBuckets, remembered: boolean): void {
  (remembered ? p.remembered : p.notRemembered)[bucket]++;
}

/** Devices in the picture (equals devicesScanned). */
export function devicesInPicture(p: AgePicture): number {
  return AGE_BUCKET_NAMES.reduce((n, name) => n + p.remembered[name] + p.notRemembered[name], 0);
}

/** Users in the picture (equals usersScanned). */
export function usersInPicture(p: AgePicture): number {
  return DEVICE_COUNT_BUCKETS.reduce((n, b) => n + p.usersByDeviceCount[b.name], 0);
}
