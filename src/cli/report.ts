import { ageCharts } from './histogram';
import { formatTable } from './table';
import { mergePoolReports, POOL_COUNTER_NAMES, toPoolReport, zeroCounters } from '../sweep/report';
import type { PoolReport } from '../sweep/types';

/** What one CLI run reports, whether it finished, was capped or failed part-way. */
export interface SweepReport {
  readonly dryRun: boolean;
  readonly staleAfterSeconds: number;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly pools: readonly PoolReport[];
  readonly capped: boolean;
  /** The run id of the audit records (`--audit-log`). */
  readonly runId?: string;
}

/** Column titles of the readable table, one per entry of POOL_COUNTER_NAMES. */
const COUNTER_TITLES = ['Users', 'Devices', 'Stale', 'Forgotten', 'Already gone', 'Undated', 'Errors', 'Skipped (index)'];

/**
 * The `--json` document. Built key by key (not by spreading engine objects) so the key order and
 * the key set are exactly the documented contract, whatever else the engine's reports carry.
 */
export function toJsonDocument(report: SweepReport): string {
  return JSON.stringify({
    dryRun: report.dryRun,
    staleAfterSeconds: report.staleAfterSeconds,
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
    })),
    capped: report.capped,
    ...(report.runId === undefined ? {} : { runId: report.runId }),
  });
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
export function toTable(report: SweepReport, staleAfterText: string): string {
  const rows = report.pools.map((pool) => [pool.userPoolId, ...POOL_COUNTER_NAMES.map((key) => formatCount(pool[key]))]);
  if (report.pools.length > 1) {
    const total = totalOf(report.pools);
    rows.push([total.userPoolId, ...POOL_COUNTER_NAMES.map((key) => formatCount(total[key]))]);
  }

  const elapsedSeconds = (report.finishedAt.getTime() - report.startedAt.getTime()) / 1000;
  const lines = [
    report.dryRun
      ? `Dry run: devices unused for ${staleAfterText} are counted as stale; nothing was forgotten.`
      : `Sweep: devices unused for ${staleAfterText} were forgotten.`,
    `Started ${report.startedAt.toISOString()}, finished ${report.finishedAt.toISOString()} (${formatElapsed(elapsedSeconds)}).`,
    '',
    formatTable(['User pool', ...COUNTER_TITLES], rows),
  ];
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
