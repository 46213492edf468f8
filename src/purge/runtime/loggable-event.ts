/**
 * The part of a custom resource event that may be logged. The event carries `ResponseURL`, a
 * presigned S3 URL anyone can use to answer for this resource; it must never reach the logs. An
 * allow-list (rather than deleting that one key) keeps any future secret field out as well.
 * Usernames in the purge config (a `users` selection, `excludeUsernames`) may be e-mail addresses:
 * the logs show how many there are, not who.
 */
import { PurgeProperty } from '../purge-properties';

const LOGGABLE_FIELDS = [
  'RequestType',
  'RequestId',
  'StackId',
  'LogicalResourceId',
  'PhysicalResourceId',
  'ResourceType',
  'ResourceProperties',
  'OldResourceProperties',
  'PurgeAction',
  'ExecutionArn',
] as const;

/** A copy of the event with only the fields that are safe to log. */
export function loggableEvent(event: object): Record<string, unknown> {
  const source = event as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const field of LOGGABLE_FIELDS) {
    if (source[field] !== undefined) {
      copy[field] = field.endsWith('ResourceProperties') ? withoutUsernames(source[field]) : source[field];
    }
  }
  return copy;
}

function withoutUsernames(properties: unknown): unknown {
  const config = (properties as Record<string, unknown> | null)?.[PurgeProperty.CONFIG];
  if (typeof config !== 'string') {
    return properties;
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(config);
  } catch {
    return { ...(properties as object), [PurgeProperty.CONFIG]: '(not JSON)' };
  }
  const selection = parsed.selection as Record<string, unknown> | undefined;
  const summary = {
    ...parsed,
    ...(Array.isArray(selection?.usernames) ? { selection: { ...selection, usernames: `${selection.usernames.length} usernames` } } : {}),
    ...(Array.isArray(parsed.excludeUsernames) ? { excludeUsernames: `${parsed.excludeUsernames.length} usernames` } : {}),
  };
  return { ...(properties as object), [PurgeProperty.CONFIG]: summary };
}
