/**
 * The slice Lambda of the sweep workflow: the state machine invokes it again and again, each time with
 * the run's config and the progress of the slice before, until the returned progress says `done`.
 * The same function plans the run (`action: 'plan'`: the quota domains the Map iterates over) and
 * merges the domains' outcomes (`action: 'merge'`: the execution output, and the run's metrics).
 * All logic lives in slice-logic.ts; this file only wires the environment, the engine and Powertools.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { CognitoIdentityProviderClient, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import {
  METRICS_NAMESPACE,
  SliceEnvironmentVariables,
  SliceInputError,
  SweepAccountRole,
  SweepMetric,
  SweepPlan,
  SweepRunOutput,
  SweepRunProgress,
  SWEEP_NAME_DIMENSION,
} from '../contract';
import { auditObjectKey, S3AuditSink } from './s3-audit-sink';
import { isDomainSlice, runStep, SliceAudit, SliceMetric, SliceOutcome, sliceMetrics, StoppedSliceError } from './slice-logic';
import { sweepDevices } from '../../sweep';
import type { SweepLogger } from '../../sweep';
import { AccountCredentials } from '../../sweep/calls/account-credentials';
import { bareUserPoolId, parseUserPoolRef } from '../../sweep/input/pool-id';
import { DynamoDbNextCheckIndex } from '../../sweep/next-check/stores/dynamodb-index';
import { INDEX_TABLE_ENV } from '../../sweep/next-check/stores/table-schema';

const SERVICE_NAME = 'cognito-device-sweep';

const logger = new Logger({ serviceName: SERVICE_NAME });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
// Powertools adds a `service` dimension by default; the constructs' metric helpers and alarms match on
// `SweepName` alone, so that is the only dimension.
metrics.clearDefaultDimensions();
metrics.setDefaultDimensions({ [SWEEP_NAME_DIMENSION]: requiredEnv(SliceEnvironmentVariables.SWEEP_NAME) });

/** The engine's logger interface on Powertools' Logger (pool starts and ends, errors). */
const engineLogger: SweepLogger = {
  info: (message, extra) => logger.info(message, { ...extra }),
  warn: (message, extra) => logger.warn(message, { ...extra }),
};

/** The next-check index, when the construct created its table (incremental runs). */
const indexTableName = process.env[INDEX_TABLE_ENV];
const nextCheckIndex = indexTableName ? new DynamoDbNextCheckIndex({ client: new DynamoDBClient({}), tableName: indexTableName }) : undefined;

const sweepName = requiredEnv(SliceEnvironmentVariables.SWEEP_NAME);

/** The audit trail, when the construct set a bucket: one object per slice. */
const audit = auditFromEnvironment();

const allowedUserPoolIds = listEnv(SliceEnvironmentVariables.ALLOWED_USER_POOL_IDS, true);

/** Roles the slice may assume for pools of other accounts; unset or empty: none. */
const allowedRoleArns = listEnv(SliceEnvironmentVariables.ALLOWED_ACCOUNT_ROLE_ARNS, false);

/**
 * Runs what the event asks and returns its answer, or throws: `SliceInputError` for an event to
 * refuse (not retried by the workflow), anything else for a failure the workflow retries.
 * - a slice (no `action`): the run's (or the domain's loop's) next progress;
 * - `action: 'plan'`: the quota domains (`SweepPlan`);
 * - `action: 'merge'`: the run's output (`SweepRunOutput`), after emitting the run's metrics.
 */
export async function handler(event: unknown, context: Context): Promise<SweepRunProgress | SweepPlan | SweepRunOutput> {
  logger.addContext(context);
  try {
    const step = await runStep(event, {
      allowedUserPoolIds,
      allowedRoleArns,
      accountId: accountOfFunction(context.invokedFunctionArn),
      remainingTimeMs: context.getRemainingTimeInMillis(),
      sweep: sweepDevices,
      engineOptions: { logger: engineLogger, nextCheckIndex },
      audit,
      estimateUsers,
    });
    switch (step.action) {
      case 'plan':
        logger.info('run planned', { domains: step.plan.domains.map((d) => ({ domain: d.domain.key, pools: d.config.userPoolIds, maxForgets: d.config.maxForgets })) });
        return step.plan;
      case 'merge':
        addMetrics(step.metrics);
        logger.info('run merged', {
          domains: step.output.domains, failedDomains: step.output.failedDomains, capped: step.output.capped, totals: step.output.totals,
        });
        return step.output;
      default:
        addMetrics(sliceMetrics(step.outcome));
        if (step.outcome.progress.stopped) {
          // The domain's loop ends failed (DomainStopped), its counts kept; the merge counts the failure.
          logStopped(step.outcome.progress.stopped.cause, step.outcome);
        } else {
          logger.info('slice finished', sliceSummary(step.outcome));
        }
        return step.outcome.progress;
    }
  } catch (error) {
    // A domain's failure is counted once, by the merge (DomainsFailed, RunsFailed); a run's only loop's, here.
    const domainSlice = isDomainSlice(event);
    if (error instanceof StoppedSliceError) {
      // Only a run's only loop throws it (a domain's slice returns `stopped`): what the slice did
      // before the stop still counts; the state machine does not retry, the run ends failed.
      addMetrics(sliceMetrics(error.outcome));
      metrics.addMetric(SweepMetric.RUNS_FAILED, MetricUnit.Count, 1);
      logStopped(error.message, error.outcome);
      throw error;
    }
    if (error instanceof SliceInputError && !domainSlice) {
      // The state machine does not retry a refused event, so this run ends here.
      metrics.addMetric(SweepMetric.RUNS_FAILED, MetricUnit.Count, 1);
    }
    logger.error('slice failed', error as Error);
    throw error;
  } finally {
    metrics.publishStoredMetrics();
  }
}

