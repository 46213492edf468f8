/**
 * Abort handlers behind a single listener per AbortSignal. A sweep's stop signals are watched by
 * many waiters at once (the limiters and semaphores of every Region and pool in flight, the backoff
 * sleeps of every call), and Node warns past 10 listeners on one signal
 * (MaxListenersExceededWarning): each signal gets one listener here, which calls the handlers that
 * are subscribed when it aborts. Waiters unsubscribe when they are done, so handlers never pile up.
 */

/** The handlers subscribed to each signal that has not aborted yet. */
const handlersOf = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `handler` once when `signal` aborts, like `addEventListener('abort', handler, { once: true })`
 * (so never when it already has), and returns the function that unsubscribes it.
 */
export function onAbort(signal: AbortSignal, handler: () => void): () => void {
  if (signal.aborted) return () => {};
  let handlers = handlersOf.get(signal);
  if (!handlers) {
    const subscribed = new Set<() => void>();
    handlersOf.set(signal, subscribed);
    signal.addEventListener('abort', () => {
      handlersOf.delete(signal);
      for (const subscriber of [...subscribed]) subscriber();
      subscribed.clear();
    }, { once: true });
    handlers = subscribed;
  }
  // Each subscription is its own entry, so unsubscribing one never drops another of the same handler.
  const subscription = (): void => handler();
  const subscribedTo = handlers;
  subscribedTo.add(subscription);
  return () => {
    subscribedTo.delete(subscription);
  };
}

/** Waits `ms`, or less if `signal` aborts first (at once when it already has). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(() => {
      unsubscribe();
      resolve();
    }, ms);
    const unsubscribe = onAbort(signal, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
