import type { LineSink } from './progress';
import type { SweepLogger } from '../sweep/types';

/** Warnings shown before the rest are only counted: one failing permission can fail every device. */
const DEFAULT_SHOWN = 10;

/**
 * The engine's logger for the CLI: warnings (a pool that cannot be listed, a device that cannot
 * be forgotten) become stderr lines, so errors in the report come with their reason; pool
 * start/end messages are left to the progress display.
 */
export class WarningLines implements SweepLogger {
  private count = 0;
  private readonly held: string[] = [];

  /**
   * @param sink where lines go
   * @param holdUntilFlush keep lines until flush() (while a progress bar owns the terminal)
   * @param shown how many warnings are printed before the rest are only counted
   */
  constructor(
    private readonly sink: LineSink,
    private readonly holdUntilFlush: boolean,
    private readonly shown = DEFAULT_SHOWN,
  ) {}

  /** Ignored: the progress display already says what is being swept. */
  info(): void {}

  /** Prints (or holds) one line: the message and its details as `key=value`. */
  warn(message: string, extra?: object): void {
    this.count++;
    if (this.count > this.shown) {
      return;
    }
    const details = Object.entries(extra ?? {}).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
    const line = `warning: ${message}${details.length > 0 ? ` (${details.join(', ')})` : ''}`.replace(/\s*\n\s*/g, ' ');
    if (this.holdUntilFlush) {
      this.held.push(line);
    } else {
      this.sink.write(`${line}\n`);
    }
  }

  /** Writes the held lines and how many warnings were not shown. */
  flush(): void {
    for (const line of this.held.splice(0)) {
      this.sink.write(`${line}\n`);
    }
    if (this.count > this.shown) {
      this.sink.write(`warning: ${this.count - this.shown} more warning(s) not shown\n`);
    }
  }
}
