import { anySignal } from '../../src/sweep/calls/any-signal';
import { FirstCallGate } from '../../src/sweep/calls/first-call-gate';
import { SweepStoppedError } from '../../src/sweep/errors';
import { ForgetCap } from '../../src/sweep/pipeline/forget-cap';
import { prefetch } from '../../src/sweep/pipeline/prefetch';
import { WaitingQueue } from '../../src/sweep/rate/waiting-queue';
import { sleep } from '../util/sleep';

describe('WaitingQueue', () => {
  test('serves the lowest priority first, first come first served within a priority', () => {
    const q = new WaitingQueue<string>();
    q.push('c5', 5);
    q.push('a1', 1);
    q.push('b5', 5);
    q.push('d0', 0);
    q.push('e1', 1);
    expect([q.shift(), q.shift(), q.shift(), q.shift(), q.shift(), q.shift()]).toEqual(['d0', 'a1', 'e1', 'c5', 'b5', undefined]);
  });

  test('keeps order over many items', () => {
    const q = new WaitingQueue<number>();
    const priorities = Array.from({ length: 500 }, (_, i) => (i * 7919) % 101);
    priorities.forEach((p, i) => q.push(i, p));
    const out: number[] = [];
    while (q.length > 0) out.push(q.shift()!);
    const expected = priorities.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i).map((x) => x.i);
    expect(out).toEqual(expected);
  });
});

describe('ForgetCap', () => {
  test('a reservation waits while the last slots are held, and gets one back when a forget does not happen', async () => {
    const cap = new ForgetCap(3, 1);
    expect(await cap.reserve()).toBe(true);
    expect(await cap.reserve()).toBe(true);
    let third: boolean | undefined;
    void cap.reserve().then((r) => { third = r; });
    await Promise.resolve();
    expect(third).toBeUndefined();
    cap.release();
    await new Promise((r) => setImmediate(r));
    expect(third).toBe(true);
    expect(cap.reached).toBe(false);
  });

  test('is reached when every slot holds a forget that happened', async () => {
    const cap = new ForgetCap(2, 0);
    await cap.reserve();
    await cap.reserve();
    const refused = cap.reserve();
    cap.commit();
    cap.commit();
    expect(await refused).toBe(false);
    expect(cap.reached).toBe(true);
    expect(cap.total).toBe(2);
  });

  test('a stop fails waiting reservations', async () => {
    const controller = new AbortController();
    const cap = new ForgetCap(1, 0, controller.signal);
    await cap.reserve();
    const waiting = cap.reserve();
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(SweepStoppedError);
  });

  test('no cap: never reached', async () => {
    const cap = new ForgetCap(undefined, 0);
    for (let i = 0; i < 100; i++) expect(await cap.reserve()).toBe(true);
    expect(cap.reached).toBe(false);
  });
});

describe('prefetch', () => {
  test('reads at most `depth` items ahead of the consumer', async () => {
    let produced = 0;
    async function* source() {
      for (let i = 0; i < 10; i++) {
        produced++;
        yield i;
      }
    }
    const seen: number[] = [];
    const aheadWhenConsumed: number[] = [];
    for await (const item of prefetch(source(), 2)) {
      await sleep(1);
      aheadWhenConsumed.push(produced - item - 1);
      seen.push(item);
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Math.max(...aheadWhenConsumed)).toBeLessThanOrEqual(2);
  });

  test('hands on the items before a failure, then the failure', async () => {
    async function* source() {
      yield 1;
      yield 2;
      throw new Error('ListUsers failed');
    }
    const seen: number[] = [];
    await expect((async () => {
      for await (const item of prefetch(source(), 4)) seen.push(item);
    })()).rejects.toThrow('ListUsers failed');
    expect(seen).toEqual([1, 2]);
  });

  test('stops reading when the consumer stops', async () => {
    let produced = 0;
    async function* source() {
      for (;;) {
        produced++;
        yield produced;
      }
    }
    for await (const item of prefetch(source(), 3)) if (item === 2) break;
    expect(produced).toBeLessThanOrEqual(5);
  });
});

describe('anySignal', () => {
  test('aborts when any of its signals aborts, and only then', () => {
    const a = new AbortController();
    const b = new AbortController();
    const joined = anySignal([a.signal, b.signal]);
    expect(joined.aborted).toBe(false);
    b.abort();
    expect(joined.aborted).toBe(true);
    expect(a.signal.aborted).toBe(false);
  });

  test('is aborted at once when one of its signals already is', () => {
    const a = new AbortController();
    a.abort();
    expect(anySignal([new AbortController().signal, a.signal]).aborted).toBe(true);
  });
});

describe('FirstCallGate', () => {
  test('lets one call through per key until it is answered, then everyone', async () => {
    const gate = new FirstCallGate<'a' | 'b'>();
    const signal = new AbortController().signal;
    expect(await gate.enter('a', signal)).toBe(true);
    // Another key has its own probe.
    expect(await gate.enter('b', signal)).toBe(true);
    let second: boolean | undefined;
    const waiting = gate.enter('a', signal).then((probe) => (second = probe));
    await Promise.resolve();
    expect(second).toBeUndefined();
    gate.settle('a', true);
    await waiting;
    expect(second).toBe(false);
    expect(await gate.enter('a', signal)).toBe(false);
  });

  test('a probe that got no answer hands the probe to one waiter; the others keep waiting', async () => {
    const gate = new FirstCallGate<'a'>();
    const signal = new AbortController().signal;
    await gate.enter('a', signal);
    const outcomes: boolean[] = [];
    const first = gate.enter('a', signal).then((probe) => outcomes.push(probe));
    const second = gate.enter('a', signal).then((probe) => outcomes.push(probe));
    gate.settle('a', false);
    await first;
    await Promise.resolve();
    expect(outcomes).toEqual([true]);
    gate.settle('a', true);
    await second;
    expect(outcomes).toEqual([true, false]);
  });

  test('waiters are released with SweepStoppedError when the signal aborts', async () => {
    const gate = new FirstCallGate<'a'>();
    const controller = new AbortController();
    await gate.enter('a', controller.signal);
    const waiting = gate.enter('a', controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(SweepStoppedError);
    await expect(gate.enter('a', controller.signal)).rejects.toBeInstanceOf(SweepStoppedError);
  });
});
