import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { SLICE_INPUT_ERROR, SWEEP_SYSTEMIC_ERROR } from './contract';

/**
 * The retries of every invocation of the slice Lambda (plan, slice, merge). LambdaInvoke already
 * retries Lambda service exceptions. Refused input and a sweep stopped by an error no retry can fix
 * (a denial, refused credentials, a missing pool) are final. A throttled invoke (the function's
 * reserved concurrency) waits; any other failure (a crash, a Lambda timeout) is retried from the
 * same input, which forgets nothing twice: a device already gone is only counted.
 */
export function addSliceRetries(task: tasks.LambdaInvoke): void {
  task.addRetry({ errors: [SLICE_INPUT_ERROR, SWEEP_SYSTEMIC_ERROR], maxAttempts: 0 });
  task.addRetry({
    errors: ['Lambda.TooManyRequestsException'],
    interval: Duration.seconds(10),
    maxAttempts: 8,
    backoffRate: 2,
    jitterStrategy: sfn.JitterType.FULL,
  });
  task.addRetry({
    errors: ['States.TaskFailed', 'States.Timeout'],
    interval: Duration.seconds(30),
    maxAttempts: 2,
    backoffRate: 4,
    jitterStrategy: sfn.JitterType.FULL,
  });
}

/** One invocation of the slice Lambda in the workflow: what differs between plan, slice and merge. */
export interface SliceInvokeProps {
  readonly comment: string;
  readonly sliceFunction: lambda.IFunction;
  /** The event (JSONata expressions in `{% %}`). */
  readonly payload: Record<string, unknown>;
  /** The variable that takes the Lambda's answer. */
  readonly resultVariable: string;
  /** Longest time of one invocation. */
  readonly timeout: Duration;
}

/** A LambdaInvoke of the slice function that assigns its answer to `resultVariable`, with the retries above. */
export function sliceInvoke(scope: Construct, id: string, props: SliceInvokeProps): tasks.LambdaInvoke {
  const task = tasks.LambdaInvoke.jsonata(scope, id, {
    comment: props.comment,
    lambdaFunction: props.sliceFunction,
    payload: sfn.TaskInput.fromObject(props.payload),
    assign: { [props.resultVariable]: '{% $states.result.Payload %}' },
    taskTimeout: sfn.Timeout.duration(props.timeout),
  });
  addSliceRetries(task);
  return task;
}
