/** A counting semaphore whose waiters give up when the sweep stops. */
import { onAbort } from '../calls/abort-fanout';
import { SweepStoppedError } from '../errors';
import { WaitingQueue } from '../rate/waiting-queue';

export class Semaphore {
  private available: number;
  private readonly waiters = new WaitingQueue<{ resolve: () => void; reject: (error: Error) => void }>();
  private readonly unsubscribe: () => void;

  /** @param permits how many holders at once; @param signal aborting rejects waiting and future acquisitions */
  constructor(permits: number, private readonly signal?: AbortSignal) {
    this.available = permits;
    this.unsubscribe = signal ? onAbort(signal, () => {
      for (const waiter of this.waiters.drain()) waiter.reject(new SweepStoppedError());
    }) : () => {};
  }

  /** Takes a permit, waiting for one if needed; rejects with SweepStoppedError once stopped. */
  acquire(): Promise<void> {
    if (this.signal?.aborted) return Promise.reject(new SweepStoppedError());
    if (this.available > 0 && this.waiters.length === 0) {
      this.available--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Returns a permit (to the oldest waiter, if any). */
  release(): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve();
    else this.available++;
  }

  /** Stops watching the signal: call it once nothing acquires any more (the signal outlives the semaphore). */
  close(): void {
    this.unsubscribe();
  }
}
