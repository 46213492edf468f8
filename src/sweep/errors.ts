/** The errors the engine throws. */

/** Bad options or a bad cursor; thrown before any call is made. The message says what to change. */
export class SweepInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SweepInputError';
  }
}

/** Throws a rule's problem (sweep/input/rules) as a SweepInputError; does nothing for `undefined`. */
export function throwInputProblem(problem: string | undefined): void {
  if (problem) throw new SweepInputError(problem);
}

/**
 * Internal: a call was not made because the sweep is stopping (deadline or cap). Never escapes
 * `sweepDevices`. Its name keeps the SDK from classifying it as retryable.
 */
export class SweepStoppedError extends Error {
  constructor() {
    super('The sweep is stopping; the call was not made');
    this.name = 'SweepStoppedError';
  }
}
