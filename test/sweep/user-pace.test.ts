/**
 * Cognito's per-user limit, checked where the engine decides it: one user's pace on a fake clock
 * (jest's fake timers drive its timers and its `now`). Exact on any machine.
 */
import { UserPace } from '../../src/sweep/rate/user-pace';
import { maxInWindow } from '../sim/stats';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

/** One user's calls for `ms` of fake time: each waits for the pace, starts, and takes `callMs` (0: answered at once). */
async function paced(rate: number, ms: number, callMs: number | ((i: number) => number)): Promise<number[]> {
  const pace = new UserPace(rate, () => Date.now());
  const signal = new AbortController().signal;
  const start = Date.now();
  const starts: number[] = [];
  let stopped = false;
  const user = async (): Promise<void> => {
    for (let i = 0; !stopped; i++) {
      await pace.ready(signal);
      if (stopped) return;
      pace.record();
      starts.push(Date.now() - start);
      const took = typeof callMs === 'number' ? callMs : callMs(i);
      if (took > 0) await new Promise((resolve) => setTimeout(resolve, took));
      else await Promise.resolve();
    }
  };
  const running = user();
  await jest.advanceTimersByTimeAsync(ms);
  stopped = true;
  await jest.advanceTimersByTimeAsync(10_000);
  await running;
  return starts;
}

describe.each([10, 7.5, 2.5])('a user paced at %p calls/s', (rate) => {
  test('never starts more than floor(rate) calls in any second, and calls are spaced by 1/rate', async () => {
    const starts = await paced(rate, 30_000, 0);
    expect(maxInWindow(starts, 1_000)).toBeLessThanOrEqual(Math.floor(rate));
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(Math.floor(1000 / rate));
  });

  test('reaches the rate: 30 s of demand start rate x 30 calls, to within the window guard', async () => {
    const starts = await paced(rate, 30_000, 0);
    expect(starts.length).toBeLessThanOrEqual(Math.ceil(rate * 30) + 1);
    expect(starts.length).toBeGreaterThanOrEqual(Math.floor((Math.floor(rate) * 30) / 1.1));
  });

  test('calls of uneven length (a late answer, then quick ones) never catch up above the rate', async () => {
    // Every fifth call takes 700 ms, the others 1 ms: after a slow call the pace must not let a burst through.
    const starts = await paced(rate, 30_000, (i) => (i % 5 === 4 ? 700 : 1));
    expect(maxInWindow(starts, 1_000)).toBeLessThanOrEqual(Math.floor(rate));
  });
});

test('an aborted wait returns at once', async () => {
  const pace = new UserPace(1, () => Date.now());
  pace.record();
  const controller = new AbortController();
  let returned = false;
  const waiting = pace.ready(controller.signal).then(() => (returned = true));
  await jest.advanceTimersByTimeAsync(10);
  expect(returned).toBe(false);
  controller.abort();
  await jest.advanceTimersByTimeAsync(0);
  await waiting;
  expect(returned).toBe(true);
});
