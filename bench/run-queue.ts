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

/**
 * The machine's CPU time so far, in clock ticks (Linux /proc/stat, first line): all of it, and the
 * part the hypervisor gave to other guests (steal). Steal pauses the engine and the simulator alike,
 * and no client can make up a second in which nothing ran: a run's steal share tells a slow engine
 * apart from a machine shared with others. Undefined where the file does not exist.
 */
export function machineCpuTicks(): { readonly total: number; readonly steal: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { total: fields.reduce((a, b) => a + b, 0), steal: fields[7] ?? 0 };
  } catch {
    return undefined;
  }
}

/** The steal share of the machine's CPU time between two readings (undefined without both). */
export function stealShare(before: ReturnType<typeof machineCpuTicks>, after: ReturnType<typeof machineCpuTicks>): number | undefined {
  if (!before || !after || after.total <= before.total) return undefined;
  return (after.steal - before.steal) / (after.total - before.total);
}
