/**
 * What the isComplete handler answers for one poll: keep waiting, done (with the run's counts), or
 * failed (with the run's reason). Plain TypeScript, no SDK: the handler only describes the execution.
 */
import { POOL_COUNTER_NAMES, PoolCounterName } from '../../sweep/pipeline/report';
import type { PoolReport } from '../../sweep/types';

/** Longest run error + cause text passed to CloudFormation: its whole response must stay under 4096 bytes. */
export const MAX_REASON_LENGTH = 600;

/** Attribute value when the counts of a run are not known (no run yet, or the run did not succeed). */
export const UNKNOWN_COUNT = 'unknown';

/**
 * The response data of a finished run: one short string per PoolReport counter, summed over the
 * run's pools, whatever the pool size. DevicePurge exposes each as an attribute (`Fn::GetAtt`).
 */
export type PurgeData = Record<PoolCounterName, string>;

/** What DescribeExecution said about the run (the fields read here). */
export interface ExecutionDescription {
  readonly executionArn?: string;
  readonly status?: string;
  readonly startDate?: Date;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

/** The situation of one poll. */
export interface CompletionInput {
  readonly requestType: 'Create' | 'Update' | 'Delete';
  /** 'start': a run started for this event; 'report-last': report the most recent run, started earlier. */
  readonly action: 'start' | 'report-last';
  readonly waitForCompletion: boolean;
  readonly waitLimitSeconds: number;
  /** Undefined when there is no run to describe (report-last on a state machine without executions). */
  readonly execution?: ExecutionDescription;
  readonly nowMs: number;
}

/** The answer for one poll. */
export type Completion =
  | { readonly outcome: 'wait' }
  | { readonly outcome: 'complete'; readonly data: Partial<PurgeData>; readonly warning?: string; readonly stopExecution?: boolean }
  | { readonly outcome: 'fail'; readonly reason: string; readonly stopExecution?: boolean };

const FAILED_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'];

/** Decides the answer of one poll. A DELETE is never answered with 'fail'. */
export function decideCompletion(input: CompletionInput): Completion {
  if (input.action === 'report-last') {
    return { outcome: 'complete', data: reportedCounts(input.execution) };
  }
  if (!input.waitForCompletion && input.requestType !== 'Delete') {
    // The deployment does not wait; a DELETE always waits, because the stack deletes the workflow next.
    return { outcome: 'complete', data: {} };
  }
  const execution = input.execution ?? {};
  const status = execution.status ?? 'UNKNOWN';
  const isDelete = input.requestType === 'Delete';

  if (status === 'SUCCEEDED' && skippedRun(execution.output)) {
    // The workflow runs one execution at a time and ends a second one at once, forgetting nothing.
    const reason = 'Device purge run skipped: another run of this purge was in progress, so nothing was forgotten ' +
      `(execution ${execution.executionArn ?? 'unknown'}). Deploy again once that run finished.`;
    return isDelete ? { outcome: 'complete', data: {}, warning: reason } : { outcome: 'fail', reason };
  }
  if (status === 'SUCCEEDED') {
    const data = isDelete ? {} : countsOf(execution.output);
    if (cappedRun(execution.output)) {
      // The cap is a safety stop, not a failure: the deployment goes on, and says what was left.
      const warning = `Device purge run stopped at its maxForgets cap (execution ${execution.executionArn ?? 'unknown'}); ` +
        'devices are left to forget. Raise maxForgets or change generation to purge again on the next deployment.';
      return { outcome: 'complete', data, warning };
    }
    return { outcome: 'complete', data };
  }
  if (FAILED_STATUSES.includes(status)) {
    const detail = [execution.error, causeText(execution.cause)].filter(Boolean).join(': ') || 'no reason given';
    const reason = `Device purge run ${status}: ${truncate(detail)} (execution ${execution.executionArn ?? 'unknown'})`;
    return isDelete ? { outcome: 'complete', data: {}, warning: `${reason}; the DELETE goes on` } : { outcome: 'fail', reason };
  }

  const elapsedSeconds = execution.startDate ? (input.nowMs - execution.startDate.getTime()) / 1000 : 0;
  if (elapsedSeconds >= input.waitLimitSeconds) {
    const reason = `Device purge run did not finish within ${input.waitLimitSeconds} seconds and was stopped ` +
      `(execution ${execution.executionArn ?? 'unknown'}). Raise the DevicePurge timeout (at most 1 hour), ` +
      'set waitForCompletion: false, or purge large pools with StaleDeviceCleanup.';
    return isDelete ?
      { outcome: 'complete', data: {}, warning: `${reason} The DELETE goes on.`, stopExecution: true } :
      { outcome: 'fail', reason, stopExecution: true };
  }
  return { outcome: 'wait' };
}

/**
 * Sums the per-pool counters of a finished run's output into PurgeData. Only counts go back to
 * CloudFormation, so the response stays small whatever the number of pools or devices.
 */
export function countsOf(output: string | undefined): PurgeData {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output ?? '');
  } catch {
    return unknownCounts();
  }
  const totals = (parsed as { totals?: unknown } | null)?.totals;
  if (!Array.isArray(totals)) {
    return unknownCounts();
  }
  const data = {} as PurgeData;
  for (const name of POOL_COUNTER_NAMES) {
    let sum = 0;
    for (const pool of totals as Array<Partial<PoolReport>>) {
      const value = pool?.[name];
      sum += typeof value === 'number' && Number.isFinite(value) ? value : 0;
    }
    data[name] = String(sum);
  }
  return data;
}

function skippedRun(output: string | undefined): boolean {
  return outputFlag(output, 'skipped');
}

function cappedRun(output: string | undefined): boolean {
  return outputFlag(output, 'capped');
}

function outputFlag(output: string | undefined, flag: 'skipped' | 'capped'): boolean {
  try {
    return (JSON.parse(output ?? '') as Record<string, unknown> | null)?.[flag] === true;
  } catch {
    return false;
  }
}

function reportedCounts(execution: ExecutionDescription | undefined): PurgeData {
  return execution?.status === 'SUCCEEDED' ? countsOf(execution.output) : unknownCounts();
}

function unknownCounts(): PurgeData {
  return Object.fromEntries(POOL_COUNTER_NAMES.map((name) => [name, UNKNOWN_COUNT])) as PurgeData;
}

/**
 * A failed Lambda task's cause is the function's error payload as JSON (`errorType`, `errorMessage`,
 * `trace`): its message is the line worth showing (a slice stopped by a denial says what fixes it);
 * any other cause is shown as it is.
 */
function causeText(cause: string | undefined): string | undefined {
  try {
    const payload = JSON.parse(cause ?? '') as { errorMessage?: unknown } | null;
    if (typeof payload?.errorMessage === 'string') return payload.errorMessage;
  } catch {
    // Not JSON: a cause written by Step Functions itself or by StopExecution.
  }
  return cause;
}

function truncate(text: string): string {
  return text.length <= MAX_REASON_LENGTH ? text : `${text.slice(0, MAX_REASON_LENGTH - 1)}…`;
}
