/**
 * The resume cursor: small (< 4 KB whatever the pool sizes), versioned JSON. Per unfinished Region
 * it records the pool being swept and the first user not fully done: for listed pools the
 * ListUsers token of that user's page and how many users of the page are done, for named users
 * their index. Regions without an entry are finished. It also carries the run's reference time
 * (so a resumed run decides staleness exactly like an uninterrupted one), the forgets so far
 * (for maxForgets) and fingerprints of the pools and selection it belongs to.
 */
import { createHash } from 'node:crypto';
import { SweepInputError } from '../errors';
import type { DeviceSelection } from '../types';

/** Cursors never exceed this many characters (CloudFormation responses and Step Functions payloads stay small). */
export const MAX_CURSOR_LENGTH = 4096;
const VERSION = 1;

/** Where one Region resumes. */
export interface RegionPosition {
  /** Index of the pool among this Region's pools (in `userPoolIds` order). */
  readonly pool: number;
  /** Listed pools: the ListUsers token of the page holding the first not-done user (absent: first page). */
  readonly token?: string;
  /** Listed pools: users of that page already done. Named users: index of the first not-done username. */
  readonly done: number;
}

/** The state a cursor carries. */
export interface CursorState {
  /** Reference time (epoch ms) for staleness, fixed when the run started. */
  readonly nowMs: number;
  /** Devices forgotten (or, in a dry run, picked) so far in the run. */
  readonly forgets: number;
  /** Unfinished Regions and where they resume. */
  readonly regions: ReadonlyMap<string, RegionPosition>;
}

/** What a cursor must match to be accepted. */
export interface CursorContext {
  readonly userPoolIds: readonly string[];
  readonly selection: DeviceSelection;
  /** Number of pools per Region. */
  readonly poolsPerRegion: ReadonlyMap<string, number>;
}

/** The wire form (short keys keep it small). */
interface WireCursor {
  v: number;
  /** nowMs */
  n: number;
  /** forgets */
  f: number;
  /** pools fingerprint */
  h: string;
  /** selection fingerprint */
  s: string;
  /** region -> position */
  r: Record<string, { p: number; t?: string; d: number }>;
}

/** Encodes `state`. A cursor that would be too long (very long tokens in many Regions) restarts the longest-token Regions at their current pool's start: safe (forgotten devices are gone, so nothing is forgotten twice), only slower. */
export function encodeCursor(state: CursorState, context: CursorContext): { cursor: string; restartedRegions: string[] } {
  const wire: WireCursor = {
    v: VERSION,
    n: state.nowMs,
    f: state.forgets,
    h: poolsFingerprint(context.userPoolIds),
    s: selectionFingerprint(context.selection),
    r: {},
  };
  for (const [region, pos] of [...state.regions].sort(([a], [b]) => a.localeCompare(b))) {
    wire.r[region] = pos.token === undefined ? { p: pos.pool, d: pos.done } : { p: pos.pool, t: pos.token, d: pos.done };
  }
  const restartedRegions: string[] = [];
  let cursor = JSON.stringify(wire);
  while (cursor.length > MAX_CURSOR_LENGTH) {
    const longest = Object.entries(wire.r).filter(([, pos]) => pos.t !== undefined).sort(([, a], [, b]) => b.t!.length - a.t!.length)[0];
    if (!longest) throw new Error(`Cannot fit the sweep cursor in ${MAX_CURSOR_LENGTH} characters (${Object.keys(wire.r).length} Regions)`);
    wire.r[longest[0]] = { p: longest[1].p, d: 0 };
    restartedRegions.push(longest[0]);
    cursor = JSON.stringify(wire);
  }
  return { cursor, restartedRegions };
}

/** Decodes and validates a cursor against the options it is resumed with; throws SweepInputError. */
export function decodeCursor(cursor: string, context: CursorContext): CursorState {
  const reject = (why: string): never => {
    throw new SweepInputError(`Invalid cursor: ${why}. Pass the cursor of a previous sweepDevices result unchanged, with the same userPoolIds and selection.`);
  };
  if (typeof cursor !== 'string') reject('it must be a string');
  if (cursor.length > MAX_CURSOR_LENGTH) reject(`it is ${cursor.length} characters long, cursors are at most ${MAX_CURSOR_LENGTH}`);
  let wire: Partial<WireCursor>;
  try {
    wire = JSON.parse(cursor) as Partial<WireCursor>;
  } catch {
    return reject('it is not JSON');
  }
  if (typeof wire !== 'object' || wire === null || Array.isArray(wire)) return reject('it is not a JSON object');
  if (wire.v !== VERSION) reject(`version ${JSON.stringify(wire.v)} is not supported (this engine reads version ${VERSION})`);
  if (!isCount(wire.n)) reject('its reference time "n" is missing or not a number');
  if (!isCount(wire.f)) reject('its forget count "f" is missing or not a count');
  if (wire.h !== poolsFingerprint(context.userPoolIds)) {
    reject('it was made for a different list of user pools (resume with the same userPoolIds, in the same order)');
  }
  if (wire.s !== selectionFingerprint(context.selection)) reject('it was made for a different selection (resume with the same selection)');
  if (typeof wire.r !== 'object' || wire.r === null || Array.isArray(wire.r)) return reject('its Region positions "r" are missing');
  const named = context.selection.kind === 'users' ? context.selection.usernames.length : undefined;
  const regions = new Map<string, RegionPosition>();
  for (const [region, pos] of Object.entries(wire.r)) {
    const pools = context.poolsPerRegion.get(region);
    if (pools === undefined) reject(`it names Region ${region}, which none of the user pools is in`);
    if (typeof pos !== 'object' || pos === null) return reject(`the position of ${region} is not an object`);
    if (!isCount(pos.p) || pos.p >= pools!) reject(`the pool index of ${region} is out of range`);
    if (!isCount(pos.d)) reject(`the done count of ${region} is not a count`);
    if (pos.t !== undefined && (typeof pos.t !== 'string' || pos.t.length === 0)) reject(`the page token of ${region} is not a string`);
    if (named !== undefined && (pos.t !== undefined || pos.d > named)) reject(`the position of ${region} does not fit the named users`);
    regions.set(region, { pool: pos.p, token: pos.t, done: pos.d });
  }
  return { nowMs: wire.n!, forgets: wire.f!, regions };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 12);
}

function poolsFingerprint(userPoolIds: readonly string[]): string {
  return fingerprint(userPoolIds);
}

function selectionFingerprint(selection: DeviceSelection): string {
  switch (selection.kind) {
    // Without a lifetime, the fingerprint of cursors made before it existed (they stay valid).
    case 'stale': return selection.maxDeviceAgeSeconds === undefined
      ? fingerprint(['stale', selection.staleAfterSeconds])
      : fingerprint(['stale', selection.staleAfterSeconds ?? null, selection.maxDeviceAgeSeconds]);
    case 'all': return fingerprint(['all']);
    case 'users': return fingerprint(['users', selection.usernames]);
  }
}
