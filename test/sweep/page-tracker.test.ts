import { PageTracker, UserOutcome } from '../../src/sweep/pipeline/page-tracker';
import { addCounters, Counters, zeroCounters } from '../../src/sweep/pipeline/report';
import type { UserPage } from '../../src/sweep/pipeline/user-pages';

function page(token: string | undefined, size: number, next: string | undefined, first = 0): UserPage {
  return {
    users: Array.from({ length: size }, (_, i) => ({ username: `u${i}` })),
    first,
    positionOf: (index) => (token === undefined ? { done: index } : { token, done: index }),
    after: next === undefined ? undefined : { token: next, done: 0 },
  };
}

function outcome(finished: boolean, scanned: number, forgotten: number): UserOutcome {
  const full: Counters = { ...zeroCounters(), usersScanned: 1, devicesScanned: scanned, devicesForgotten: forgotten };
  const lasting: Counters = { ...zeroCounters(), devicesScanned: forgotten, devicesForgotten: forgotten };
  return { finished, full, lasting };
}

describe('PageTracker', () => {
  let committed: Counters;
  let commits: number;
  let pagesDone: number;
  let tracker: PageTracker;

  beforeEach(() => {
    committed = zeroCounters();
    commits = 0;
    pagesDone = 0;
    tracker = new PageTracker(
      { done: 0 },
      (c) => addCounters(committed, c),
      () => commits++,
      () => pagesDone++,
    );
  });

  test('commits users in page order even when they finish out of order', () => {
    const p1 = tracker.open(page(undefined, 3, 'T2'));
    tracker.complete(p1, 2, outcome(true, 5, 1));
    tracker.complete(p1, 1, outcome(true, 5, 1));
    expect(commits).toBe(0);
    expect(tracker.position()).toEqual({ done: 0 });
    tracker.complete(p1, 0, outcome(true, 5, 1));
    expect(commits).toBe(3);
    expect(committed.devicesScanned).toBe(15);
    expect(pagesDone).toBe(1);
    expect(tracker.position()).toEqual({ token: 'T2', done: 0 });
  });

  test('an interrupted user holds the cursor; users after it count only what lasts', () => {
    const p1 = tracker.open(page(undefined, 2, 'T2'));
    tracker.complete(p1, 0, outcome(true, 4, 2));
    tracker.complete(p1, 1, outcome(true, 4, 2));
    const p2 = tracker.open(page('T2', 4, 'T3'));
    tracker.complete(p2, 0, outcome(true, 3, 1));
    tracker.complete(p2, 1, outcome(false, 3, 1));
    tracker.complete(p2, 2, outcome(true, 3, 2));
    expect(tracker.position()).toEqual({ token: 'T2', done: 1 });
    tracker.settle('lasting');
    // Full counts of the 3 committed users, lasting counts (forgets) of the 2 beyond the cursor.
    expect(committed).toMatchObject({ usersScanned: 3, devicesScanned: 4 + 4 + 3 + 1 + 2, devicesForgotten: 2 + 2 + 1 + 1 + 2 });
  });

  test('the whole pool is done after its last page; empty pages with a token do not end it', () => {
    const p1 = tracker.open(page(undefined, 0, 'T2'));
    expect(tracker.position()).toEqual({ token: 'T2', done: 0 });
    const p2 = tracker.open(page('T2', 1, undefined));
    expect(p1).not.toBe(p2);
    tracker.complete(p2, 0, outcome(true, 1, 0));
    expect(tracker.position()).toBeUndefined();
  });

  test('a resumed page counts users before `first` as done', () => {
    const p = tracker.open(page('T7', 3, 'T8', 2));
    expect(tracker.position()).toEqual({ token: 'T7', done: 2 });
    tracker.complete(p, 2, outcome(true, 1, 0));
    expect(tracker.position()).toEqual({ token: 'T8', done: 0 });
    expect(commits).toBe(1);
  });
});
