/**
 * maxForgets across a whole run (all Regions, all slices). A forget reserves its slot before the
 * call, so concurrent forgets never overshoot. While the slots are all reserved by forgets in
 * flight, the next one waits: a slot comes back when a device turns out to be gone or a call
 * fails. The cap is reached only when every slot holds a forget that happened.
 */
import { onAbort } from '../calls/abort-fanout';
import { SweepStoppedError } from '../errors';

export class ForgetCap {
  private used: number;
  private reserved = 0;
  private reachedFlag = false;
  private waiters: (() => void)[] = [];

  /**
   * @param max the cap (undefined: none)
   * @param usedBefore forgets of earlier slices of the run
   * @param signal aborting makes waiting and later reservations fail with SweepStoppedError
   */
  constructor(private readonly max: number | undefined, usedBefore: number, private readonly signal?: AbortSignal) {
    this.used = usedBefore;
    // The cap lives as long as the sweep call's signal, so it never unsubscribes.
    if (signal) onAbort(signal, () => this.wakeAll());
  }

  /** Forgets (or, in a dry run, picks) committed so far in the run, earlier slices included. */
  get total(): number {
    return this.used;
  }

  /** A picked device was refused because the cap was reached. */
  get reached(): boolean {
    return this.reachedFlag;
  }

  /** Reserves a slot for one forget: true when reserved, false (and `reached`) when the cap allows no more. */
  async reserve(): Promise<boolean> {
    for (;;) {
      if (this.signal?.aborted) throw new SweepStoppedError();
      if (this.max === undefined || this.used + this.reserved < this.max) {
        this.reserved++;
        return true;
      }
      if (this.used >= this.max) {
        this.reachedFlag = true;
        return false;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** The reserved forget happened. */
  commit(): void {
    this.reserved--;
    this.used++;
    this.wakeAll();
  }

  /** A forget made without a reservation (an earlier, killed attempt's, found by its retry): it counts, and may fill the cap. */
  count(): void {
    this.used++;
    this.wakeAll();
  }

  /** The reserved forget did not happen: the slot is free again. */
  release(): void {
    this.reserved--;
    this.wakeAll();
  }

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
