/**
 * The part of a custom resource event that may be logged. The event carries `ResponseURL`, a
 * presigned S3 URL anyone can use to answer for this resource; it must never reach the logs. An
 * allow-list (rather than deleting that one key) keeps any future secret field out as well.
 */
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
      copy[field] = source[field];
    }
  }
  return copy;
}

