/**
 * The custom resource's two handlers, with the Step Functions client and the logger injected so
 * tests can run them against a fake client. The decisions live in purge-plan.ts and
 * purge-completion.ts; this file only calls Step Functions and logs.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
// Only the handlers' Lambda bundles (esbuild, SDK inside) import this module; the constructs never do.
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { loggableEvent } from './loggable-event';
import { decideCompletion, ExecutionDescription } from './purge-completion';
import { executionArnFor, planEvent, PurgeEvent, StartPlan } from './purge-plan';
import { parsePurgeProperties } from '../purge-properties';

/** What the handlers need from their environment. */
export interface PurgeHandlerDependencies {
  readonly sfn: SFNClient;
  readonly logger: Logger;
  /** Epoch ms clock. @default Date.now */
  readonly now?: () => number;
}

/** What onEvent did, as carried to isComplete by the Provider framework (top-level fields stay out of the response). */
export type PurgeAction = 'start' | 'report-last' | 'none';

/** The onEvent answer: the physical id, plus the run to watch. */
export interface OnEventResult {
  readonly PhysicalResourceId: string;
  readonly PurgeAction: PurgeAction;
  readonly ExecutionArn?: string;
  readonly Data?: { readonly executionArn: string };
}

/** The isComplete request: the event plus what onEvent answered. */
export interface IsCompleteEvent extends PurgeEvent {
  readonly PurgeAction?: PurgeAction;
  readonly ExecutionArn?: string;
}

/** The isComplete answer. */
export interface IsCompleteResult {
  readonly IsComplete: boolean;
  readonly Data?: Record<string, string>;
}

/** A purge run that failed or timed out: CloudFormation shows the message as the failure reason. */
export class PurgeRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PurgeRunError';
  }
}

/** Value of `executionArn` when there is no run to report. */
const NO_EXECUTION = 'none';

/** Builds the onEvent handler: starts a run (or not) and answers the physical id. */
export function createOnEventHandler(deps: PurgeHandlerDependencies): (event: PurgeEvent) => Promise<OnEventResult> {
  const handle = async (event: PurgeEvent): Promise<OnEventResult> => {
    const plan = planEvent(event);
    switch (plan.action) {
      case 'none':
        deps.logger.info('Nothing to purge for this event', { reason: plan.reason });
        return { PhysicalResourceId: plan.physicalResourceId, PurgeAction: 'none' };
      case 'report-last': {
        const executionArn = await latestExecutionArn(deps.sfn, plan.properties.stateMachineArn);
        deps.logger.info('Update changes nothing that is purged: reporting the most recent run', { executionArn });
        return {
          PhysicalResourceId: plan.physicalResourceId,
          PurgeAction: 'report-last',
          ExecutionArn: executionArn,
          Data: { executionArn: executionArn ?? NO_EXECUTION },
        };
      }
      case 'start': {
        const executionArn = await startRun(deps, plan);
        return { PhysicalResourceId: plan.physicalResourceId, PurgeAction: 'start', ExecutionArn: executionArn, Data: { executionArn } };
      }
    }
  };

  return async (event) => {
    deps.logger.info('Custom resource event', { event: loggableEvent(event) });
    return deleteNeverFails(deps, event, handle, 'start',
      () => ({ PhysicalResourceId: event.PhysicalResourceId ?? '', PurgeAction: 'none' }));
  };
}

