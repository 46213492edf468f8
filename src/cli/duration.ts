/** Seconds per unit of the duration suffixes the CLI accepts. */
const SECONDS_PER_UNIT: Readonly<Record<string, number>> = { d: 86_400, h: 3_600, m: 60, s: 1 };

/**
 * Parses `90d`, `12h`, `30m` or `45s` into seconds.
 *
 * Only a positive whole number and one unit: `0d` would make every dated device stale, which is
 * never what a staleness rule means (use a purge for that), and `1.5d` or `1d12h` invite misreading.
 *
 * @throws Error with a message that says what a valid value looks like.
 */
export function parseDuration(text: string): number {
  const match = /^([0-9]+)([dhms])$/.exec(text.trim());
  if (!match) {
    throw new Error(`'${text}' is not a duration: use a whole number and one unit, e.g. 90d, 12h, 30m or 45s`);
  }
  const amount = Number(match[1]);
  if (amount <= 0) {
    throw new Error(`'${text}' must be greater than zero, e.g. 90d`);
  }
  const seconds = amount * SECONDS_PER_UNIT[match[2]];
  if (!Number.isSafeInteger(seconds)) {
    throw new Error(`'${text}' is too large`);
  }
  return seconds;
}
