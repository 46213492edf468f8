/**
 * The next-check index: per (pool, user), a lower bound on the last use of every device the user
 * has or will have. A device's last use only moves forward and a device created after a sweep is
 * fresh, so after sweeping a user at time s, no device of theirs can be older than
 * `min(oldest remaining dated last use, s)`: none can turn stale before that bound + staleAfter.
 * Users not yet due skip AdminListDevices. The same holds for the trust lifetime (maxDeviceAge)
 * with creation dates, which never move at all: the entry also bounds the oldest creation date.
 * The index stores the bounds, not bound + staleAfter, so an entry stays right when staleAfter or
 * maxDeviceAge changes; it only ever saves calls, it never changes what
 * is forgotten (a missing, unreadable or failed entry means a full sweep of that user).
 */

/** One user's entry. */
export interface NextCheckEntry {
  readonly username: string;
  /** Epoch ms: no device of the user has (or will have) a last use before this. */
  readonly oldestUseMs: number;
  /**
   * Epoch ms: no device of the user was (or will be) created before this. Absent in entries
   * written before the trust lifetime existed: the user's own creation is the only bound then.
   */
  readonly oldestCreateMs?: number;
}

/** Where entries live (a DynamoDB table, a local state file, a test's map). */
export interface NextCheckIndex {
  /**
   * The entries of these users of `userPoolId` (at most 100 at once). `userPoolId` is the pool's
   * index key (pool-key.ts): its bare id, or the ARN earlier versions filed a pool named by ARN under. Users without an entry, or
   * whose stored entry belongs to another pool or cannot be read, are absent from the result.
   * A rejection means "no entries": the users are swept in full.
   */
  get(userPoolId: string, usernames: readonly string[]): Promise<ReadonlyMap<string, NextCheckEntry>>;
  /**
   * Stores entries of `userPoolId` (at most 25 at once), replacing older ones. Resolves once
   * every entry is stored; a rejection leaves the older entries, which remain true bounds.
   */
  put(userPoolId: string, entries: readonly NextCheckEntry[]): Promise<void>;
}

/** Most keys one `get` asks for (BatchGetItem's limit; a ListUsers page holds at most 60). */
export const MAX_GET_BATCH = 100;
/** Most entries one `put` stores (BatchWriteItem's limit). */
export const MAX_PUT_BATCH = 25;

/** An entry as read from a store is usable only if its bound is a real time not after the run's reference time. */
export function isUsableEntry(entry: NextCheckEntry | undefined, nowMs: number): entry is NextCheckEntry {
  return entry !== undefined && Number.isFinite(entry.oldestUseMs) && entry.oldestUseMs <= nowMs;
}
