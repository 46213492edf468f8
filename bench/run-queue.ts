import { readFileSync } from 'fs';

/**
 * Milliseconds this process has spent runnable but waiting for a CPU (Linux /proc/self/schedstat,
 * second field, summed over its threads' scheduler view). On a shared machine this tells a slow
 * contestant apart from a starved one. Undefined where the file does not exist.
 */
export function runQueueWaitMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/schedstat', 'utf8').trim().split(/\s+/);
    return Number(fields[1]) / 1e6;
  } catch {
    return undefined;
  }
}
