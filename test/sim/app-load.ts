/**
 * The application's own traffic, drawing on the simulator's quota buckets: sign-ins that confirm
 * and update devices (ConfirmDevice / UpdateDeviceStatus: UserResourceUpdate), profile reads
 * (AdminGetUser-like: UserResourceRead) and user searches (UserList), each at a chosen share of
 * its quota, as Poisson arrivals. Calls are admitted or throttled in-process (the application
 * runs elsewhere; only its share of the buckets matters), and counted apart from the sweeper's.
 */
import { deriveSeed, Random } from './random';
import type { CognitoSimulator } from './simulator';
import type { Category } from './types';

export interface AppLoadOptions {
  /** The Region whose buckets the application draws on. */
  readonly region: string;
  /** Share of each loaded category's quota the application sends, in (0, 1] (or above, to overload). */
  readonly share: number;
  /** The categories the application uses. @default UserList, UserResourceRead, UserResourceUpdate */
  readonly categories?: readonly Category[];
  /** Seed of the arrival times. @default 1 */
  readonly seed?: number;
  /**
   * Send the arrivals due every 5 ms of real time. Off, nothing is sent until `sendDue()` is called:
   * with the simulator on a manual clock, a test decides when each call happens. @default true
   */
  readonly autoSend?: boolean;
}

/** The application's calls of one category. */
export interface AppCallStats {
  calls: number;
  throttled: number;
}

/** How often arrivals due are sent (wall ms): late ticks send their arrivals at once, as a loaded app would. */
const TICK_MS = 5;

export class AppLoad {
  /** Starts sending; stop it with `stop()`. */
  static start(sim: CognitoSimulator, options: AppLoadOptions): AppLoad {
    if (!(options.share > 0 && Number.isFinite(options.share))) throw new Error(`AppLoad: share must be a positive number, got ${options.share}`);
    return new AppLoad(sim, options);
  }

  /** Calls and throttles per category. */
  readonly stats: Partial<Record<Category, AppCallStats>> = {};
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly streams: { category: Category; perMs: number; nextAt: number; stats: AppCallStats }[];
  private readonly rng: Random;

  private constructor(private readonly sim: CognitoSimulator, private readonly options: AppLoadOptions) {
    this.rng = new Random(deriveSeed(options.seed ?? 1, 'app-load'));
    const now = sim.clock();
    this.streams = (options.categories ?? ['UserList', 'UserResourceRead', 'UserResourceUpdate']).map((category) => {
      const stats = (this.stats[category] = { calls: 0, throttled: 0 });
      const perMs = (options.share * sim.quotas[category] * sim.timeScale) / 1000;
      return { category, perMs, nextAt: now + this.gap(perMs), stats };
    });
    this.timer = options.autoSend === false ? undefined : setInterval(() => this.sendDue(), TICK_MS);
  }

  /** Throttled share of the application's calls (all categories). */
  get throttleRate(): number {
    let calls = 0;
    let throttled = 0;
    for (const s of Object.values(this.stats)) {
      calls += s.calls;
      throttled += s.throttled;
    }
    return calls === 0 ? 0 : throttled / calls;
  }

  /** Zeroes the counters (the arrivals go on). */
  resetStats(): void {
    for (const s of Object.values(this.stats)) {
      s.calls = 0;
      s.throttled = 0;
    }
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  /** Sends every arrival due by the simulator's clock (late ones at once, as a loaded application would). */
  sendDue(): void {
    const now = this.sim.clock();
    for (const stream of this.streams) {
      while (stream.nextAt <= now) {
        stream.stats.calls++;
        if (!this.sim.admitExternalCall(this.options.region, stream.category)) stream.stats.throttled++;
        stream.nextAt += this.gap(stream.perMs);
      }
    }
  }

  /** Exponential inter-arrival time (ms) of a Poisson stream of `perMs` calls per ms. */
  private gap(perMs: number): number {
    return -Math.log(1 - this.rng.next()) / perMs;
  }
}
