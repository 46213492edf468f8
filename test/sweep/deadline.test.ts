/** The deadline's two steps, on an injected clock (read at each check) and on timers (fake ones here). */
import { armDeadline } from '../../src/sweep/pipeline/deadline';

describe('on an injected clock', () => {
  test('the soft stop comes at 75% of the time left, the hard stop at 95%, each once and in order', () => {
    let now = 1_000;
    const stops: Array<[boolean, number]> = [];
    const watch = armDeadline(2_000, (hard) => stops.push([hard, now]), () => now);
    for (now = 1_000; now <= 2_100; now += 10) watch.check();
    expect(stops).toEqual([[false, 1_750], [true, 1_950]]);
  });

  test('a deadline already past stops at once, both steps', () => {
    const stops: boolean[] = [];
    armDeadline(500, (hard) => stops.push(hard), () => 1_000);
    expect(stops).toEqual([false, true]);
  });

  test('disposed, it never stops', () => {
    let now = 0;
    const stops: boolean[] = [];
    const watch = armDeadline(1_000, (hard) => stops.push(hard), () => now);
    watch.dispose();
    now = 5_000;
    watch.check();
    expect(stops).toEqual([]);
  });

  test('the margins are capped: a long slice stops softly 60 s and hard 2 s before its deadline', () => {
    let now = 0;
    const stops: Array<[boolean, number]> = [];
    const watch = armDeadline(600_000, (hard) => stops.push([hard, now]), () => now);
    for (now = 0; now <= 600_000; now += 1_000) watch.check();
    expect(stops).toEqual([[false, 540_000], [true, 598_000]]);
  });
});

describe('on timers', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  test('timers fire the same two steps; dispose clears them', () => {
    const start = Date.now();
    const stops: Array<[boolean, number]> = [];
    const watch = armDeadline(start + 1_000, (hard) => stops.push([hard, Date.now() - start]));
    jest.advanceTimersByTime(2_000);
    expect(stops).toEqual([[false, 750], [true, 950]]);

    const never: boolean[] = [];
    armDeadline(Date.now() + 1_000, (hard) => never.push(hard)).dispose();
    jest.advanceTimersByTime(2_000);
    expect(never).toEqual([]);
    watch.dispose();
  });

  test('no deadline arms nothing', () => {
    const watch = armDeadline(undefined, () => {
      throw new Error('must not stop');
    });
    watch.check();
    jest.advanceTimersByTime(10_000);
    watch.dispose();
  });
});
