import { SliceInputError } from '../../src/workflow/contract';
import { parseSliceEvent } from '../../src/workflow/runtime/slice-event';

const ALLOWED = ['eu-west-1_AAA', 'us-east-1_BBB'];
const CONFIG = {
  userPoolIds: ['eu-west-1_AAA'],
  selection: { kind: 'stale', staleAfterSeconds: 86_400 },
  dryRun: false,
};
const REPORT = {
  userPoolId: 'eu-west-1_AAA',
  usersScanned: 3,
  devicesScanned: 5,
  devicesStale: 2,
  devicesForgotten: 2,
  devicesAlreadyGone: 0,
  devicesUndated: 1,
  errors: 0,
  usersSkippedByIndex: 0,
};
const PROGRESS = {
  done: false,
  cursor: '{"v":1}',
  capped: false,
  totals: [REPORT],
  slices: 2,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:28:00.000Z',
};

function refused(event: unknown): string {
  try {
    parseSliceEvent(event, ALLOWED);
  } catch (error) {
    expect(error).toBeInstanceOf(SliceInputError);
    expect((error as Error).name).toBe('SliceInputError');
    return (error as Error).message;
  }
  throw new Error('the event was accepted');
}

describe('parseSliceEvent', () => {
  test('accepts the first slice of a run (progress null, as the state machine sends it)', () => {
    expect(parseSliceEvent({ config: CONFIG, progress: null }, ALLOWED)).toEqual({ config: CONFIG, progress: undefined });
  });

  test('accepts a later slice and every optional field', () => {
    const config = {
      ...CONFIG,
      userPoolIds: ALLOWED,
      maxForgets: 10,
      rateBudget: { fraction: 0.25 },
      excludeUsernames: ['admin'],
      onlyRemembered: true,
      followAccountUsage: true,
    };
    const progress = { ...PROGRESS, totals: [REPORT, { ...REPORT, userPoolId: 'us-east-1_BBB' }] };
    expect(parseSliceEvent({ config, progress }, ALLOWED)).toEqual({ config, progress });
  });

  test('reads progress written before usersSkippedByIndex existed as 0 skipped', () => {
    const { usersSkippedByIndex, ...older } = REPORT;
    const parsed = parseSliceEvent({ config: CONFIG, progress: { ...PROGRESS, totals: [older] } }, ALLOWED);
    expect(parsed.progress?.totals).toEqual([{ ...older, usersSkippedByIndex: 0 }]);
    expect(usersSkippedByIndex).toBe(0);
  });

  test('accepts a trust lifetime alone or beside staleAfter', () => {
    const lifetime = { kind: 'stale', maxDeviceAgeSeconds: 90 * 86_400 };
    expect(parseSliceEvent({ config: { ...CONFIG, selection: lifetime } }, ALLOWED).config.selection).toEqual(lifetime);
    const both = { kind: 'stale', staleAfterSeconds: 86_400, maxDeviceAgeSeconds: 90 * 86_400 };
    expect(parseSliceEvent({ config: { ...CONFIG, selection: both } }, ALLOWED).config.selection).toEqual(both);
  });

  test('accepts the other selections', () => {
    expect(parseSliceEvent({ config: { ...CONFIG, selection: { kind: 'all' } } }, ALLOWED).config.selection).toEqual({ kind: 'all' });
    expect(parseSliceEvent({ config: { ...CONFIG, selection: { kind: 'users', usernames: ['u1'] } } }, ALLOWED).config.selection)
      .toEqual({ kind: 'users', usernames: ['u1'] });
  });

  test('refuses a pool outside the allow-list, naming it and the allowed ones', () => {
    const message = refused({ config: { ...CONFIG, userPoolIds: ['eu-west-1_AAA', 'eu-west-1_EVIL'] } });
    expect(message).toContain("'eu-west-1_EVIL'");
    expect(message).toContain("allowed: 'eu-west-1_AAA', 'us-east-1_BBB'");
  });

  test.each([
    ['a non-object event', 'hello', /the event must be a JSON object/],
    ['a missing config', {}, /config .* must be a JSON object/],
    ['an empty pool list', { config: { ...CONFIG, userPoolIds: [] } }, /config.userPoolIds is empty/],
    ['a pool id that is not a string', { config: { ...CONFIG, userPoolIds: [42] } }, /config.userPoolIds must be an array of non-empty strings/],
    ['a missing dryRun', { config: { ...CONFIG, dryRun: undefined } }, /config.dryRun must be true or false/],
    ['an unknown selection', { config: { ...CONFIG, selection: { kind: 'old' } } }, /config.selection.kind is "old"; use 'stale'/],
    ['a zero staleness', { config: { ...CONFIG, selection: { kind: 'stale', staleAfterSeconds: 0 } } }, /config.selection.staleAfterSeconds is 0 seconds; use at least one day/],
    ['a stale selection with neither rule', { config: { ...CONFIG, selection: { kind: 'stale' } } },
      /give config.selection.staleAfterSeconds, config.selection.maxDeviceAgeSeconds or both/],
    ['a lifetime under a day', { config: { ...CONFIG, selection: { kind: 'stale', maxDeviceAgeSeconds: 3600 } } },
      /config.selection.maxDeviceAgeSeconds is 3600 seconds; use at least one day/],
    ['an empty user list', { config: { ...CONFIG, selection: { kind: 'users', usernames: [] } } }, /usernames is empty/],
    ['a fractional cap', { config: { ...CONFIG, maxForgets: 1.5 } }, /config.maxForgets is 1.5; use a whole number/],
    ['a budget above 1', { config: { ...CONFIG, rateBudget: { fraction: 2 } } }, /config.rateBudget.fraction is 2; use a fraction in \(0, 1\]/],
    ['a non-boolean onlyRemembered', { config: { ...CONFIG, onlyRemembered: 'yes' } }, /config.onlyRemembered must be true or false/],
    ['a non-boolean followAccountUsage', { config: { ...CONFIG, followAccountUsage: 1 } }, /config.followAccountUsage must be true or false/],
    ['a finished progress', { config: CONFIG, progress: { ...PROGRESS, done: true } }, /a finished run has no next slice/],
    ['a progress without cursor', { config: CONFIG, progress: { ...PROGRESS, cursor: undefined } }, /progress.cursor must be the non-empty cursor/],
    ['a progress without totals', { config: CONFIG, progress: { ...PROGRESS, totals: {} } }, /progress.totals must be the array/],
    ['totals of a foreign pool', { config: CONFIG, progress: { ...PROGRESS, totals: [{ ...REPORT, userPoolId: 'us-east-1_BBB' }] } },
      /progress.totals\[0\].userPoolId must be one of config.userPoolIds/],
    ['a negative counter', { config: CONFIG, progress: { ...PROGRESS, totals: [{ ...REPORT, errors: -1 }] } },
      /progress.totals\[0\].errors must be a non-negative integer/],
    ['a bad date', { config: CONFIG, progress: { ...PROGRESS, startedAt: 'yesterday' } }, /progress.startedAt must be an ISO 8601 date/],
  ])('refuses %s', (_name, event, message) => {
    expect(refused(event)).toMatch(message);
  });
});

