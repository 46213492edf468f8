/**
 * One SQS batch: every message read, the revocations run at once (the revoker's shared budget
 * paces them), and the messages whose revocation failed reported as batch item failures, so SQS
 * delivers them again and, after maxReceiveCount, moves them to the dead-letter queue. Messages
 * that change nothing (another pool, malformed, unknown user) succeed: retrying cannot help them.
 * No usernames or subs in logs: pools, triggers, counts and message ids only.
 */
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { readRevocationMessage, RevocationRequest } from './revocation-message';
import type { RevocationResult, RevocationTarget } from '../../sweep/revocation';
import { RevocationMetricNames } from '../contract';

/** What the batch needs from the outside. */
export interface BatchContext {
  readonly allowedUserPoolIds: readonly string[];
  readonly revoke: (target: RevocationTarget) => Promise<RevocationResult>;
  readonly metric: (name: string, value: number, unit: 'Count' | 'Milliseconds') => void;
  readonly log: (level: 'info' | 'warn' | 'error', message: string, extra: object) => void;
  /** Epoch ms. @default Date.now */
  readonly now?: () => number;
}

/** Handles one batch; never rejects. */
export async function revokeBatch(records: readonly SQSRecord[], ctx: BatchContext): Promise<SQSBatchResponse> {
  const failures = await Promise.all(records.map(async (record) => (await handleRecord(record, ctx)) ? undefined : record.messageId));
  return { batchItemFailures: failures.filter((id): id is string => id !== undefined).map((itemIdentifier) => ({ itemIdentifier })) };
}

/** True when the message may leave the queue. */
async function handleRecord(record: SQSRecord, ctx: BatchContext): Promise<boolean> {
  const request = readRevocationMessage(record.body, ctx.allowedUserPoolIds);
  if (request.kind === 'ignore') {
    ignored(ctx, record, request.reason, request.trigger);
    return true;
  }
  try {
    const outcome = await revokeInFirstKnowingPool(request, ctx);
    if (!outcome) {
      ignored(ctx, record, 'unknownUser', request.trigger, request.targets.map((t) => t.userPoolId));
      return true;
    }
    const now = (ctx.now ?? Date.now)();
    const acceptedAtMs = request.acceptedAtMs ?? Number(record.attributes.SentTimestamp);
    ctx.metric(RevocationMetricNames.USERS_REVOKED, 1, 'Count');
    ctx.metric(RevocationMetricNames.DEVICES_REVOKED, outcome.result.devicesForgotten, 'Count');
    if (Number.isFinite(acceptedAtMs)) ctx.metric(RevocationMetricNames.REVOCATION_LATENCY, Math.max(0, now - acceptedAtMs), 'Milliseconds');
    ctx.log('info', 'user revoked', {
      messageId: record.messageId,
      trigger: request.trigger,
      userPoolId: outcome.userPoolId,
      resolvedBy: outcome.result.resolvedBy,
      devicesFound: outcome.result.devicesFound,
      devicesForgotten: outcome.result.devicesForgotten,
      devicesAlreadyGone: outcome.result.devicesAlreadyGone,
    });
    return true;
  } catch (error) {
    ctx.metric(RevocationMetricNames.REVOCATIONS_FAILED, 1, 'Count');
    ctx.log('error', 'revocation failed; the message returns to the queue', {
      messageId: record.messageId,
      trigger: request.trigger,
      userPoolIds: request.targets.map((t) => t.userPoolId),
      receiveCount: record.attributes.ApproximateReceiveCount,
      error: error instanceof Error ? error.name : 'Error',
    });
    return false;
  }
}

async function revokeInFirstKnowingPool(
  request: Extract<RevocationRequest, { kind: 'revoke' }>, ctx: BatchContext,
): Promise<{ userPoolId: string; result: RevocationResult } | undefined> {
  for (const target of request.targets) {
    const result = await ctx.revoke(target);
    if (result.outcome === 'revoked') return { userPoolId: target.userPoolId, result };
  }
  return undefined;
}

function ignored(ctx: BatchContext, record: SQSRecord, reason: string, trigger?: string, userPoolIds?: string[]): void {
  ctx.metric(RevocationMetricNames.MESSAGES_IGNORED, 1, 'Count');
  ctx.log('warn', 'message changes nothing', { messageId: record.messageId, reason, trigger, userPoolIds });
}
