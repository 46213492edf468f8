/**
 * The properties DevicePurge gives its custom resource, and how the handlers read them back.
 * Plain TypeScript shared by the construct (which writes them) and the handlers (which parse them).
 */
import type { SweepConfig } from '../workflow/contract';

/** Names of the custom resource properties (CloudFormation style). */
export const PurgeProperty = {
  /** ARN of the sweep workflow's state machine that runs the purge. */
  STATE_MACHINE_ARN: 'StateMachineArn',
  /** Free text; a new value purges again on update. */
  GENERATION: 'Generation',
  /** The execution `config` (SweepConfig) as a JSON string: one leaf, so CloudFormation keeps its types. */
  CONFIG: 'Config',
  /** 'true' to purge when the resource is deleted. */
  ON_DELETE: 'OnDelete',
  /** 'false' to report success as soon as the purge started. */
  WAIT_FOR_COMPLETION: 'WaitForCompletion',
  /** How long the isComplete handler waits for a run before it gives up (below the Provider's total timeout). */
  WAIT_LIMIT_SECONDS: 'WaitLimitSeconds',
} as const;

/** The parsed properties of one event. */
export interface PurgeProperties {
  readonly stateMachineArn: string;
  readonly generation: string;
  readonly config: SweepConfig;
  readonly onDelete: boolean;
  readonly waitForCompletion: boolean;
  readonly waitLimitSeconds: number;
}

/** Properties that do not come from DevicePurge (a hand-written template, a broken upgrade). */
export class PurgePropertiesError extends Error {
  constructor(message: string) {
    super(`DevicePurge custom resource: ${message}`);
    this.name = 'PurgePropertiesError';
  }
}

const STATE_MACHINE_ARN_PATTERN = /^arn:[\w-]+:states:[\w-]+:\d{12}:stateMachine:[\w-]{1,80}$/;
const SELECTION_KINDS = ['stale', 'all', 'users'];

/** Reads and checks the properties CloudFormation passed (it turns every scalar into a string). */
export function parsePurgeProperties(raw: Record<string, unknown> | undefined): PurgeProperties {
  const props = raw ?? {};
  const stateMachineArn = requireString(props, PurgeProperty.STATE_MACHINE_ARN);
  if (!STATE_MACHINE_ARN_PATTERN.test(stateMachineArn)) {
    throw new PurgePropertiesError(`${PurgeProperty.STATE_MACHINE_ARN} "${stateMachineArn}" is not a state machine ARN.`);
  }
  const waitLimitSeconds = Number(requireString(props, PurgeProperty.WAIT_LIMIT_SECONDS));
  if (!Number.isInteger(waitLimitSeconds) || waitLimitSeconds <= 0) {
    throw new PurgePropertiesError(`${PurgeProperty.WAIT_LIMIT_SECONDS} must be a positive whole number of seconds.`);
  }
  return {
    stateMachineArn,
    generation: requireString(props, PurgeProperty.GENERATION),
    config: parseConfig(requireString(props, PurgeProperty.CONFIG)),
    onDelete: parseFlag(props, PurgeProperty.ON_DELETE),
    waitForCompletion: parseFlag(props, PurgeProperty.WAIT_FOR_COMPLETION),
    waitLimitSeconds,
  };
}

/**
 * The part of a config that decides WHAT is forgotten. A change here (or of the generation) purges
 * again on update; a change of how fast (`rateBudget`) does not.
 */
export function whatToForget(config: SweepConfig): unknown {
  return {
    userPoolIds: config.userPoolIds,
    selection: config.selection,
    dryRun: config.dryRun,
    maxForgets: config.maxForgets,
    excludeUsernames: config.excludeUsernames ?? [],
    onlyRemembered: config.onlyRemembered ?? false,
  };
}

function parseConfig(text: string): SweepConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new PurgePropertiesError(`${PurgeProperty.CONFIG} is not JSON.`);
  }
  const config = value as Partial<SweepConfig> | null;
  if (typeof config !== 'object' || config === null) {
    throw new PurgePropertiesError(`${PurgeProperty.CONFIG} must be a JSON object.`);
  }
  if (!Array.isArray(config.userPoolIds) || config.userPoolIds.length === 0 ||
      !config.userPoolIds.every((id) => typeof id === 'string' && id.length > 0)) {
    throw new PurgePropertiesError(`${PurgeProperty.CONFIG}.userPoolIds must be a non-empty list of user pool ids.`);
  }
  if (typeof config.selection !== 'object' || config.selection === null || !SELECTION_KINDS.includes(config.selection.kind)) {
    throw new PurgePropertiesError(`${PurgeProperty.CONFIG}.selection.kind must be one of ${SELECTION_KINDS.join(', ')}.`);
  }
  if (typeof config.dryRun !== 'boolean') {
    throw new PurgePropertiesError(`${PurgeProperty.CONFIG}.dryRun must be true or false.`);
  }
  return config as SweepConfig;
}

function requireString(props: Record<string, unknown>, name: string): string {
  const value = props[name];
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (typeof value !== 'string' || value.length === 0) {
    throw new PurgePropertiesError(`property ${name} is missing.`);
  }
  return value;
}

function parseFlag(props: Record<string, unknown>, name: string): boolean {
  const value = requireString(props, name);
  if (value !== 'true' && value !== 'false') {
    throw new PurgePropertiesError(`property ${name} must be 'true' or 'false', got '${value}'.`);
  }
  return value === 'true';
}