describe('the age picture, the run and the pools\' progress in the event', () => {
  const ages = {
    remembered: { under7Days: 1, days7To30: 0, days30To90: 0, days90To180: 0, days180To365: 0, over365Days: 2, undated: 1 },
    notRemembered: { under7Days: 0, days7To30: 1, days30To90: 0, days90To180: 0, days180To365: 0, over365Days: 0, undated: 0 },
    usersByDeviceCount: { none: 0, one: 1, two: 0, threeToFive: 1, sixOrMore: 0, notListed: 1 },
  };

  test('are carried through as given', () => {
    const progress = { ...PROGRESS, totals: [{ ...REPORT, ages }], sweepSeconds: 12.5, pools: [{ userPoolId: 'eu-west-1_AAA', usersDone: 3, estimatedUsers: 10 }] };
    const parsed = parseSliceEvent({ config: CONFIG, progress, run: { executionName: 'nightly-2026-01-01' } }, ALLOWED);
    expect(parsed.progress?.totals[0].ages).toEqual(ages);
    expect(parsed.progress?.pools).toEqual([{ userPoolId: 'eu-west-1_AAA', usersDone: 3, estimatedUsers: 10 }]);
    expect(parsed.progress?.sweepSeconds).toBe(12.5);
    expect(parsed.run).toEqual({ executionName: 'nightly-2026-01-01' });
  });

  test('a bad bucket, pool or execution name is refused with its path', () => {
    const badAges = { ...ages, notRemembered: { ...ages.notRemembered, undated: -1 } };
    expect(refused({ config: CONFIG, progress: { ...PROGRESS, totals: [{ ...REPORT, ages: badAges }] } }))
      .toBe('progress.totals[0].ages.notRemembered.undated must be a non-negative integer.');
    expect(refused({ config: CONFIG, progress: { ...PROGRESS, pools: [{ userPoolId: 'us-east-1_BBB', usersDone: 1 }] } }))
      .toBe('progress.pools[0].userPoolId must be one of config.userPoolIds.');
    expect(refused({ config: CONFIG, run: { executionName: 'a/b' } })).toMatch(/^run.executionName must be/);
  });
});
