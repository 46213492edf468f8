/**
 * ArrivalWindow: a granted call counts until 1 s after the earlier of its answer and its grant
 * plus the guard, and every grant that may still count is counted (not only the last `limit`).
 */
import { ArrivalWindow } from '../../src/sweep/rate/arrival-window';
import { Random } from '../sim/random';
import { maxInWindow } from '../sim/stats';

test('without answers it is a window of 1 s + guard', () => {
  const w = new ArrivalWindow(3, 0);
  for (const t of [0, 10, 20]) {
    expect(w.waitMs(t)).toBe(0);
    w.record(t);
  }
  expect(w.waitMs(30)).toBe(970);
  expect(w.waitMs(1000)).toBe(0);
  w.record(1000);
  expect(w.waitMs(1000)).toBe(10);

  const guarded = new ArrivalWindow(1, 50);
  guarded.record(0);
  expect(guarded.waitMs(30)).toBe(1020);
});

test('an answer inside the guard ends the count 1 s after the answer; a later one changes nothing', () => {
  const w = new ArrivalWindow(1, 50, 50);
  const a = w.record(0);
  w.answered(a, 5);
  expect(w.waitMs(30)).toBe(975);
  w.answered(a, 3);
  expect(w.waitMs(30)).toBe(973);
  // Answered twice: the earliest answer is the bound.
  w.answered(a, 40);
  expect(w.waitMs(30)).toBe(973);

  const slow = new ArrivalWindow(1, 50, 50);
  slow.answered(slow.record(0), 80);
  expect(slow.waitMs(30)).toBe(1020);
});

test('an older unanswered grant still counts after later answered ones stopped counting', () => {
  const w = new ArrivalWindow(2, 100, 100);
  w.record(0); // never answered: counts until 1100
  w.answered(w.record(10), 11); // until 1011
  w.answered(w.record(20), 21); // until 1021
  expect(w.waitMs(1030)).toBe(0);
  w.record(1030);
  // The grant of 0 and the one of 1030 count: a window that kept only the last `limit` grants would
  // see 20 and 1030, find 20 gone, and let a third call arrive within 1 s of the first.
  expect(w.waitMs(1040)).toBe(60);
  expect(w.waitMs(1100)).toBe(0);
});

test('a larger guard counts grants again that a smaller one let go, up to its maximum', () => {
  const w = new ArrivalWindow(1, 10, 200);
  w.record(0);
  expect(w.waitMs(1020)).toBe(0);
  w.resize(200);
  expect(w.waitMs(1020)).toBe(180);
  expect(() => w.resize(201)).toThrow(/within \[0, 200\]/);
});

test('answers for forgotten or unknown grants are ignored', () => {
  const w = new ArrivalWindow(1, 0, 0);
  const first = w.record(0);
  expect(w.waitMs(5_000)).toBe(0);
  for (let t = 5_000; t < 5_000 + 200 * 1_001; t += 1_001) {
    expect(w.waitMs(t)).toBe(0);
    w.record(t);
  }
  expect(() => w.answered(first, 1)).not.toThrow();
  expect(() => w.answered(10_000_000, 1)).not.toThrow();
  expect(w.waitMs(5_000 + 200 * 1_001)).toBe(0);
});

test.each([0, 1.5])('rejects a limit of %p', (limit) => {
  expect(() => new ArrivalWindow(limit, 10)).toThrow(/limit of at least 1/);
});

test('rejects a guard above its maximum', () => {
  expect(() => new ArrivalWindow(1, 20, 10)).toThrow(/guardMs <= maxGuardMs/);
});

test('a call sent late (a stall after its grant) counts from its send, not its grant', () => {
  const w = new ArrivalWindow(1, 15, 15);
  const late = w.record(0);
  w.sent(late, 50);
  w.answered(late, 80);
  // min(answer 80, sent 50 + guard 15) + 1 s; from the grant it would have been 15 + 1 s.
  expect(w.waitMs(100)).toBe(965);
  // Sent earlier than told before: the later send stands (a call leaves once).
  w.sent(late, 20);
  expect(w.waitMs(100)).toBe(965);
});

/**
 * Greedy callers on a simulated clock: each grant's call is sent after a delay (now and then a
 * stall longer than the guard), arrives after an outbound leg of up to `guardMs`, and is answered
 * after a server time and an answer leg (some never are). Whatever the delays, no second of
 * arrivals holds more than `limit`; answers let more through than the guard alone; and a window
 * not told of the sends lets a second overfill (the control).
 */
describe.each([1, 2, 3])('random sends, legs and answers (seed %p)', (seed) => {
  const LIMIT = 20;
  const GUARD_MS = 30;
  function run(tell: { sends: boolean; answers: boolean }): { arrivals: number[]; grants: number } {
    const random = new Random(seed);
    const w = new ArrivalWindow(LIMIT, GUARD_MS, GUARD_MS);
    const arrivals: number[] = [];
    let events: Array<{ at: number; tell: () => void }> = [];
    let now = 0;
    while (now < 30_000) {
      for (const e of events.filter((x) => x.at <= now)) e.tell();
      events = events.filter((x) => x.at > now);
      if (w.waitMs(now) > 0) {
        now += 1;
        continue;
      }
      const id = w.record(now);
      const sentAt = now + (random.next() < 0.1 ? 40 + random.next() * 80 : random.next() * 3);
      const arrival = sentAt + random.next() * GUARD_MS;
      arrivals.push(arrival);
      if (tell.sends) events.push({ at: sentAt, tell: () => w.sent(id, sentAt) });
      const answeredAt = arrival + 2 + random.next() * 30;
      if (tell.answers && random.next() < 0.9) events.push({ at: answeredAt, tell: () => w.answered(id, answeredAt) });
    }
    return { arrivals: arrivals.sort((a, b) => a - b), grants: arrivals.length };
  }

  test('no second of arrivals exceeds the limit, and answers raise the throughput', () => {
    const told = run({ sends: true, answers: true });
    const sendsOnly = run({ sends: true, answers: false });
    expect(maxInWindow(told.arrivals, 1_000)).toBeLessThanOrEqual(LIMIT);
    expect(maxInWindow(sendsOnly.arrivals, 1_000)).toBeLessThanOrEqual(LIMIT);
    expect(told.grants).toBeGreaterThan(sendsOnly.grants);
  });

  test('control: counting from the grant, stalls before the send overfill a second', () => {
    const untold = run({ sends: false, answers: false });
    expect(maxInWindow(untold.arrivals, 1_000)).toBeGreaterThan(LIMIT);
  });
});
