/**
 * maxForgets across a whole run (all Regions, all slices). A forget reserves its slot before the
 * call, so concurrent forgets never overshoot; a slot comes back when the device turned out to be
 * gone or the call failed.
 */
export class ForgetCap {
  private used: number;
  private reserved = 0;
  private reachedFlag = false;

  /** @param max the cap (undefined: none); @param usedBefore forgets of earlier slices of the run */
  constructor(private readonly max: number | undefined, usedBefore: number) {
    this.used = usedBefore;
  }

  /** Forgets (or, in a dry run, picks) committed so far in the run, earlier slices included. */
  get total(): number {
    return this.used;
  }

  /** A picked device was refused because of the cap. */
  get reached(): boolean {
    return this.reachedFlag;
  }

  /** Reserves a slot for one forget; false (and `reached`) when the cap allows no more. */
  tryReserve(): boolean {
    if (this.max !== undefined && this.used + this.reserved >= this.max) {
      this.reachedFlag = true;
      return false;
    }
    this.reserved++;
    return true;
  }

  /** The reserved forget happened. */
  commit(): void {
    this.reserved--;
    this.used++;
  }

  /** The reserved forget did not happen. */
  release(): void {
    this.reserved--;
  }
}
