/**
 * The cdk-nag findings the sweep workflow cannot fix, each acknowledged on the one resource it is
 * about, with the reason it does not apply. Everything else the six built-in packs check is fixed in
 * the constructs themselves (log levels, tracing, retention, concurrency, managed policies...).
 */
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { acknowledgeFinding } from '../private/acknowledge-finding';

/** The resources of one workflow whose findings are acknowledged. */
export interface WorkflowNagTargets {
  readonly sliceFunction: lambda.Function;
  readonly slicePolicy: iam.ManagedPolicy;
  readonly stateMachinePolicy: iam.ManagedPolicy;
  /** Log groups; their encryption findings are acknowledged only when no customer managed key is used. */
  readonly unencryptedLogGroups: logs.LogGroup[];
}

const PACKS_WITH_LOG_ENCRYPTION = ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321'];
const PACKS_WITH_LAMBDA_IN_VPC = ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321'];
const PACKS_WITH_LAMBDA_DLQ = ['HIPAA.Security', 'NIST.800.53.R5', 'Serverless'];

/** Acknowledges the workflow's unavoidable findings, one rule id on one resource each. */
export function acknowledgeWorkflowFindings(targets: WorkflowNagTargets): void {
  const fn = cfn(targets.sliceFunction);

  acknowledge(cfn(targets.slicePolicy), 'AwsSolutions-IAM5[Resource::*]',
    'Only the X-Ray actions xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) are on "*": ' +
    'they have no resource type. The Cognito actions are on the exact user pool ARNs, the logs actions on the function\'s own log group.');

  acknowledge(cfn(targets.stateMachinePolicy), 'AwsSolutions-IAM5[Resource::*]',
    'Only actions without a resource type are on "*": the CloudWatch Logs delivery actions Step Functions needs ' +
    'to log (logs:CreateLogDelivery, logs:GetLogDelivery, logs:UpdateLogDelivery, logs:DeleteLogDelivery, ' +
    'logs:ListLogDeliveries, logs:PutResourcePolicy, logs:DescribeResourcePolicies, logs:DescribeLogGroups) ' +
    'and the X-Ray tracing actions.');

  const functionLogicalId = Stack.of(fn).getLogicalId(fn);
  acknowledge(cfn(targets.stateMachinePolicy), `AwsSolutions-IAM5[Resource::<${functionLogicalId}.Arn>:*]`,
    'The wildcard only covers versions and aliases of the slice function itself (lambda:InvokeFunction), ' +
    'as the Step Functions LambdaInvoke task grants it.');

  for (const pack of PACKS_WITH_LAMBDA_DLQ) {
    acknowledge(fn, `${pack}-LambdaDLQ`,
      'The function is only invoked synchronously by the Step Functions workflow, which retries a failed slice ' +
      'and records the failure in the execution; a dead-letter queue only receives asynchronous invocations.');
  }
  for (const pack of PACKS_WITH_LAMBDA_IN_VPC) {
    acknowledge(fn, `${pack}-LambdaInsideVPC`,
      'The function accepts no network connections and reaches only public AWS APIs with SigV4 over TLS (Cognito in ' +
      'each swept pool\'s Region, CloudWatch Logs, X-Ray); a VPC would add NAT or interface endpoints per Region ' +
      'without narrowing what it can reach, which IAM already limits to the swept pools.');
  }
  if (!isLatestRuntime(targets.sliceFunction.runtime)) {
    for (const ruleId of ['AwsSolutions-L1', 'Serverless-LambdaLatestVersion']) {
      acknowledge(fn, ruleId,
        `The runtime is pinned to ${targets.sliceFunction.runtime.name}, a supported Lambda runtime: the handler is ` +
        'bundled and tested for that exact version, and the library raises it deliberately in a release.');
    }
  }
  for (const logGroup of targets.unencryptedLogGroups) {
    for (const pack of PACKS_WITH_LOG_ENCRYPTION) {
      acknowledge(cfn(logGroup), `${pack}-CloudWatchLogGroupEncrypted`,
        'CloudWatch Logs encrypts this log group at rest with a key it manages; it holds run summaries ' +
        '(pool ids, counts, error messages), no credentials and no device data. Pass logEncryptionKey to use ' +
        'a customer managed key instead.');
    }
  }
}

function isLatestRuntime(runtime: lambda.Runtime): boolean {
  const family = lambda.Runtime.ALL.filter((candidate) => candidate.family === runtime.family && /\d/.test(candidate.name));
  const latest = family.reduce<lambda.Runtime | undefined>(
    (best, candidate) => (best && versionOf(best) >= versionOf(candidate) ? best : candidate), undefined);
  return latest === undefined || latest.name === runtime.name;
}

function versionOf(runtime: lambda.Runtime): number {
  return parseFloat(runtime.name.replace(/^[a-z]+/, ''));
}

function acknowledge(construct: IConstruct, id: string, reason: string): void {
  acknowledgeFinding(construct, id, reason);
}

function cfn(construct: IConstruct): CfnResource {
  return construct.node.defaultChild as CfnResource;
}
