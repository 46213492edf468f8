/**
 * The revocation Lambda: SQS batches of Cognito security events (EventBridge, from CloudTrail) and
 * direct messages; every device of each user forgotten. Logic lives in revoke-batch.ts; this file
 * wires the environment, the engine and Powertools. One revoker per container, so its rate budget
 * holds across batches.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { revokeBatch } from './revoke-batch';
import { DeviceRevoker } from '../../sweep/revocation';
import { METRICS_NAMESPACE, SWEEP_NAME_DIMENSION } from '../../workflow/contract';
import { RevocationEnvironmentVariables as Env } from '../contract';

const SERVICE_NAME = 'cognito-device-revocation';

const logger = new Logger({ serviceName: SERVICE_NAME });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
// Only the SweepName dimension, as the construct's metric helpers expect.
metrics.clearDefaultDimensions();
metrics.setDefaultDimensions({ [SWEEP_NAME_DIMENSION]: requiredEnv(Env.SWEEP_NAME) });

const allowedUserPoolIds = requiredEnv(Env.ALLOWED_USER_POOL_IDS).split(',').map((id) => id.trim()).filter((id) => id.length > 0);
const fraction = Number(process.env[Env.RATE_BUDGET] ?? '0.5');
const readProvisionedLimits = process.env[Env.READ_PROVISIONED_LIMITS] === 'true';
const revoker = new DeviceRevoker({
  rateBudget: { fraction, readProvisionedLimits },
  dryRun: process.env[Env.DRY_RUN] === 'true',
  logger: { info: (message, extra) => logger.info(message, { ...extra }), warn: (message, extra) => logger.warn(message, { ...extra }) },
});

/** Handles one SQS batch and reports the messages to deliver again. */
export async function handler(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
  if (context) logger.addContext(context);
  try {
    return await revokeBatch(event.Records ?? [], {
      allowedUserPoolIds,
      revoke: (target) => revoker.revoke(target),
      metric: (name, value, unit) => metrics.addMetric(name, unit === 'Count' ? MetricUnit.Count : MetricUnit.Milliseconds, value),
      log: (level, message, extra) => logger[level](message, { ...extra }),
    });
  } finally {
    metrics.publishStoredMetrics();
  }
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}
