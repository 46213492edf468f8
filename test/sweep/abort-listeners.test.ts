/** Stop signals keep one abort listener each, whatever the number of waiters, pools and Regions. */
import { defaultMaxListeners, getEventListeners } from 'events';
import { sweepDevices } from '../../src/sweep';
import { onAbort } from '../../src/sweep/calls/abort-fanout';
import { Semaphore } from '../../src/sweep/pipeline/semaphore';
import { CognitoSimulator } from '../sim';
import { scaledBudget } from './fixture';

describe('onAbort', () => {
  test('many subscribers share one listener on the signal and each runs once on abort', () => {
    const controller = new AbortController();
    const calls: number[] = [];
    for (let i = 0; i < 25; i++) onAbort(controller.signal, () => calls.push(i));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    controller.abort();
    expect(calls).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  test('an unsubscribed handler is not called, the others still are', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const handler = (): number => calls.push('twice');
    const unsubscribeFirst = onAbort(controller.signal, handler);
    onAbort(controller.signal, handler);
    onAbort(controller.signal, () => calls.push('kept'));
    unsubscribeFirst();
    controller.abort();
    expect(calls).toEqual(['twice', 'kept']);
  });

  test('a handler subscribed after the abort is never called, like an abort listener', () => {
    const controller = new AbortController();
    controller.abort();
    const handler = jest.fn();
    onAbort(controller.signal, handler)();
    expect(handler).not.toHaveBeenCalled();
  });
});

test('a closed semaphore no longer reacts to the signal', async () => {
  const controller = new AbortController();
  const open = new Semaphore(0, controller.signal);
  const closed = new Semaphore(0, controller.signal);
  const waiting = open.acquire();
  const stillWaiting = closed.acquire();
  closed.close();
  controller.abort();
  await expect(waiting).rejects.toThrow();
  closed.release();
  await expect(stillWaiting).resolves.toBeUndefined();
});

test('a sweep of many pools in many Regions stays within Node\'s listener limit on every signal', async () => {
  const sim = await CognitoSimulator.start({ timeScale: 50, latencyMs: { min: 1, max: 3 }, seed: 5 });
  const largest = new Map<EventTarget, number>();
  try {
    const regions = ['us-east-1', 'us-west-2', 'eu-central-1', 'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'sa-east-1',
      'ca-central-1', 'eu-west-2', 'eu-west-3', 'ap-southeast-2'];
    const userPoolIds = [
      ...Array.from({ length: 12 }, (_, i) => sim.seedPool({ region: 'eu-west-1', users: 3, name: `listeners-${i}` })),
      ...regions.map((region) => sim.seedPool({ region, users: 3, name: `listeners-${region}` })),
    ];
    // Record, for every target, the most abort listeners it held at once.
    const original = EventTarget.prototype.addEventListener;
    const spy = jest.spyOn(EventTarget.prototype, 'addEventListener').mockImplementation(function (
      this: EventTarget, ...args: Parameters<EventTarget['addEventListener']>) {
      original.apply(this, args);
      if (args[0] === 'abort') largest.set(this, Math.max(largest.get(this) ?? 0, getEventListeners(this, 'abort').length));
    });
    try {
      const result = await sweepDevices({ userPoolIds, selection: { kind: 'all' }, endpoint: sim.endpoint, rateBudget: scaledBudget(50) });
      expect(result.done).toBe(true);
    } finally {
      spy.mockRestore();
    }
  } finally {
    await sim.stop();
  }
  expect(largest.size).toBeGreaterThan(0);
  expect(Math.max(...largest.values())).toBeLessThanOrEqual(defaultMaxListeners);
});
