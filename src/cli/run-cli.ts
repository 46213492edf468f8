import { writeFileSync } from 'fs';
import { CognitoIdentityProviderClient, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ExitStatus } from './exit-status';
import { CliOptions, parseCommandLine, PROGRAM_NAME, QUOTA_SCALE_ENV } from './options';
import { barProgress, plainProgress, ProgressReporter, ProgressSnapshot } from './progress';
import { SweepReport, toCsv, toJsonDocument, toTable } from './report';
import { UsageError } from './usage-error';
import { createSweepClient, DOCUMENTED_QUOTAS, parseUserPoolId, SweepInputError, sweepDevices, validateSweepOptions } from '../sweep';
import type { PoolReport } from '../sweep/types';

/** Where the CLI reads and writes; main.ts passes the process's, tests pass their own. */
export interface CliIo {
  /** The report (table or JSON) and --help. */
  readonly stdout: { write(text: string): unknown };
  /** Progress and error lines. A terminal stream when `isTTY` is true (the bar needs cursor control). */
  readonly stderr: { write(text: string): unknown };
  readonly env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal: a progress bar there, plain lines otherwise. */
  readonly isTTY: boolean;
}

/**
 * Runs `cognito-device-sweep` with the given arguments (without `node` and the script path) and
 * returns its exit status (see ExitStatus). Never throws for bad input or a failed sweep.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let options: CliOptions;
  try {
    const outcome = parseCommandLine(argv, io.env, (text) => io.stdout.write(text));
    if (outcome.kind === 'help') {
      return ExitStatus.DONE;
    }
    options = outcome.options;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${PROGRAM_NAME}: ${error.message} (see --help)\n`);
      return ExitStatus.BAD_INPUT;
    }
    throw error;
  }
  return sweep(options, io);
}

async function sweep(options: CliOptions, io: CliIo): Promise<number> {
  const clients = new ClientCache(options);
  let last: ProgressSnapshot = { pools: options.userPoolIds.map(emptyReport), throttled: 0 };
  let progress: ProgressReporter | undefined;
  const sweepOptions = {
    userPoolIds: [...options.userPoolIds],
    selection: { kind: 'stale' as const, staleAfterSeconds: options.staleAfterSeconds },
    dryRun: options.dryRun,
    maxForgets: options.maxForgets,
    rateBudget: {
      fraction: options.rateBudget,
      baseQuotas: {
        UserList: DOCUMENTED_QUOTAS.UserList * options.quotaScale,
        UserResourceRead: DOCUMENTED_QUOTAS.UserResourceRead * options.quotaScale,
        UserResourceUpdate: DOCUMENTED_QUOTAS.UserResourceUpdate * options.quotaScale,
      },
    },
    clientFor: (region: string) => clients.get(region),
    onProgress: (snapshot: ProgressSnapshot) => {
      last = snapshot;
      progress?.update(snapshot);
    },
  };
  try {
    validateSweepOptions(sweepOptions);
  } catch (error) {
    if (error instanceof SweepInputError) {
      io.stderr.write(`${PROGRAM_NAME}: ${error.message} (see --help)\n`);
      return ExitStatus.BAD_INPUT;
    }
    throw error;
  }

  try {
    if (options.quotaScale !== 1) {
      io.stderr.write(`${PROGRAM_NAME}: ${QUOTA_SCALE_ENV}=${options.quotaScale}: quotas scaled for a simulator; never set it against AWS\n`);
    }
    progress = io.isTTY
      ? barProgress(io.stderr as NodeJS.WritableStream, await estimateUsers(options.userPoolIds, clients))
      : plainProgress(io.stderr);
    const startedAt = new Date();
    let report: SweepReport;
    let status: number;
    try {
      const result = await sweepDevices(sweepOptions);
      last = { pools: result.pools, throttled: result.throttled };
      progress.finish(last, result.done && !result.capped);
      report = { ...reportBase(options, result.startedAt, result.finishedAt), pools: result.pools, capped: result.capped };
      status = statusOf(report, result.done, io);
    } catch (error) {
      progress.finish(last, false);
      // The counters up to the failure are still worth printing: they say what was already forgotten.
      report = { ...reportBase(options, startedAt, new Date()), pools: last.pools, capped: false };
      io.stderr.write(`${PROGRAM_NAME}: the sweep failed: ${oneLineError(error)}\n`);
      status = ExitStatus.FAILED;
    }
    io.stdout.write(options.json ? toJsonDocument(report) + '\n' : toTable(report, options.staleAfterText));
    if (options.reportCsv !== undefined && !writeCsv(options.reportCsv, report.pools, io)) {
      status = ExitStatus.FAILED;
    }
    return status;
  } finally {
    clients.destroy();
  }
}

function reportBase(options: CliOptions, startedAt: Date | string, finishedAt: Date | string) {
  return {
    dryRun: options.dryRun,
    staleAfterSeconds: options.staleAfterSeconds,
    startedAt: new Date(startedAt),
    finishedAt: new Date(finishedAt),
  };
}

/** Failure wins over the cap: a script must not read "capped, run again" when devices failed. */
function statusOf(report: SweepReport, done: boolean, io: CliIo): number {
  const errors = report.pools.reduce((sum, pool) => sum + pool.errors, 0);
  if (errors > 0) {
    io.stderr.write(`${PROGRAM_NAME}: finished with ${errors} error(s) counted; those devices may remain\n`);
    return ExitStatus.FAILED;
  }
  if (report.capped) {
    return ExitStatus.CAPPED;
  }
  if (!done) {
    io.stderr.write(`${PROGRAM_NAME}: the sweep stopped before the end\n`);
    return ExitStatus.FAILED;
  }
  return ExitStatus.DONE;
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

function emptyReport(userPoolId: string): PoolReport {
  return {
    userPoolId,
    usersScanned: 0,
    devicesScanned: 0,
    devicesStale: 0,
    devicesForgotten: 0,
    devicesAlreadyGone: 0,
    devicesUndated: 0,
    errors: 0,
  };
}

function oneLineError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s*\n\s*/g, ' ');
}

/**
 * The bar's total: the sum of the pools' EstimatedNumberOfUsers. Best effort (DescribeUserPool is
 * an optional permission and its own quota category): any failure just means a bar without total.
 */
async function estimateUsers(userPoolIds: readonly string[], clients: ClientCache): Promise<number | undefined> {
  const estimates = await Promise.allSettled(
    userPoolIds.map((id) => clients.get(parseUserPoolId(id).region).send(new DescribeUserPoolCommand({ UserPoolId: id }))),
  );
  let total = 0;
  for (const estimate of estimates) {
    const users = estimate.status === 'fulfilled' ? estimate.value.UserPool?.EstimatedNumberOfUsers : undefined;
    if (users === undefined) {
      return undefined;
    }
    total += users;
  }
  return total;
}

/**
 * The engine's clients (its retry and connection settings), one per Region called, made here so
 * that --region can override the pools' Regions and the bar's DescribeUserPool reuses them.
 */
class ClientCache {
  private readonly clients = new Map<string, CognitoIdentityProviderClient>();

  constructor(private readonly options: CliOptions) {}

  get(poolRegion: string): CognitoIdentityProviderClient {
    const region = this.options.region ?? poolRegion;
    let client = this.clients.get(region);
    if (!client) {
      client = createSweepClient(region, { endpoint: this.options.endpointUrl });
      this.clients.set(region, client);
    }
    return client;
  }

  destroy(): void {
    for (const client of this.clients.values()) {
      client.destroy();
    }
  }
}
