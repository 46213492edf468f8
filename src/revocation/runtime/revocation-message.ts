/**
 * What one SQS message asks for. A message is an EventBridge event (a Cognito API call recorded by
 * CloudTrail) or a direct `{userPoolId, username | sub}`. Cognito's CloudTrail events record the
 * user's `sub` in `additionalEventData.sub` and hide the username (developer guide, "Amazon Cognito
 * information in CloudTrail": it records UserSub, not UserName, for user-specific requests); the
 * administrator calls carry `requestParameters.userPoolId`, the token- and client-authorized calls
 * (GlobalSignOut, ConfirmForgotPassword) carry no pool id: for those, the candidates are the allowed
 * pools of the event's Region, and the sub (a UUID) finds its user in at most one of them.
 */
import { checkRevocationTarget, isSub } from '../../sweep/input/revocation-target';
import type { RevocationTarget } from '../../sweep/input/revocation-target';
import { ADMIN_TRIGGERS, CLOUDTRAIL_DETAIL_TYPE, CLOUDTRAIL_SOURCE, RevocationTrigger, USER_TRIGGERS } from '../contract';

/** What to do with a message. */
export type RevocationRequest =
  /** Revoke the user in the first of these pools that knows them (one pool unless the event named none). */
  | { readonly kind: 'revoke'; readonly trigger: RevocationTrigger | 'Direct'; readonly targets: readonly RevocationTarget[]; readonly acceptedAtMs?: number }
  /** Change nothing, and report why. */
  | { readonly kind: 'ignore'; readonly reason: IgnoreReason; readonly trigger?: string };

export type IgnoreReason = 'malformed' | 'otherPool' | 'notATrigger' | 'failedCall' | 'noSub';

const TRIGGERS: readonly string[] = [...ADMIN_TRIGGERS, ...USER_TRIGGERS];

/**
 * Reads one message body. Never throws: anything it cannot use is an `ignore` with its reason,
 * because retrying an unusable message would only move it to the dead-letter queue later.
 */
export function readRevocationMessage(body: string, allowedUserPoolIds: readonly string[]): RevocationRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: 'ignore', reason: 'malformed' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { kind: 'ignore', reason: 'malformed' };
  const message = parsed as Record<string, unknown>;
  return message['detail-type'] !== undefined || message.detail !== undefined
    ? fromEvent(message, allowedUserPoolIds)
    : fromDirect(message, allowedUserPoolIds);
}

function fromDirect(message: Record<string, unknown>, allowed: readonly string[]): RevocationRequest {
  let target: RevocationTarget;
  try {
    target = checkRevocationTarget({ userPoolId: message.userPoolId, username: message.username, sub: message.sub });
  } catch {
    return { kind: 'ignore', reason: 'malformed', trigger: 'Direct' };
  }
  if (!allowed.includes(target.userPoolId)) return { kind: 'ignore', reason: 'otherPool', trigger: 'Direct' };
  return { kind: 'revoke', trigger: 'Direct', targets: [target] };
}

function fromEvent(event: Record<string, unknown>, allowed: readonly string[]): RevocationRequest {
  if (event.source !== CLOUDTRAIL_SOURCE || event['detail-type'] !== CLOUDTRAIL_DETAIL_TYPE) return { kind: 'ignore', reason: 'notATrigger' };
  const detail = objectOf(event.detail);
  if (!detail) return { kind: 'ignore', reason: 'malformed' };
  const trigger = detail.eventName;
  if (typeof trigger !== 'string' || !TRIGGERS.includes(trigger)) return { kind: 'ignore', reason: 'notATrigger', trigger: stringOr(trigger) };
  // A call Cognito refused (wrong code, unknown user) changed nothing: no reason to revoke.
  if (detail.errorCode !== undefined && detail.errorCode !== null && detail.errorCode !== '') {
    return { kind: 'ignore', reason: 'failedCall', trigger };
  }
  const sub = objectOf(detail.additionalEventData)?.sub;
  if (!isSub(sub)) return { kind: 'ignore', reason: 'noSub', trigger };
  const acceptedAtMs = timeOf(event.time) ?? timeOf(detail.eventTime);

  const named = objectOf(detail.requestParameters)?.userPoolId ?? objectOf(detail.additionalEventData)?.userPoolId;
  if (named !== undefined) {
    if (typeof named !== 'string') return { kind: 'ignore', reason: 'malformed', trigger };
    if (!allowed.includes(named)) return { kind: 'ignore', reason: 'otherPool', trigger };
    return { kind: 'revoke', trigger: trigger as RevocationTrigger, targets: [{ userPoolId: named, sub }], acceptedAtMs };
  }
  // No pool in the event: the allowed pools of its Region are the candidates.
  const region = typeof detail.awsRegion === 'string' ? detail.awsRegion : event.region;
  const candidates = allowed.filter((id) => id.startsWith(`${String(region)}_`));
  if (candidates.length === 0) return { kind: 'ignore', reason: 'otherPool', trigger };
  return { kind: 'revoke', trigger: trigger as RevocationTrigger, targets: candidates.map((userPoolId) => ({ userPoolId, sub })), acceptedAtMs };
}

function objectOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
}

function timeOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value.slice(0, 64) : undefined;
}
