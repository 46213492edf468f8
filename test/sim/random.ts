/* eslint-disable no-bitwise */ // a PRNG and a hash are bit arithmetic by nature
/**
 * Seeded randomness for the simulator: every pool, fault and latency draw is reproducible from
 * `SimulatorOptions.seed`, so a failing test or a benchmark run can be replayed exactly.
 */

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

/** Mixes a seed with a stream name so independent streams (faults, latency, pool N) never share draws. */
export function deriveSeed(seed: number, stream: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < stream.length; i++) {
    h = Math.imul(h ^ stream.charCodeAt(i), 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
  }
  return h;
}

/** A small, fast PRNG (mulberry32): good enough for test data, not for cryptography. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p` (never draws when p <= 0, so disabled faults cost nothing). */
  chance(p: number | undefined): boolean {
    return p !== undefined && p > 0 && this.next() < p;
  }

  /** `n` characters of [A-Za-z0-9]. */
  alnum(n: number): string {
    const codes = new Array<number>(n);
    for (let i = 0; i < n; i++) codes[i] = ALNUM.charCodeAt(Math.floor(this.next() * ALNUM.length));
    return String.fromCharCode(...codes);
  }

  /** `prefix` followed by a version-4-shaped UUID (lowercase hex). */
  uuid(prefix = ''): string {
    // Built from char codes in one go: `+=` in a loop leaves a chain of cons-strings that costs
    // hundreds of bytes per id, and the simulator holds hundreds of thousands of them.
    const codes = new Array<number>(prefix.length + 36);
    let at = 0;
    for (; at < prefix.length; at++) codes[at] = prefix.charCodeAt(at);
    for (let i = 0; i < 32; i++) {
      let d = Math.floor(this.next() * 16);
      if (i === 12) d = 4;
      if (i === 16) d = 8 | (d & 3);
      codes[at++] = HEX.charCodeAt(d);
      if (i === 7 || i === 11 || i === 15 || i === 19) codes[at++] = 45; // '-'
    }
    return String.fromCharCode(...codes);
  }

  /** Picks a key of `weights` with probability proportional to its weight. */
  weighted(weights: ReadonlyArray<readonly [string, number]>): string {
    const total = weights.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [key, w] of weights) {
      r -= w;
      if (r < 0) return key;
    }
    return weights[weights.length - 1][0];
  }
}
