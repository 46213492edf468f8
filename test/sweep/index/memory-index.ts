/** A NextCheckIndex in memory for engine tests, which records what the engine asked of it. */
import type { NextCheckEntry, NextCheckIndex } from '../../../src/sweep/next-check/store';

export class MemoryIndex implements NextCheckIndex {
  readonly entries = new Map<string, NextCheckEntry>();
  readonly gets: string[][] = [];
  readonly puts: NextCheckEntry[][] = [];
  /** Set to make every call reject (a broken store). */
  failing: 'get' | 'put' | 'both' | undefined;

  async get(userPoolId: string, usernames: readonly string[]): Promise<ReadonlyMap<string, NextCheckEntry>> {
    this.gets.push([...usernames]);
    if (this.failing === 'get' || this.failing === 'both') throw new Error('index unavailable');
    const found = new Map<string, NextCheckEntry>();
    for (const username of usernames) {
      const entry = this.entries.get(`${userPoolId}/${username}`);
      if (entry) found.set(username, entry);
    }
    return found;
  }

  async put(userPoolId: string, entries: readonly NextCheckEntry[]): Promise<void> {
    this.puts.push([...entries]);
    if (this.failing === 'put' || this.failing === 'both') throw new Error('index unavailable');
    for (const entry of entries) this.entries.set(`${userPoolId}/${entry.username}`, entry);
  }

  /** The stored bound of one user (undefined: no entry). */
  boundOf(userPoolId: string, username: string): number | undefined {
    return this.entries.get(`${userPoolId}/${username}`)?.oldestUseMs;
  }
}
