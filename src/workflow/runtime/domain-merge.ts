/**
 * The merge step of the workflow: the outcomes of the Map over quota domains folded into the run's
 * output, and the run-level metrics, emitted once per run (the domains' slices emit their own
 * counts only). Pure: the handler emits and logs.
 */
import { DomainPartial, FailedDomain, MergeEvent, SweepMetric, SweepRunOutput, SweepRunProgress } from '../contract';
import type { SliceMetric } from './slice-logic';

/** Longest cause kept per failed domain (Step Functions' Cause can be a whole stack trace). */
export const MAX_CAUSE_LENGTH = 500;

/**
 * The run's output: `done`; `capped` when any domain was; the domains' totals and pools one after
 * the other (each pool is in one domain), a failed domain's from its last progress before the
 * failure (what its slices that succeeded did: they forgot those devices, so the run did); slices
 * summed; the earliest start and the latest finish; and `sweepSeconds` the LONGEST domain's, not
 * the sum: the domains sweep in parallel, so the run took as long as its longest domain (the sum
 * would be the Lambda time spent, not the run's). `failedDomains` names each failed domain with
 * its error, readable cause and `partial` counts, `failure` says it in one line, and `runFailed` is
 * true when more domains failed than `toleratedDomainFailures`.
 *
 * @param nowIso the merge's time: start and finish of a run where no slice succeeded
 */
export function mergeDomains(event: MergeEvent, nowIso: string): SweepRunOutput {
  const finished = event.results.flatMap((r) => (r.progress ? [r.progress] : []));
  // Every domain's last progress, in the plan's order: the final one, or a failed domain's partial one.
  const swept = event.results.flatMap((r) => {
    const last = r.progress ?? (r.failed ? r.partial : undefined);
    return last ? [last] : [];
  });
  const failedDomains: FailedDomain[] = event.results.flatMap((r) => (r.failed
    ? [{ domain: r.domain.key, error: r.failed.error, cause: readableCause(r.failed.cause), partial: partialOf(r.partial) }]
    : []));
  const startedAt = swept.length > 0 ? swept.map((p) => p.startedAt).reduce(earliest) : nowIso;
  const finishedAt = swept.length > 0 ? swept.map((p) => p.finishedAt).reduce(latest) : nowIso;
  const tolerated = event.toleratedDomainFailures ?? 0;
  const failure = failedDomains.length === 0 ? undefined
    : `${failedDomains.length} of ${event.results.length} quota domain${event.results.length === 1 ? '' : 's'} failed: ` +
      failedDomains.map((f) => `${f.domain}: ${f.cause || f.error}`).join('; ');
  return {
    done: true,
    // Only a finished domain can have stopped at its cap; a failed one stopped by its failure.
    capped: finished.some((p) => p.capped),
    totals: swept.flatMap((p) => p.totals),
    slices: swept.reduce((n, p) => n + p.slices, 0),
    startedAt,
    finishedAt,
    sweepSeconds: swept.reduce((max, p) => Math.max(max, p.sweepSeconds ?? 0), 0),
    pools: swept.flatMap((p) => p.pools ?? []),
    domains: event.results.map((r) => r.domain.key),
    failedDomains,
    runFailed: failedDomains.length > tolerated,
    ...(failure === undefined ? {} : { failure }),
  };
}

/** A failed domain's counts from its last progress: none when no slice succeeded. */
function partialOf(progress: SweepRunProgress | undefined): DomainPartial {
  return { totals: progress?.totals ?? [], slices: progress?.slices ?? 0 };
}

/**
 * The run-level metrics, once per run: RunsCompleted 1, RunsCapped, RunsFailed (1 when a domain
 * failed or a pool has errors), RunDurationSeconds (first start to last finish) and DomainsFailed.
 */
export function runMetrics(output: SweepRunOutput): SliceMetric[] {
  const errors = output.totals.reduce((n, pool) => n + pool.errors, 0);
  const seconds = (Date.parse(output.finishedAt) - Date.parse(output.startedAt)) / 1000;
  return [
    { name: SweepMetric.RUN_DURATION, value: Math.max(0, seconds) },
    { name: SweepMetric.RUNS_COMPLETED, value: 1 },
    { name: SweepMetric.RUNS_CAPPED, value: output.capped ? 1 : 0 },
    { name: SweepMetric.RUNS_FAILED, value: output.failedDomains.length > 0 || errors > 0 ? 1 : 0 },
    { name: SweepMetric.DOMAINS_FAILED, value: output.failedDomains.length },
  ];
}

/**
 * A cause one can read: the `errorMessage` of a Lambda failure's Cause (Step Functions gives it as
 * the JSON `{"errorType","errorMessage","trace",...}`), else the cause itself; on one line, at
 * most MAX_CAUSE_LENGTH characters.
 */
export function readableCause(cause: string): string {
  let text = cause;
  try {
    const parsed = JSON.parse(cause) as unknown;
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { errorMessage?: unknown }).errorMessage === 'string') {
      text = (parsed as { errorMessage: string }).errorMessage;
    }
  } catch {
    // Not JSON: the cause as given.
  }
  const line = text.replace(/\s*\n\s*/g, ' ').trim();
  return line.length <= MAX_CAUSE_LENGTH ? line : `${line.slice(0, MAX_CAUSE_LENGTH - 1)}…`;
}

function earliest(a: string, b: string): string {
  return Date.parse(b) < Date.parse(a) ? b : a;
}

function latest(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}