/** Builds the isComplete handler: polls the run and answers its counts, or fails with its reason. */
export function createIsCompleteHandler(deps: PurgeHandlerDependencies): (event: IsCompleteEvent) => Promise<IsCompleteResult> {
  const now = deps.now ?? Date.now;

  const handle = async (event: IsCompleteEvent): Promise<IsCompleteResult> => {
    const action = event.PurgeAction ?? 'none';
    if (action === 'none') {
      return { IsComplete: true };
    }
    const properties = parsePurgeProperties(event.ResourceProperties);
    const needsExecution = action === 'report-last' || properties.waitForCompletion || event.RequestType === 'Delete';
    const execution = needsExecution && event.ExecutionArn ?
      await describeRun(deps.sfn, event.ExecutionArn, action === 'report-last') :
      undefined;
    const completion = decideCompletion({
      requestType: event.RequestType,
      action,
      waitForCompletion: properties.waitForCompletion,
      waitLimitSeconds: properties.waitLimitSeconds,
      execution,
      nowMs: now(),
    });

    if (completion.outcome !== 'wait' && completion.stopExecution && event.ExecutionArn) {
      await stopRun(deps, event.ExecutionArn);
    }
    switch (completion.outcome) {
      case 'wait':
        return { IsComplete: false };
      case 'complete':
        if (completion.warning) {
          deps.logger.warn(completion.warning);
        }
        deps.logger.info('Purge complete', { executionArn: event.ExecutionArn, counts: completion.data });
        return { IsComplete: true, Data: completion.data };
      case 'fail':
        deps.logger.error('Purge failed', { reason: completion.reason });
        throw new PurgeRunError(completion.reason);
    }
  };

  return async (event) => {
    deps.logger.debug('isComplete poll', { event: loggableEvent(event) });
    return deleteNeverFails(deps, event, handle, 'follow', () => ({ IsComplete: true }));
  };
}

/**
 * Runs `handle`; for a DELETE, logs an error instead of throwing it and answers `success()`. A DELETE
 * that fails leaves the stack in DELETE_FAILED; nothing a purge does is worth that.
 */
async function deleteNeverFails<E extends PurgeEvent, R>(
  deps: PurgeHandlerDependencies,
  event: E,
  handle: (event: E) => Promise<R>,
  verb: 'start' | 'follow',
  success: () => R,
): Promise<R> {
  if (event.RequestType !== 'Delete') {
    return handle(event);
  }
  try {
    return await handle(event);
  } catch (error) {
    deps.logger.error(`DELETE could not ${verb} the purge; reporting success so the deletion goes on`, error as Error);
    return success();
  }
}

async function startRun(deps: PurgeHandlerDependencies, plan: StartPlan): Promise<string> {
  const { stateMachineArn } = plan.properties;
  try {
    const started = await deps.sfn.send(new StartExecutionCommand({
      stateMachineArn,
      name: plan.executionName,
      input: JSON.stringify(plan.input),
    }));
    deps.logger.info('Purge run started', { executionArn: started.executionArn });
    return started.executionArn ?? executionArnFor(stateMachineArn, plan.executionName);
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists) {
      // The same event delivered twice: follow the run the first delivery started.
      const executionArn = executionArnFor(stateMachineArn, plan.executionName);
      deps.logger.info('Purge run already started for this request', { executionArn });
      return executionArn;
    }
    throw error;
  }
}

async function latestExecutionArn(sfn: SFNClient, stateMachineArn: string): Promise<string | undefined> {
  // Step Functions lists the most recently started execution first.
  const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1 }));
  return listed.executions?.[0]?.executionArn;
}

async function describeRun(sfn: SFNClient, executionArn: string, mayBeGone: boolean): Promise<ExecutionDescription | undefined> {
  try {
    return await sfn.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    // Step Functions forgets closed executions after 90 days; an old run is then simply unknown.
    if (mayBeGone && error instanceof ExecutionDoesNotExist) {
      return undefined;
    }
    throw error;
  }
}

async function stopRun(deps: PurgeHandlerDependencies, executionArn: string): Promise<void> {
  try {
    await deps.sfn.send(new StopExecutionCommand({
      executionArn,
      error: 'DevicePurge.Timeout',
      cause: 'The custom resource stopped waiting for the purge.',
    }));
  } catch (error) {
    // The workflow's own timeout (the same as the purge's) ends the run anyway.
    deps.logger.warn('Could not stop the purge run', { executionArn, error: (error as Error).message });
  }
}
