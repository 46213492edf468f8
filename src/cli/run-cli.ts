import { randomUUID } from 'crypto';
import { writeFileSync } from 'fs';
import { AuditLogFile } from './audit-log';
import { RegionClients } from './clients';
import { ExitStatus } from './exit-status';
import { CliOptions, parseCommandLine, PROGRAM_NAME, QUOTA_SCALE_ENV } from './options';
import { barProgress, plainProgress, ProgressReporter, ProgressSnapshot } from './progress';
import { stoppedWithNothingCounted, SweepReport, toCsv, toJsonDocument, toTable, totalOf } from './report';
import { loadState } from './state-option';
import { toSweepOptions } from './sweep-options';
import { UsageError } from './usage-error';
import { WarningLines } from './warnings';
import { SweepInputError, sweepDevices, validateSweepOptions } from '../sweep';
import type { StateFileIndex } from '../sweep/next-check/stores/state-file-index';
import { toPoolReport, zeroCounters } from '../sweep/pipeline/report';
import type { PoolReport, PoolStop, SweepOptions } from '../sweep/types';

/** Where the CLI reads and writes; main.ts passes the process's, tests pass their own. */
export interface CliIo {
  /** The report (table or JSON) and --help. */
  readonly stdout: { write(text: string): unknown };
  /** Progress, warning and error lines. Must be a terminal stream when `isTTY` is true (the bar moves the cursor). */
  readonly stderr: { write(text: string): unknown };
  readonly env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal: a progress bar there, plain lines otherwise. */
  readonly isTTY: boolean;
  /**
   * Aborted on Ctrl-C (SIGINT) or SIGTERM: the sweep stops as at a deadline, the partial report is
   * printed, the --state file saved, and the status is 130. @default never aborted
   */
  readonly signal?: AbortSignal;
  /** How often the --state file is saved during a run, so a killed run loses at most that much. @default 60 s */
  readonly stateSaveIntervalMs?: number;
  /** Observes the budget's grants (SweepOptions.onGrant): tests check the CLI's budget with it. @internal */
  readonly onGrant?: SweepOptions['onGrant'];
}

/** Saves of the --state file during a long run. */
const STATE_SAVE_INTERVAL_MS = 60_000;

/** How a run ended: what to print and the exit status. */
interface Outcome {
  readonly report: SweepReport;
  readonly status: number;
  /** Lines for stderr explaining a status other than DONE and CAPPED. */
  readonly problems?: readonly string[];
}

/**
 * Runs `cognito-device-sweep` with the given arguments (without `node` and the script path) and
 * returns its exit status (see ExitStatus). Bad input and failed sweeps are reported, not thrown.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let options: CliOptions;
  let sweepOptions: SweepOptions;
  let state: StateFileIndex | undefined;
  try {
    const outcome = parseCommandLine(argv, io.env, (text) => io.stdout.write(text));
    if (outcome.kind === 'help') {
      return ExitStatus.DONE;
    }
    options = outcome.options;
    sweepOptions = toSweepOptions(options);
    validateSweepOptions(sweepOptions);
    if (options.statePath !== undefined) {
      state = loadState(options.statePath);
      sweepOptions = { ...sweepOptions, nextCheckIndex: state };
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof SweepInputError) {
      io.stderr.write(`${PROGRAM_NAME}: ${error.message} (see --help)\n`);
      return ExitStatus.BAD_INPUT;
    }
    throw error;
  }

  if (options.quotaScale !== 1) {
    io.stderr.write(`${PROGRAM_NAME}: ${QUOTA_SCALE_ENV}=${options.quotaScale}: quotas scaled for a simulator; never set it against AWS\n`);
  }
  let auditLog: AuditLogFile | undefined;
  if (options.auditLog !== undefined) {
    try {
      auditLog = new AuditLogFile(options.auditLog);
    } catch (error) {
      io.stderr.write(`${PROGRAM_NAME}: --audit-log: cannot open ${options.auditLog}: ${oneLineError(error)} (see --help)\n`);
      return ExitStatus.BAD_INPUT;
    }
    sweepOptions = { ...sweepOptions, runId: randomUUID(), audit: { sink: auditLog } };
  }
  const clients = new RegionClients(options.region, options.endpointUrl, options.profile);
  const stopSaving = state ? saveEvery(state, io.stateSaveIntervalMs ?? STATE_SAVE_INTERVAL_MS, io) : () => {};
  try {
    const outcome = await sweep(options, sweepOptions, clients, io);
    stopSaving();
    let status = outcome.status;
    // Saved even after a failed or interrupted run: every entry stored is a true bound, so it only saves calls.
    if (state && !saveState(state, io) && status === ExitStatus.DONE) {
      status = ExitStatus.FAILED;
    }
    for (const problem of outcome.problems ?? []) {
      io.stderr.write(`${PROGRAM_NAME}: ${problem}\n`);
    }
    io.stdout.write(options.json ? toJsonDocument(outcome.report) + '\n' : toTable(outcome.report, options.selectionText));
    if (options.reportCsv !== undefined && !writeCsv(options.reportCsv, outcome.report.pools, io)) {
      status = ExitStatus.FAILED;
    }
    return status;
  } finally {
    stopSaving();
    clients.destroy();
    auditLog?.close();
  }
}

/** Runs the engine with progress and warnings on stderr; an engine failure still yields a report. */
async function sweep(options: CliOptions, sweepOptions: SweepOptions, clients: RegionClients, io: CliIo): Promise<Outcome> {
  const progress: ProgressReporter = io.isTTY
    ? barProgress(io.stderr as NodeJS.WritableStream, await clients.estimateUsers(options.userPoolIds))
    : plainProgress(io.stderr);
  // While a bar redraws the terminal, warning lines would tear it: hold them until it stops.
  const warnings = new WarningLines(io.stderr, io.isTTY);
  let last: ProgressSnapshot = { pools: options.userPoolIds.map((id) => toPoolReport(id, zeroCounters())), throttled: 0 };
  const startedAt = new Date();
  try {
    const result = await sweepDevices({
      ...sweepOptions,
      signal: io.signal,
      clientFor: (region, access) => clients.get(region, access),
      onProgress: (snapshot) => {
        last = snapshot;
        progress.update(snapshot);
      },
      logger: warnings,
      onGrant: io.onGrant,
    });
    progress.finish({ pools: result.pools, throttled: result.throttled }, result.done && !result.capped, !stoppedWithNothingCounted(result));
    warnings.flush();
    const report: SweepReport = {
      ...reportBase(options, sweepOptions, new Date(result.startedAt), new Date(result.finishedAt)),
      pools: result.pools,
      capped: result.capped,
      stopped: result.stopped,
      interrupted: result.interrupted,
    };
    return { report, ...statusOf(report, result.done, options.profile) };
  } catch (error) {
    progress.finish(last, false);
    warnings.flush();
    // The counters up to the failure are still worth printing: they say what was already forgotten.
    const report: SweepReport = { ...reportBase(options, sweepOptions, startedAt, new Date()), pools: last.pools, capped: false };
    return { report, status: ExitStatus.FAILED, problems: [`the sweep failed: ${oneLineError(error)}`] };
  }
}

