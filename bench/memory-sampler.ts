/** Peak memory of this process, sampled on timers (the engine's streaming claim is about this). */
export interface MemoryPeak {
  /** Highest resident set size seen, MB. */
  readonly peakRssMb: number;
  /** Highest V8 heap in use seen, MB (includes garbage not yet collected). */
  readonly peakHeapUsedMb: number;
  /**
   * Highest heap in use right after a forced full GC, MB: what the process really holds. Peak
   * heapUsed alone depends on when V8 chooses to collect, which grows with the work done.
   * Undefined without --expose-gc.
   */
  readonly peakLiveHeapMb?: number;
  readonly samples: number;
}

const MB = 1024 * 1024;

/**
 * Samples process.memoryUsage() every `intervalMs`, and the live heap after a forced GC every
 * `gcEveryMs` (a full GC of a ~100 MB heap takes milliseconds, so the run is barely disturbed);
 * with `gcEveryMs` 0, only once at the end (no forced GC disturbs a CPU measurement).
 */
export function sampleMemory(intervalMs = 50, gcEveryMs = 2000): { stop(): MemoryPeak } {
  let peakRss = 0;
  let peakHeapUsed = 0;
  let peakLiveHeap: number | undefined;
  let samples = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeapUsed = Math.max(peakHeapUsed, usage.heapUsed);
    samples++;
  };
  const sampleLive = () => {
    if (global.gc) {
      global.gc();
      peakLiveHeap = Math.max(peakLiveHeap ?? 0, process.memoryUsage().heapUsed);
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  const gcTimer = gcEveryMs <= 0 ? undefined : setInterval(sampleLive, gcEveryMs);
  return {
    stop() {
      clearInterval(timer);
      clearInterval(gcTimer);
      sample();
      // At least one live sample, also for runs shorter than gcEveryMs.
      sampleLive();
      return {
        peakRssMb: peakRss / MB,
        peakHeapUsedMb: peakHeapUsed / MB,
        peakLiveHeapMb: peakLiveHeap === undefined ? undefined : peakLiveHeap / MB,
        samples,
      };
    },
  };
}
