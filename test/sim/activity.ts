/**
 * Realistic sign-in activity on simulated pools, one day at a time: users sign in (touching the
 * device they sign in on), now and then on a new device (which they may later abandon), new users
 * sign up and some users are deleted. The same seed gives the same days on identical copies of
 * a pool, so a test can compare two ways of sweeping them.
 */
import { lastUseMs } from './ground-truth';
import { Random } from './random';
import type { CognitoSimulator } from './simulator';
import type { SimDevice } from './types';

/** How active users are: the share of users in each tier, and a tier's chance to sign in on a given day. */
const TIERS: ReadonlyArray<{ readonly share: number; readonly signInPerDay: number }> = [
  { share: 0.15, signInPerDay: 0.6 }, // daily users
  { share: 0.3, signInPerDay: 0.15 }, // weekly
  { share: 0.3, signInPerDay: 0.03 }, // monthly
  { share: 0.25, signInPerDay: 0.002 }, // dormant: their devices go stale
];

export interface ActivityOptions {
  /** Chance that a sign-in happens on a new device (a new phone, a new browser). @default 0.05 */
  readonly newDeviceRate?: number;
  /** New users per day, as a share of the pool's users. @default 0.002 */
  readonly signUpRate?: number;
  /** Users deleted per day, as a share of the pool's users. @default 0.001 */
  readonly deleteRate?: number;
}

export class SignInActivity {
  private readonly rng: Random;
  private signUps = 0;
  private newDevices = 0;

  constructor(seed: number, private readonly options: ActivityOptions = {}) {
    this.rng = new Random(seed);
  }

  /**
   * Plays the day (startMs, endMs] of `poolId` on every copy: every event gets a time inside it.
   * Decisions are drawn from the first copy's state, and applied to each copy holding the same user
   * or device (copies that diverged are the caller's finding).
   */
  day(copies: readonly CognitoSimulator[], poolId: string, startMs: number, endMs: number): void {
    const at = (): number => Math.min(endMs, startMs + 1 + Math.floor(this.rng.next() * (endMs - startMs)));
    const users = copies[0].usersOf(poolId).filter((u) => u.status !== 'UNCONFIRMED');
    for (const user of users) {
      if (!this.rng.chance(tierOf(user.username).signInPerDay)) continue;
      const when = new Date(at());
      const devices = copies[0].devicesOf(poolId, user.username);
      if (devices.length === 0 || this.rng.chance(this.options.newDeviceRate ?? 0.05)) {
        const device = newDevice(poolId, `${this.newDevices++}`, when, this.rng.chance(0.8));
        for (const sim of copies) sim.addDevice(poolId, user.username, { ...device, DeviceAttributes: [...device.DeviceAttributes] });
      } else {
        // Mostly the device used last; sometimes an older one (the old laptop, once more).
        const byUse = [...devices].sort((a, b) => lastUseOrNever(b) - lastUseOrNever(a));
        const device = this.rng.chance(0.85) ? byUse[0] : byUse[this.rng.int(0, byUse.length - 1)];
        for (const sim of copies) {
          if (sim.devicesOf(poolId, user.username).some((d) => d.DeviceKey === device.DeviceKey)) {
            sim.touchDevice(poolId, user.username, device.DeviceKey, when);
          }
        }
      }
    }
    const poolSize = users.length;
    for (let i = 0; i < this.count(poolSize * (this.options.deleteRate ?? 0.001)); i++) {
      const victim = users[this.rng.int(0, users.length - 1)];
      for (const sim of copies) tryRemove(sim, poolId, victim.username);
    }
    for (let i = 0; i < this.count(poolSize * (this.options.signUpRate ?? 0.002)); i++) {
      const created = new Date(at());
      const username = `signup-${String(this.signUps++).padStart(6, '0')}`;
      // Most sign-ups sign in at once, on a device they get to remember.
      const devices = this.rng.chance(0.7) ? [newDevice(poolId, `${this.newDevices++}`, created, true)] : [];
      for (const sim of copies) {
        sim.addUser(poolId, { username, createdAt: created, devices: devices.map((d) => ({ ...d, DeviceAttributes: [...d.DeviceAttributes] })) });
      }
    }
  }

  /** A whole number with `mean` as its expectation. */
  private count(mean: number): number {
    return Math.floor(mean) + (this.rng.chance(mean - Math.floor(mean)) ? 1 : 0);
  }
}

/** A user's tier, fixed by their name (so it survives across days and copies). */
function tierOf(username: string): (typeof TIERS)[number] {
  let hash = 7;
  for (let i = 0; i < username.length; i++) hash = (hash * 31 + username.charCodeAt(i)) % 2_147_483_647;
  let r = (hash % 10_000) / 10_000;
  for (const tier of TIERS) {
    r -= tier.share;
    if (r < 0) return tier;
  }
  return TIERS[TIERS.length - 1];
}

function newDevice(poolId: string, serial: string, when: Date, remembered: boolean): SimDevice {
  const region = poolId.slice(0, poolId.indexOf('_'));
  return {
    DeviceKey: `${region}_${Buffer.from(`activity-${serial}`).toString('hex')}`,
    DeviceAttributes: [{ Name: 'dev:device_remembered_status', Value: remembered ? 'remembered' : 'not_remembered' }],
    DeviceCreateDate: when,
    DeviceLastModifiedDate: when,
    DeviceLastAuthenticatedDate: when,
  };
}

function tryRemove(sim: CognitoSimulator, poolId: string, username: string): void {
  try {
    sim.removeUser(poolId, username);
  } catch {
    // Already deleted on an earlier day.
  }
}

/** Never-used devices sort last. */
function lastUseOrNever(d: SimDevice): number {
  return lastUseMs(d) ?? -Infinity;
}
