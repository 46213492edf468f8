import { ageCharts } from './histogram';
import { formatTable } from './table';
import { mergePoolReports, POOL_COUNTER_NAMES, toPoolReport, zeroCounters } from '../sweep/pipeline/report';
import type { DeviceSelection, PoolReport, PoolResult, PoolStop } from '../sweep/types';

/** What one CLI run reports, whether it finished, was capped, stopped or failed part-way. */
export interface SweepReport {
  readonly dryRun: boolean;
  readonly selection: DeviceSelection;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly pools: readonly PoolResult[];
  readonly capped: boolean;
  /** The first error that stopped a pool (each stopped pool carries its own). @default none */
  readonly stopped?: PoolStop;
  /** Ctrl-C (SIGINT or SIGTERM) stopped the run. @default false */
  readonly interrupted?: boolean;
  /** The run id of the audit records (`--audit-log`). */
  readonly runId?: string;
}

/** Column titles of the readable table, one per entry of POOL_COUNTER_NAMES. */
const COUNTER_TITLES = ['Users', 'Devices', 'Stale', 'Forgotten', 'Already gone', 'Undated', 'Errors', 'Skipped (index)'];

/**
 * The `--json` document. Built key by key (not by spreading engine objects) so the key order and
 * the key set are exactly the documented contract, whatever else the engine's reports carry.
 * `stopped` (per pool and for the run) and `interrupted` appear only when they apply.
 */
export function toJsonDocument(report: SweepReport): string {
  return JSON.stringify({
    dryRun: report.dryRun,
    ...selectionFields(report.selection),
    startedAt: report.startedAt.toISOString(),
    finishedAt: report.finishedAt.toISOString(),
    pools: report.pools.map((pool) => ({
      userPoolId: pool.userPoolId,
      usersScanned: pool.usersScanned,
      devicesScanned: pool.devicesScanned,
      devicesStale: pool.devicesStale,
      devicesForgotten: pool.devicesForgotten,
      devicesAlreadyGone: pool.devicesAlreadyGone,
      devicesUndated: pool.devicesUndated,
      errors: pool.errors,
      usersSkippedByIndex: pool.usersSkippedByIndex,
      ...(pool.ages ? { ages: pool.ages } : {}),
      ...(pool.stopped ? { stopped: { reason: pool.stopped.reason, message: pool.stopped.message } } : {}),
    })),
    capped: report.capped,
    ...(report.stopped ? { stopped: { reason: report.stopped.reason, message: report.stopped.message } } : {}),
    ...(report.interrupted ? { interrupted: true } : {}),
    ...(report.runId === undefined ? {} : { runId: report.runId }),
  });
}

/**
 * The selection's keys: `staleAfterSeconds` and/or `maxDeviceAgeSeconds` for the dated rules (a
 * staleness run keeps the keys it always had), `selection` ("users" with `usersNamed`, or "all")
 * for incident selections.
 */
function selectionFields(selection: DeviceSelection): Record<string, unknown> {
  switch (selection.kind) {
    case 'stale': return {
      ...(selection.staleAfterSeconds === undefined ? {} : { staleAfterSeconds: selection.staleAfterSeconds }),
      ...(selection.maxDeviceAgeSeconds === undefined ? {} : { maxDeviceAgeSeconds: selection.maxDeviceAgeSeconds }),
    };
    case 'users': return { selection: 'users', usersNamed: selection.usernames.length };
    case 'all': return { selection: 'all' };
  }
}

/** The `--report-csv` file: a header and one row per pool (RFC 4180 quoting). */
export function toCsv(pools: readonly PoolReport[]): string {
  const header = ['userPoolId', ...POOL_COUNTER_NAMES].join(',');
  const rows = pools.map((pool) => [csvField(pool.userPoolId), ...POOL_COUNTER_NAMES.map((key) => String(pool[key]))].join(','));
  return [header, ...rows].join('\r\n') + '\r\n';
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Sums the counters of several pools (the table's total row, the progress line). */
export function totalOf(pools: readonly PoolReport[]): PoolReport {
  // Summed as one pool named Total: the age picture is kept when the pools have one.
  if (pools.length === 0) return toPoolReport('Total', zeroCounters());
  return mergePoolReports([], pools.map((pool) => ({ ...pool, userPoolId: 'Total' })))[0];
}

/** The human-readable report printed without `--json`. */
export function toTable(report: SweepReport, selectionText: string): string {
  const rows = report.pools.map((pool) => [pool.userPoolId, ...POOL_COUNTER_NAMES.map((key) => formatCount(pool[key]))]);
  if (report.pools.length > 1) {
    const total = totalOf(report.pools);
    rows.push([total.userPoolId, ...POOL_COUNTER_NAMES.map((key) => formatCount(total[key]))]);
  }

  const elapsedSeconds = (report.finishedAt.getTime() - report.startedAt.getTime()) / 1000;
  const lines = [
    headline(report, selectionText),
    `Started ${report.startedAt.toISOString()}, finished ${report.finishedAt.toISOString()} (${formatElapsed(elapsedSeconds)}).`,
  ];
  // A run stopped before anything was counted (the first listing or forget failed): no table of zeros.
  if (!stoppedWithNothingCounted(report)) {
    lines.push('', formatTable(['User pool', ...COUNTER_TITLES], rows));
  }
  for (const pool of report.pools) {
    if (pool.stopped) lines.push('', `${pool.userPoolId} stopped: ${pool.stopped.message}`);
  }
  if (report.capped) {
    lines.push('', 'Stopped by --max-forgets: more stale devices may remain. Run again to continue.');
  }
  // One picture per pool, and the total's when there are several.
  const pictured = report.pools.length > 1 ? [...report.pools, totalOf(report.pools)] : report.pools;
  for (const pool of pictured) {
    if (pool.ages) lines.push('', ageCharts(pool.userPoolId, pool.ages));
  }
  return lines.join('\n') + '\n';
}

/** What the run did, in one line; it never claims devices "were forgotten" for a run that stopped. */
function headline(report: SweepReport, selectionText: string): string {
  const forgotten = totalOf(report.pools).devicesForgotten;
  const soFar = report.dryRun || forgotten === 0
    ? 'nothing was forgotten'
    : `${formatCount(forgotten)} device(s) forgotten before it stopped (${selectionText})`;
  if (report.interrupted) return `Interrupted: the sweep stopped early; ${soFar}.`;
  if (report.stopped) return `The sweep stopped: an error no retry can fix (below); ${soFar}.`;
  return report.dryRun
    ? `Dry run: ${selectionText} are counted (column Stale); nothing was forgotten.`
    : `Sweep: ${selectionText} were forgotten.`;
}

/** The run was stopped, and every counter of every pool but the errors is zero. */
export function stoppedWithNothingCounted(report: Pick<SweepReport, 'stopped' | 'pools'>): boolean {
  return report.stopped !== undefined && report.pools.every((pool) => POOL_COUNTER_NAMES.every((name) => name === 'errors' || pool[name] === 0));
}

/** `1234567` -> `1,234,567` (fixed locale: output must not depend on the machine's settings). */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** `75.4` -> `1m 15s`; under a minute keeps one decimal. */
export function formatElapsed(seconds: number): string {
  if (seconds < 60) {
    return `${seconds.toFixed(1)} s`;
  }
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  return hours > 0 ? `${hours}h ${minutes}m ${rest}s` : `${minutes}m ${rest}s`;
}
