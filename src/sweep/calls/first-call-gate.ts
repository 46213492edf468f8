/**
 * One call at a time per operation until one of them gets an answer. A pool's first AdminListDevices
 * (or AdminForgetDevice) goes alone; the users behind it wait for its answer instead of sending
 * dozens of calls at once that a missing grant would all deny. Once an operation has been answered
 * (success, or any failure that is not systemic), the gate stays open: it costs one round trip per
 * operation per pool.
 */
import { onAbort } from './abort-fanout';
import { SweepStoppedError } from '../errors';

interface GateState {
  open: boolean;
  probing: boolean;
  waiters: Set<() => void>;
}

export class FirstCallGate<K extends string> {
  private readonly states = new Map<K, GateState>();

  /**
   * Resolves when the caller may send a call of `key`: true when it is the probe (it must then call
   * `settle`), false when the gate is open. Rejects with SweepStoppedError once `signal` aborts.
   */
  async enter(key: K, signal: AbortSignal): Promise<boolean> {
    const state = this.of(key);
    while (!state.open) {
      if (signal.aborted) throw new SweepStoppedError();
      if (!state.probing) {
        state.probing = true;
        return true;
      }
      await new Promise<void>((resolve, reject) => {
        const wake = (): void => {
          unsubscribe();
          resolve();
        };
        const unsubscribe = onAbort(signal, () => {
          state.waiters.delete(wake);
          reject(new SweepStoppedError());
        });
        state.waiters.add(wake);
      });
    }
    return false;
  }

  /** The probe of `key` ended: `answered` opens the gate; otherwise a waiter becomes the next probe. */
  settle(key: K, answered: boolean): void {
    const state = this.of(key);
    state.probing = false;
    if (answered) state.open = true;
    const waiters = [...state.waiters];
    state.waiters.clear();
    for (const wake of waiters) wake();
  }

  private of(key: K): GateState {
    let state = this.states.get(key);
    if (!state) this.states.set(key, (state = { open: false, probing: false, waiters: new Set() }));
    return state;
  }
}
