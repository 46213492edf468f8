/**
 * One pool's use of the next-check index during a sweep: which listed users are due, and the
 * batched writes of the entries of users just swept. Entries are read and written under the pool's
 * canonical key (pool-key.ts); a pool named by an ARN also reads the key earlier versions wrote.
 */
import { indexKeyOf, legacyIndexKeyOf } from './pool-key';
import type { NextCheckEntry, NextCheckIndex } from './store';
import { isUsableEntry, MAX_GET_BATCH, MAX_PUT_BATCH } from './store';
import { onAbort } from '../calls/abort-fanout';
import type { SweepLogger } from '../types';

/**
 * Device dates come from Cognito's clock, the reference time from ours: the bound written for a
 * sweep is taken this much before the reference time, so a clock ahead of Cognito's cannot make
 * a device created just after the sweep look older than its bound.
 */
export const CLOCK_SKEW_MARGIN_MS = 5 * 60_000;
/** A batch of entries waits at most this long for more entries before it is written. */
const FLUSH_DELAY_MS = 100;

interface Pending {
  readonly entry: NextCheckEntry;
  readonly stored: () => void;
}

export class PoolIndex {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private warnedRead = false;
  private warnedWrite = false;
  private readonly unsubscribe: () => void;
  /** Where entries are read and written, whatever form named the pool. */
  private readonly key: string;
  /** Where the previous version wrote them (a pool named by ARN), read when the key has none. */
  private readonly legacyKey: string | undefined;
  /** Entries found under the legacy key only, copied to the key once known not due. */
  private readonly legacyEntries = new WeakSet<NextCheckEntry>();

  constructor(
    private readonly index: NextCheckIndex,
    /** The pool as the run names it (id or ARN); logs use it. */
    private readonly userPoolId: string,
    /** The staleness age (undefined: no staleness rule). */
    private readonly staleAfterMs: number | undefined,
    /** The trust lifetime (undefined: no lifetime rule). */
    private readonly maxDeviceAgeMs: number | undefined,
    /** The run's reference time (epoch ms). */
    private readonly nowMs: number,
    /** When the sweep stops, entries waiting for a batch are written at once. */
    signal: AbortSignal,
    private readonly logger?: SweepLogger,
  ) {
    this.unsubscribe = onAbort(signal, () => this.flushAll());
    this.key = indexKeyOf(userPoolId);
    this.legacyKey = legacyIndexKeyOf(userPoolId);
  }

  /** The usable entries of these users; none at all when the index cannot be read (they are swept in full). */
  async lookup(usernames: readonly string[]): Promise<ReadonlyMap<string, NextCheckEntry>> {
    const found = new Map<string, NextCheckEntry>();
    for (let i = 0; i < usernames.length; i += MAX_GET_BATCH) {
      try {
        const batch = usernames.slice(i, i + MAX_GET_BATCH);
        const entries = await this.index.get(this.key, batch);
        for (const [username, entry] of entries) if (isUsableEntry(entry, this.nowMs)) found.set(username, entry);
        // Entries written by the previous version under the ARN as given: still true bounds.
        const missing = this.legacyKey === undefined ? [] : batch.filter((username) => !entries.has(username));
        if (missing.length > 0) {
          for (const [username, entry] of await this.index.get(this.legacyKey!, missing)) {
            if (!isUsableEntry(entry, this.nowMs)) continue;
            found.set(username, entry);
            this.legacyEntries.add(entry);
          }
        }
      } catch (error) {
        if (!this.warnedRead) {
          this.logger?.warn('The next-check index could not be read; those users are swept in full', {
            userPoolId: this.userPoolId, error: describe(error),
          });
        }
        this.warnedRead = true;
      }
    }
    return found;
  }

  /**
   * Whether the user must be listed: their oldest possible last use (the entry's bound, or the
   * user's creation, since every device is younger than its user; the later of both) is stale, or
   * their oldest possible device creation (likewise) is past the lifetime. The same comparisons as
   * staleness.ts: more than the age before the reference time.
   */
  isDue(entry: NextCheckEntry | undefined, userCreatedMs: number | undefined): boolean {
    const due = this.dueBy(entry, userCreatedMs);
    // Migration: a legacy entry of a user not swept now is copied to the key, so that naming the
    // pool another way later still finds it (a user swept now gets a fresh entry there anyway).
    if (!due && entry !== undefined && this.legacyEntries.delete(entry)) this.enqueue(entry, () => undefined);
    return due;
  }

  private dueBy(entry: NextCheckEntry | undefined, userCreatedMs: number | undefined): boolean {
    const created = userCreatedMs !== undefined && Number.isFinite(userCreatedMs) && userCreatedMs <= this.nowMs ? userCreatedMs : -Infinity;
    const storedCreate = entry?.oldestCreateMs !== undefined && Number.isFinite(entry.oldestCreateMs) && entry.oldestCreateMs <= this.nowMs
      ? entry.oldestCreateMs : -Infinity;
    return this.olderThan(Math.max(entry?.oldestUseMs ?? -Infinity, created), this.staleAfterMs)
      || this.olderThan(Math.max(storedCreate, created), this.maxDeviceAgeMs);
  }

  /** An unknown bound (-Infinity) is always due; a rule that is off never is. */
  private olderThan(bound: number, ageMs: number | undefined): boolean {
    if (ageMs === undefined) return false;
    return !(bound > -Infinity) || this.nowMs - bound > ageMs;
  }

  /**
   * Stores the entry of a user just swept, whose remaining dated devices' oldest last use is
   * `oldestRemainingUseMs` and oldest creation `oldestRemainingCreateMs` (Infinity: none). Both
   * bounds are written whatever the rules of this run, so a lifetime set later finds them. Resolves
   * once stored, or once storing failed (the older entry then stays: it is still a true bound, so
   * the user is only swept again, sooner).
   */
  record(username: string, oldestRemainingUseMs: number, oldestRemainingCreateMs: number): Promise<void> {
    const sweptAt = this.nowMs - CLOCK_SKEW_MARGIN_MS;
    const entry: NextCheckEntry = {
      username,
      oldestUseMs: Math.min(oldestRemainingUseMs, sweptAt),
      oldestCreateMs: Math.min(oldestRemainingCreateMs, sweptAt),
    };
    return new Promise<void>((stored) => this.enqueue(entry, stored));
  }

  private enqueue(entry: NextCheckEntry, stored: () => void): void {
    this.pending.push({ entry, stored });
    if (this.pending.length >= MAX_PUT_BATCH) this.flush();
    else this.timer ??= setTimeout(() => this.flushAll(), FLUSH_DELAY_MS);
  }

  /** The pool is done: every user in flight has finished, so every entry is stored. */
  close(): void {
    this.unsubscribe();
    this.flushAll();
  }

  private flushAll(): void {
    while (this.pending.length > 0) this.flush();
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending.splice(0, MAX_PUT_BATCH);
    if (this.pending.length > 0) this.timer = setTimeout(() => this.flushAll(), FLUSH_DELAY_MS);
    this.index.put(this.key, batch.map((p) => p.entry)).catch((error: unknown) => {
      if (!this.warnedWrite) {
        this.logger?.warn('Next-check entries could not be stored; those users will be swept again', {
          userPoolId: this.userPoolId, error: describe(error),
        });
      }
      this.warnedWrite = true;
    }).finally(() => {
      for (const p of batch) p.stored();
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