function reportBase(options: CliOptions, sweepOptions: SweepOptions, startedAt: Date, finishedAt: Date) {
  return { dryRun: options.dryRun, selection: options.selection, startedAt, finishedAt, runId: sweepOptions.runId };
}

/**
 * A stop no retry can fix comes first (one error line per distinct cause), then an interruption;
 * failure wins over the cap: a script must not read "capped, run again" when devices failed.
 */
function statusOf(report: SweepReport, done: boolean, profile: string | undefined): Pick<Outcome, 'status' | 'problems'> {
  // One line per distinct reason: a run-wide stop (credentials, endpoint) stops every pool with the same one.
  const byMessage = new Map<string, PoolStop>();
  for (const stop of [...report.pools.map((pool) => pool.stopped), report.stopped]) {
    if (stop) byMessage.set(stop.message, stop);
  }
  const stops = [...byMessage.values()];
  if (stops.length > 0) {
    return {
      status: ExitStatus.FAILED,
      problems: stops.map((stop) => stop.reason === 'no-credentials' && profile !== undefined
        ? `error: ${stop.message}; is there a profile '${profile}' in the shared AWS config or credentials file?`
        : `error: ${stop.message}`),
    };
  }
  if (report.interrupted) {
    return { status: ExitStatus.INTERRUPTED, problems: ['interrupted: stopped early; the report shows what was done so far (run again to continue)'] };
  }
  const errors = totalOf(report.pools).errors;
  if (errors > 0) {
    return { status: ExitStatus.FAILED, problems: [`finished with ${errors} error(s) counted; those devices may remain`] };
  }
  if (report.capped) {
    return { status: ExitStatus.CAPPED };
  }
  if (!done) {
    // The CLI sets no deadline, so the engine should always finish; never report a partial run as done.
    return { status: ExitStatus.FAILED, problems: ['the sweep stopped before the end'] };
  }
  return { status: ExitStatus.DONE };
}

function saveState(state: StateFileIndex, io: CliIo): boolean {
  try {
    state.save();
    return true;
  } catch (error) {
    io.stderr.write(`${PROGRAM_NAME}: could not save --state ${state.path}: ${oneLineError(error)}\n`);
    return false;
  }
}

/**
 * Saves the state file every `intervalMs` while the sweep runs, so a killed run (kill -9) loses at
 * most that much of the index's progress; returns the function that stops it. A failed save is
 * said once here; the final save reports for good.
 */
function saveEvery(state: StateFileIndex, intervalMs: number, io: CliIo): () => void {
  let warned = false;
  const timer = setInterval(() => {
    try {
      state.save();
    } catch (error) {
      if (!warned) io.stderr.write(`${PROGRAM_NAME}: warning: could not save --state ${state.path}: ${oneLineError(error)}\n`);
      warned = true;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

function writeCsv(path: string, pools: readonly PoolReport[], io: CliIo): boolean {
  try {
    writeFileSync(path, toCsv(pools));
    return true;
  } catch (error) {
    io.stderr.write(`${PROGRAM_NAME}: could not write --report-csv ${path}: ${oneLineError(error)}\n`);
    return false;
  }
}

function oneLineError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s*\n\s*/g, ' ');
}
