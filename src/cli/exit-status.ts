/** The CLI's exit statuses (the contract in --help and the README). */
export const ExitStatus = {
  /** The sweep finished and every device it picked was handled. */
  DONE: 0,
  /** The sweep failed part-way, was stopped by an error no retry can fix, or finished with errors counted; the partial report is printed. */
  FAILED: 1,
  /** Bad input: one line on stderr, no call made. */
  BAD_INPUT: 2,
  /** Stopped by --max-forgets; stale devices may remain. */
  CAPPED: 3,
  /** Interrupted by Ctrl-C (SIGINT) or SIGTERM; the partial report is printed and --state saved (128 + SIGINT, as shells do). */
  INTERRUPTED: 130,
} as const;

/** One of the values of ExitStatus. */
export type ExitStatus = (typeof ExitStatus)[keyof typeof ExitStatus];
