/** A Powertools Logger whose output the test can read (it prints JSON lines to stdout and stderr). */
import { Logger } from '@aws-lambda-powertools/logger';

export interface CapturedLogger {
  readonly logger: Logger;
  /** Everything printed so far. */
  output(): string;
  /** The printed JSON lines, parsed. */
  entries(): Array<Record<string, unknown>>;
  restore(): void;
}

export function captureLogger(): CapturedLogger {
  const lines: string[] = [];
  const capture = (chunk: unknown): boolean => {
    lines.push(String(chunk));
    return true;
  };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  const logger = new Logger({ serviceName: 'DevicePurgeTest', logLevel: 'DEBUG' });
  return {
    logger,
    output: () => lines.join(''),
    entries: () => lines.join('').split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line)),
    restore: () => {
      stdout.mockRestore();
      stderr.mockRestore();
    },
  };
}
