/**
 * What the onEvent handler does with one CloudFormation event: start a purge run, report the last
 * run again, or do nothing. Plain TypeScript, no SDK: the handler only carries the decision out.
 */
import type { SweepExecutionInput } from '../../workflow/contract';
import { parsePurgeProperties, PurgeProperties, whatToForget } from '../purge-properties';

/** Prefix of every physical id DevicePurge issues, so a DELETE can tell its own ids from others. */
export const PHYSICAL_ID_PREFIX = 'cognito-device-purge/';

/** The fields of a custom resource event (as the CDK Provider framework passes it) that the plan reads. */
export interface PurgeEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly RequestId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties?: Record<string, unknown>;
  readonly OldResourceProperties?: Record<string, unknown>;
}

/** Start a run of the sweep workflow. */
export interface StartPlan {
  readonly action: 'start';
  readonly physicalResourceId: string;
  readonly properties: PurgeProperties;
  /** Derived from the request id: a retried event finds the run it already started. */
  readonly executionName: string;
  readonly input: SweepExecutionInput;
}

/**
 * Start nothing and report the most recent run again. CloudFormation keeps only the attributes of
 * the latest response, so an update that does not purge must still answer every attribute.
 */
export interface ReportLastPlan {
  readonly action: 'report-last';
  readonly physicalResourceId: string;
  readonly properties: PurgeProperties;
}

/** Do nothing at all (a DELETE without `onDelete`, or for a physical id DevicePurge never issued). */
export interface NothingPlan {
  readonly action: 'none';
  readonly physicalResourceId: string;
  readonly reason: string;
}

/** What to do with one event. */
export type PurgePlan = StartPlan | ReportLastPlan | NothingPlan;

/**
 * Decides what one event does. Throws PurgePropertiesError on CREATE/UPDATE properties DevicePurge
 * did not write; the handler turns a DELETE's errors into "nothing" so a DELETE never fails.
 */
export function planEvent(event: PurgeEvent): PurgePlan {
  switch (event.RequestType) {
    case 'Create': {
      const properties = parsePurgeProperties(event.ResourceProperties);
      return startPlan(event, physicalIdFor(event.RequestId), properties);
    }
    case 'Update': {
      const properties = parsePurgeProperties(event.ResourceProperties);
      // The physical id never changes: a new one would make CloudFormation DELETE the old one,
      // which with `onDelete` would purge again.
      const physicalResourceId = event.PhysicalResourceId ?? physicalIdFor(event.RequestId);
      if (purgeChanged(event.OldResourceProperties, properties)) {
        return startPlan(event, physicalResourceId, properties);
      }
      return { action: 'report-last', physicalResourceId, properties };
    }
    case 'Delete':
      return planDelete(event);
    default:
      throw new Error(`Unknown RequestType "${(event as { RequestType: unknown }).RequestType}".`);
  }
}

/** True for physical ids this handler issued (not the Provider framework's markers or defaults). */
export function isOwnPhysicalId(physicalResourceId: string | undefined): boolean {
  return physicalResourceId !== undefined && physicalResourceId.startsWith(PHYSICAL_ID_PREFIX) &&
    /^[A-Za-z0-9-]{1,80}$/.test(physicalResourceId.slice(PHYSICAL_ID_PREFIX.length));
}

/** The ARN of the execution `executionName` of the state machine `stateMachineArn`. */
export function executionArnFor(stateMachineArn: string, executionName: string): string {
  const parts = stateMachineArn.split(':');
  // arn:partition:states:region:account:stateMachine:name -> arn:partition:states:region:account:execution:name:executionName
  return [...parts.slice(0, 5), 'execution', parts[6], executionName].join(':');
}

function planDelete(event: PurgeEvent): PurgePlan {
  const physicalResourceId = event.PhysicalResourceId ?? '';
  if (!isOwnPhysicalId(physicalResourceId)) {
    // CloudFormation deletes a resource whose CREATE failed before this handler returned an id,
    // under an id it made up: nothing was created, so there is nothing to purge.
    return { action: 'none', physicalResourceId, reason: `physical id "${physicalResourceId}" was not issued by DevicePurge` };
  }
  const properties = parsePurgeProperties(event.ResourceProperties);
  if (!properties.onDelete) {
    return { action: 'none', physicalResourceId, reason: 'onDelete is false' };
  }
  return startPlan(event, physicalResourceId, properties);
}

function startPlan(event: PurgeEvent, physicalResourceId: string, properties: PurgeProperties): StartPlan {
  return {
    action: 'start',
    physicalResourceId,
    properties,
    executionName: `purge-${event.RequestType.toLowerCase()}-${sanitize(event.RequestId)}`.slice(0, 80),
    input: { config: properties.config },
  };
}

function purgeChanged(oldRaw: Record<string, unknown> | undefined, current: PurgeProperties): boolean {
  let old: PurgeProperties;
  try {
    old = parsePurgeProperties(oldRaw);
  } catch {
    return true; // old properties from an unknown writer: purge rather than guess
  }
  return old.generation !== current.generation ||
    canonicalJson(whatToForget(old.config)) !== canonicalJson(whatToForget(current.config));
}

function physicalIdFor(requestId: string): string {
  return `${PHYSICAL_ID_PREFIX}${sanitize(requestId)}`.slice(0, PHYSICAL_ID_PREFIX.length + 80);
}

/** Execution names and our ids allow letters, digits and dashes only; request ids are UUIDs. */
function sanitize(text: string): string {
  return text.replace(/[^A-Za-z0-9-]/g, '-');
}

/** JSON with object keys sorted, so that equal values compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
    }
    return v;
  });
}
