/**
 * The next-check index in a local JSON file (the CLI's `--state FILE`): incremental runs from a
 * laptop with no AWS resource. Loaded whole at the start, saved whole (temp file + rename, so a
 * crash leaves the old file or the new one, never half of one) at the end.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { NextCheckEntry, NextCheckIndex } from '../store';

/** The `format` field: a JSON file that is not a state file is refused, not overwritten. */
export const STATE_FILE_FORMAT = 'cognito-device-sweep-state';
export const STATE_FILE_VERSION = 1;

/** The file on disk. */
interface StateFile {
  format: typeof STATE_FILE_FORMAT;
  version: number;
  /**
   * pool id -> username -> bounds (epoch ms): `[lastUse, creation]`, or the last-use bound alone
   * (files written before the creation bound existed; an older program drops pairs, which only
   * means a full sweep of those users).
   */
  pools: Record<string, Record<string, StoredBounds>>;
}

type StoredBounds = number | [number, number];

/** The state file cannot be used: unreadable, not JSON, not a state file, or of another version. */
export class StateFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateFileError';
  }
}

export class StateFileIndex implements NextCheckIndex {
  /** Reads `path` (absent: an empty index, written on save). Throws StateFileError for anything else unusable. */
  static load(path: string): StateFileIndex {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new StateFileIndex(path, new Map());
      throw new StateFileError(`cannot read the state file ${path}: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new StateFileError(`the state file ${path} is not valid JSON (delete it to start over with a full sweep)`);
    }
    const file = parsed as Partial<StateFile> | null;
    if (typeof file !== 'object' || file === null || file.format !== STATE_FILE_FORMAT) {
      throw new StateFileError(`${path} is not a ${STATE_FILE_FORMAT} file (refusing to overwrite it)`);
    }
    if (file.version !== STATE_FILE_VERSION) {
      throw new StateFileError(`the state file ${path} has version ${String(file.version)}; this program reads version ${STATE_FILE_VERSION}`);
    }
    if (typeof file.pools !== 'object' || file.pools === null || Array.isArray(file.pools)) {
      throw new StateFileError(`the state file ${path} has no pools object (delete it to start over with a full sweep)`);
    }
    const pools = new Map<string, Map<string, StoredBounds>>();
    for (const [poolId, users] of Object.entries(file.pools)) {
      if (typeof users !== 'object' || users === null || Array.isArray(users)) continue;
      // Entries that are not bounds are dropped: their users are swept in full.
      pools.set(poolId, new Map(Object.entries(users).filter((e): e is [string, StoredBounds] => isBounds(e[1]))));
    }
    return new StateFileIndex(path, pools);
  }

  private dirty = false;

  private constructor(readonly path: string, private readonly pools: Map<string, Map<string, StoredBounds>>) {}

  async get(userPoolId: string, usernames: readonly string[]): Promise<ReadonlyMap<string, NextCheckEntry>> {
    const users = this.pools.get(userPoolId);
    const found = new Map<string, NextCheckEntry>();
    if (!users) return found;
    for (const username of usernames) {
      const bounds = users.get(username);
      if (typeof bounds === 'number') found.set(username, { username, oldestUseMs: bounds });
      else if (bounds !== undefined) found.set(username, { username, oldestUseMs: bounds[0], oldestCreateMs: bounds[1] });
    }
    return found;
  }

  async put(userPoolId: string, entries: readonly NextCheckEntry[]): Promise<void> {
    let users = this.pools.get(userPoolId);
    if (!users) this.pools.set(userPoolId, (users = new Map()));
    for (const entry of entries) {
      users.set(entry.username, entry.oldestCreateMs === undefined ? entry.oldestUseMs : [entry.oldestUseMs, entry.oldestCreateMs]);
    }
    this.dirty = true;
  }

  /** Writes the file if anything changed: a temp file beside it, then a rename. Usernames may be personal data: owner-only. */
  save(): void {
    if (!this.dirty) return;
    const file: StateFile = { format: STATE_FILE_FORMAT, version: STATE_FILE_VERSION, pools: {} };
    for (const [poolId, users] of this.pools) file.pools[poolId] = Object.fromEntries(users);
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(file), { mode: 0o600 });
    renameSync(temp, this.path);
    this.dirty = false;
  }
}

function isBounds(value: unknown): value is StoredBounds {
  if (typeof value === 'number') return Number.isFinite(value);
  return Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' && Number.isFinite(v));
}