function addMetrics(list: readonly SliceMetric[]): void {
  for (const metric of list) {
    metrics.addMetric(metric.name, metric.name === SweepMetric.RUN_DURATION ? MetricUnit.Seconds : MetricUnit.Count, metric.value);
  }
}

/** The account of the function (`arn:aws:lambda:<region>:<account>:function:<name>`), when its ARN says. */
function accountOfFunction(arn: string | undefined): string | undefined {
  return arn ? /^arn:[^:]+:lambda:[^:]*:(\d{12}):/.exec(arn)?.[1] : undefined;
}

/** Counts and pool ids only: usernames and the cursor (which may name a user) stay out of the logs. */
/** A slice that an error no retry can fix stopped: why, and what it did. */
function logStopped(reason: string, outcome: SliceOutcome): void {
  logger.error('slice stopped: an error no retry can fix', { reason, ...sliceSummary(outcome) });
}

function sliceSummary(outcome: SliceOutcome): Record<string, unknown> {
  return {
    done: outcome.progress.done,
    capped: outcome.progress.capped,
    slices: outcome.progress.slices,
    slice: outcome.result.pools,
    totals: outcome.progress.totals,
    calls: outcome.result.calls,
    throttled: outcome.result.throttled,
    // Users done and estimated seconds left per pool.
    progress: outcome.progress.pools,
  };
}

/**
 * Cognito's estimate of each pool's users (by the pool as given: id or ARN), for the time-left
 * estimates and the plan's split of the cap; a pool that cannot tell is left out. The pools of an
 * account with a role are asked with that role (one session per account, named as the sweep's).
 */
async function estimateUsers(
  userPoolIds: readonly string[], accountRoles: readonly SweepAccountRole[] = [], runId?: string,
): Promise<ReadonlyMap<string, number>> {
  const roles = new Map(accountRoles.map((role) => [role.accountId, role] as const));
  // The engine's per-account providers: one session per account, named as the sweep's.
  const credentials = new AccountCredentials({ runId: runId ?? 'estimate', logger: engineLogger });
  const estimates = new Map<string, number>();
  await Promise.all(userPoolIds.map(async (ref) => {
    const { region, accountId } = parseUserPoolRef(ref);
    const role = accountId === undefined ? undefined : roles.get(accountId);
    const provider = role ? credentials.for(role, region) : undefined;
    const client = new CognitoIdentityProviderClient({ region, ...(provider ? { credentials: provider } : {}) });
    try {
      const users = (await client.send(new DescribeUserPoolCommand({ UserPoolId: bareUserPoolId(ref) }))).UserPool?.EstimatedNumberOfUsers;
      if (users !== undefined) estimates.set(ref, users);
    } catch (error) {
      logger.warn('DescribeUserPool failed; no estimate of this pool\'s users', { userPoolId: ref, error: (error as Error).name });
    } finally {
      client.destroy();
    }
  }));
  return estimates;
}

function auditFromEnvironment(): SliceAudit | undefined {
  const bucket = process.env[SliceEnvironmentVariables.AUDIT_BUCKET];
  if (!bucket) return undefined;
  const prefix = process.env[SliceEnvironmentVariables.AUDIT_PREFIX] ?? '';
  const secretId = process.env[SliceEnvironmentVariables.AUDIT_USERNAME_KEY_SECRET];
  const s3 = new S3Client({});
  let key: Promise<string> | undefined;
  return {
    sinkFor: (executionName, slice, cursor, domain) =>
      new S3AuditSink(s3, { bucket, key: auditObjectKey(prefix, sweepName, executionName, slice, cursor, domain) }),
    // Read once per container; a failed read is retried by the next slice.
    usernameKey: secretId ? () => (key ??= readSecret(secretId).catch((error) => {
      key = undefined;
      throw error;
    })) : undefined,
  };
}

async function readSecret(secretId: string): Promise<string> {
  const result = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!result.SecretString) throw new Error(`The audit key secret ${secretId} has no string value.`);
  return result.SecretString;
}

/** A comma-separated list (blanks dropped); `required`: unset is an error, else an empty list. */
function listEnv(name: string, required: boolean): string[] {
  const value = required ? requiredEnv(name) : process.env[name] ?? '';
  return value.split(',').map((item) => item.trim()).filter((item) => item.length > 0);
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`Environment variable ${name} is not set; the sweep workflow construct sets it.`);
  }
  return value;
}
