/**
 * A signal that aborts when any of `signals` does: a pool's stop joined with the run's. Like
 * `AbortSignal.any`, which Node only has from 20.3 (the package supports 20.0); built on onAbort so
 * the run's signals keep a single listener each.
 */
import { onAbort } from './abort-fanout';

export function anySignal(signals: readonly AbortSignal[]): AbortSignal {
  const controller = new AbortController();
  if (signals.some((signal) => signal.aborted)) {
    controller.abort();
    return controller.signal;
  }
  // The subscriptions live as long as the run's signals: a few per pool swept.
  for (const signal of signals) onAbort(signal, () => controller.abort());
  return controller.signal;
}
