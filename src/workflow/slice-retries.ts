import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
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
