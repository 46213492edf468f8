/**
 * The cdk-nag findings the sweep workflow cannot fix, each acknowledged on the one resource it is
 * about, with the reason it does not apply. Everything else the six built-in packs check is fixed in
 * the constructs themselves (log levels, tracing, retention, concurrency, managed policies...).
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { wildcardResourceFindingId } from '../private/finding-resource';
import {
  acknowledgeInEveryPack, acknowledgeOnResource, acknowledgePinnedRuntime, LAMBDA_DLQ, LAMBDA_INSIDE_VPC, LOG_GROUP_ENCRYPTED,
  PROVISIONED_LIMIT_ON_STAR,
} from '../private/nag-packs';

/** The resources of one workflow whose findings are acknowledged. */
export interface WorkflowNagTargets {
  readonly sliceFunction: lambda.Function;
  readonly slicePolicy: iam.ManagedPolicy;
  readonly stateMachinePolicy: iam.ManagedPolicy;
  /** Log groups; their encryption findings are acknowledged only when no customer managed key is used. */
  readonly unencryptedLogGroups: logs.LogGroup[];
  /** ARN pattern of the audit objects the slice may write, when the sweep has an audit trail. */
  readonly auditObjects?: string;
  /** True when the slice may read the account's provisioned limits (GetProvisionedLimit on "*"). */
  readonly readsProvisionedLimits?: boolean;
  /** ARN patterns of the state machine's own executions, when a Distributed Map runs child executions. */
  readonly ownExecutions?: string[];
}

/** Acknowledges the workflow's unavoidable findings, one rule id on one resource each. */
export function acknowledgeWorkflowFindings(targets: WorkflowNagTargets): void {
  const fn = targets.sliceFunction;

  acknowledgeOnResource(targets.slicePolicy, 'AwsSolutions-IAM5[Resource::*]',
    'Only actions without a resource type are on "*": the X-Ray actions xray:PutTraceSegments and xray:PutTelemetryRecords ' +
    '(active tracing)' + (targets.readsProvisionedLimits
      ? ` and ${PROVISIONED_LIMIT_ON_STAR}`
      : '') +
    '. The Cognito device actions are on the exact user pool ARNs, the logs actions on the function\'s own log group.');

  acknowledgeOnResource(targets.stateMachinePolicy, 'AwsSolutions-IAM5[Resource::*]',
    'Only actions without a resource type are on "*": the CloudWatch Logs delivery actions Step Functions needs ' +
    'to log (logs:CreateLogDelivery, logs:GetLogDelivery, logs:UpdateLogDelivery, logs:DeleteLogDelivery, ' +
    'logs:ListLogDeliveries, logs:PutResourcePolicy, logs:DescribeResourcePolicies, logs:DescribeLogGroups) ' +
    'and the X-Ray tracing actions.');

  acknowledgeOnResource(targets.stateMachinePolicy, wildcardResourceFindingId(targets.stateMachinePolicy, `${fn.functionArn}:*`),
    'The wildcard only covers versions and aliases of the slice function itself (lambda:InvokeFunction), ' +
    'as the Step Functions LambdaInvoke task grants it.');

  for (const executions of targets.ownExecutions ?? []) {
    acknowledgeOnResource(targets.stateMachinePolicy, wildcardResourceFindingId(targets.stateMachinePolicy, executions),
      'The wildcard covers executions of this state machine only: the Distributed Map over quota domains watches, ' +
      'stops and redrives its child executions (states:DescribeExecution, states:StopExecution, states:RedriveExecution), ' +
      'whose ids Step Functions generates at run time.');
  }

  acknowledgeInEveryPack(fn, LAMBDA_DLQ,
    'The function is only invoked synchronously by the Step Functions workflow, which retries a failed slice ' +
    'and records the failure in the execution; a dead-letter queue only receives asynchronous invocations.');
  acknowledgeInEveryPack(fn, LAMBDA_INSIDE_VPC,
    'The function accepts no network connections and reaches only public AWS APIs with SigV4 over TLS (Cognito in ' +
    'each swept pool\'s Region, CloudWatch Logs, X-Ray); a VPC would add NAT or interface endpoints per Region ' +
    'without narrowing what it can reach, which IAM already limits to the swept pools.');
  acknowledgePinnedRuntime(fn);
  if (targets.auditObjects) {
    acknowledgeOnResource(targets.slicePolicy, wildcardResourceFindingId(targets.slicePolicy, targets.auditObjects),
      'The wildcard covers the objects of this sweep\'s own audit prefix only: one object per slice, named after the ' +
      'execution, which is not known at deploy time (s3:PutObject, and s3:GetObject so a retried slice keeps its first attempt\'s records).');
  }
  for (const logGroup of targets.unencryptedLogGroups) {
    acknowledgeInEveryPack(logGroup, LOG_GROUP_ENCRYPTED,
      'CloudWatch Logs encrypts this log group at rest with a key it manages; it holds run summaries ' +
      '(pool ids, counts, error messages), no credentials and no device data. Pass logEncryptionKey to use ' +
      'a customer managed key instead.');
  }
}
