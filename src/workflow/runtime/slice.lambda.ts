/**
 * The slice Lambda of the sweep workflow: the state machine invokes it again and again, each time with
 * the run's config and the progress of the slice before, until the returned progress says `done`.
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
  SweepMetric,
  SweepRunProgress,
  SWEEP_NAME_DIMENSION,
} from '../contract';
import { auditObjectKey, S3AuditSink } from './s3-audit-sink';
import { runSlice, SliceAudit, SliceOutcome, sliceMetrics, StoppedSliceError } from './slice-logic';
import { parseUserPoolId, sweepDevices } from '../../sweep';
import type { SweepLogger } from '../../sweep';
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

const allowedUserPoolIds = requiredEnv(SliceEnvironmentVariables.ALLOWED_USER_POOL_IDS)
  .split(',')
  .map((id) => id.trim())
  .filter((id) => id.length > 0);

/**
 * Runs one slice and returns the run's next progress, or throws: `SliceInputError` for an event to
 * refuse (not retried by the workflow), anything else for a failure the workflow retries.
 */
export async function handler(event: unknown, context: Context): Promise<SweepRunProgress> {
  logger.addContext(context);
  try {
    const outcome = await runSlice(event, {
      allowedUserPoolIds,
      remainingTimeMs: context.getRemainingTimeInMillis(),
      sweep: sweepDevices,
      engineOptions: { logger: engineLogger, nextCheckIndex },
      audit,
      estimateUsers,
    });
    addSliceMetrics(outcome);
    logger.info('slice finished', sliceSummary(outcome));
    return outcome.progress;
  } catch (error) {
    if (error instanceof StoppedSliceError) {
      // What the slice did before the stop still counts; the state machine does not retry, the run ends failed.
      addSliceMetrics(error.outcome);
      metrics.addMetric(SweepMetric.RUNS_FAILED, MetricUnit.Count, 1);
      logger.error('slice stopped: an error no retry can fix', { reason: error.message, ...sliceSummary(error.outcome) });
      throw error;
    }
    if (error instanceof SliceInputError) {
      // The state machine does not retry a refused event, so this run ends here.
      metrics.addMetric(SweepMetric.RUNS_FAILED, MetricUnit.Count, 1);
    }
    logger.error('slice failed', error as Error);
    throw error;
  } finally {
    metrics.publishStoredMetrics();
  }
}

function addSliceMetrics(outcome: SliceOutcome): void {
  for (const metric of sliceMetrics(outcome)) {
    metrics.addMetric(metric.name, metric.name === SweepMetric.RUN_DURATION ? MetricUnit.Seconds : MetricUnit.Count, metric.value);
  }
}

/** Counts and pool ids only: usernames and the cursor (which may name a user) stay out of the logs. */
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

/** Cognito's estimate of each pool's users, for the time-left estimates; a pool that cannot tell is left out. */
async function estimateUsers(userPoolIds: readonly string[]): Promise<ReadonlyMap<string, number>> {
  const estimates = new Map<string, number>();
  await Promise.all(userPoolIds.map(async (id) => {
    const client = new CognitoIdentityProviderClient({ region: parseUserPoolId(id).region });
    try {
      const users = (await client.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool?.EstimatedNumberOfUsers;
      if (users !== undefined) estimates.set(id, users);
    } catch (error) {
      logger.warn('DescribeUserPool failed; no time-left estimate for this pool', { userPoolId: id, error: (error as Error).name });
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
    sinkFor: (executionName, slice, cursor) => new S3AuditSink(s3, { bucket, key: auditObjectKey(prefix, sweepName, executionName, slice, cursor) }),
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

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`Environment variable ${name} is not set; the sweep workflow construct sets it.`);
  }
  return value;
}
