import { MAX_CURSOR_LENGTH, SweepInputError } from '../../src/sweep';
import { CursorContext, CursorState, decodeCursor, encodeCursor } from '../../src/sweep/input/cursor';
import { planSweep } from '../../src/sweep/input/validate';

const context: CursorContext = {
  userPoolIds: ['eu-west-1_a', 'eu-west-1_b', 'us-east-1_c'],
  selection: { kind: 'stale', staleAfterSeconds: 86_400 },
  poolsPerRegion: new Map([['eu-west-1', 2], ['us-east-1', 1]]),
};

const state: CursorState = {
  nowMs: 1_780_000_000_123,
  forgets: 42,
  regions: new Map([
    ['eu-west-1', { pool: 1, token: 'eyJ2IjoxLCJpIjo2MH0=', done: 17 }],
    ['us-east-1', { pool: 0, done: 0 }],
  ]),
};

describe('cursor', () => {
  test('round-trips the reference time, forget count and Region positions', () => {
    const { cursor, restartedRegions } = encodeCursor(state, context);
    expect(restartedRegions).toEqual([]);
    expect(JSON.parse(cursor).v).toBe(1);
    expect(decodeCursor(cursor, context)).toEqual({
      nowMs: state.nowMs,
      forgets: 42,
      regions: new Map([
        ['eu-west-1', { pool: 1, token: 'eyJ2IjoxLCJpIjo2MH0=', done: 17 }],
        ['us-east-1', { pool: 0, token: undefined, done: 0 }],
      ]),
    });
  });

  test('stays small whatever the pool size', () => {
    expect(encodeCursor(state, context).cursor.length).toBeLessThan(400);
  });

  test('restarts the longest-token Regions at their pool start rather than exceed the size limit', () => {
    const long: CursorState = {
      ...state,
      regions: new Map([
        ['eu-west-1', { pool: 1, token: 'x'.repeat(3000), done: 5 }],
        ['us-east-1', { pool: 0, token: 'y'.repeat(2000), done: 3 }],
      ]),
    };
    const { cursor, restartedRegions } = encodeCursor(long, context);
    expect(cursor.length).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
    expect(restartedRegions).toEqual(['eu-west-1']);
    const decoded = decodeCursor(cursor, context);
    expect(decoded.regions.get('eu-west-1')).toEqual({ pool: 1, token: undefined, done: 0 });
    expect(decoded.regions.get('us-east-1')).toEqual({ pool: 0, token: 'y'.repeat(2000), done: 3 });
  });

  const good = (): Record<string, unknown> => JSON.parse(encodeCursor(state, context).cursor);
  const tamper = (change: (wire: Record<string, unknown>) => void): string => {
    const wire = good();
    change(wire);
    return JSON.stringify(wire);
  };

  test.each<[string, string, RegExp]>([
    ['not JSON', 'abc{', /not JSON/],
    ['a JSON array', '[1]', /not a JSON object/],
    ['another version', tamper((w) => { w.v = 2; }), /version 2 is not supported/],
    ['no reference time', tamper((w) => { delete w.n; }), /reference time/],
    ['a negative forget count', tamper((w) => { w.f = -1; }), /forget count/],
    ['other pools', tamper((w) => { w.h = 'AAAAAAAAAAAA'; }), /different list of user pools/],
    ['another selection', tamper((w) => { w.s = 'AAAAAAAAAAAA'; }), /different selection/],
    ['an unknown Region', tamper((w) => { (w.r as Record<string, unknown>)['ap-south-1'] = { p: 0, d: 0 }; }), /Region ap-south-1/],
    ['a pool index out of range', tamper((w) => { (w.r as Record<string, unknown>)['us-east-1'] = { p: 1, d: 0 }; }), /pool index of us-east-1/],
    ['a fractional done count', tamper((w) => { (w.r as Record<string, unknown>)['us-east-1'] = { p: 0, d: 1.5 }; }), /done count/],
    ['an empty token', tamper((w) => { (w.r as Record<string, unknown>)['us-east-1'] = { p: 0, t: '', d: 0 }; }), /page token/],
    ['too long', ' '.repeat(MAX_CURSOR_LENGTH + 1), /at most 4096/],
  ])('rejects %s with a clear SweepInputError', (_, cursor, message) => {
    expect(() => decodeCursor(cursor, context)).toThrow(SweepInputError);
    expect(() => decodeCursor(cursor, context)).toThrow(message);
  });

  test('rejects a cursor of the same pools in another order', () => {
    const reordered: CursorContext = { ...context, userPoolIds: ['eu-west-1_b', 'eu-west-1_a', 'us-east-1_c'] };
    expect(() => decodeCursor(encodeCursor(state, context).cursor, reordered)).toThrow(/different list of user pools/);
  });

  test('rejects a users-selection cursor with a page token or an index past the names', () => {
    const users: CursorContext = { ...context, selection: { kind: 'users', usernames: ['a', 'b'] } };
    const withToken = encodeCursor(state, users).cursor;
    expect(() => decodeCursor(withToken, users)).toThrow(/does not fit the named users/);
    const pastEnd = encodeCursor({ ...state, regions: new Map([['us-east-1', { pool: 0, done: 3 }]]) }, users).cursor;
    expect(() => decodeCursor(pastEnd, users)).toThrow(/does not fit the named users/);
  });

  test('counts positions of a users selection in distinct names, as the sweep visits them', () => {
    const options = { userPoolIds: ['us-east-1_c'], selection: { kind: 'users' as const, usernames: ['a', 'b', 'a'] } };
    const { cursorContext } = planSweep(options);
    const atEnd = encodeCursor({ ...state, regions: new Map([['us-east-1', { pool: 0, done: 2 }]]) }, cursorContext).cursor;
    const pastEnd = encodeCursor({ ...state, regions: new Map([['us-east-1', { pool: 0, done: 3 }]]) }, cursorContext).cursor;

    expect(() => planSweep({ ...options, cursor: atEnd })).not.toThrow();
    // Three names were given but only two are distinct: position 3 lies past the last user.
    expect(() => planSweep({ ...options, cursor: pastEnd })).toThrow(/does not fit the named users/);
  });
});
