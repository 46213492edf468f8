/**
 * The cdk-nag findings of a DevicePurge that cannot be fixed, each acknowledged on the one resource
 * it is about, with the reason it does not apply. The purge's own functions are fixed where a rule
 * can be met (explicit roles with managed policies, log retention, memory, timeouts, tracing); what
 * remains is about how a custom resource works, and about aws-cdk-lib's Provider framework, whose
 * functions and waiter state machine the Provider API does not let us configure.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { functionsNamedBy, ProviderParts } from './provider-parts';
import { wildcardResourceFindingId } from '../private/finding-resource';
import {
  acknowledgeInEveryPack, acknowledgeOnResource, acknowledgePinnedRuntime,
  IAM_NO_INLINE_POLICY, LAMBDA_CONCURRENCY, LATEST_RUNTIME_RULE_IDS, LAMBDA_DLQ, LAMBDA_INSIDE_VPC, LOG_GROUP_ENCRYPTED,
} from '../private/nag-packs';

/** The resources of one purge whose findings are acknowledged. */
export interface PurgeNagTargets {
  /** The onEvent and isComplete handlers (this library's code). */
  readonly handlers: lambda.Function[];
  /** The managed policies of the handlers' roles. */
  readonly handlerPolicies: iam.ManagedPolicy[];
  /** The resources aws-cdk-lib's Provider created (its framework functions, waiter and their policies). */
  readonly provider: ProviderParts;
  /** The managed policies of the framework functions' roles. */
  readonly frameworkPolicies: iam.ManagedPolicy[];
  /** Execution ARN pattern the isComplete handler may describe and stop (`...:execution:<name>:*`). */
  readonly executionArnPattern: string;
  /** The isComplete handler's managed policy, which holds the execution ARN pattern. */
  readonly isCompletePolicy: iam.ManagedPolicy;
  /** Log groups without a customer managed key. */
  readonly unencryptedLogGroups: logs.LogGroup[];
}

/** Acknowledges the purge's unavoidable findings, one rule id on one resource each. */
export function acknowledgePurgeFindings(targets: PurgeNagTargets): void {
  for (const fn of [...targets.handlers, ...targets.provider.functions]) {
    acknowledgeCustomResourceFunction(fn);
  }
  for (const fn of targets.handlers) {
    acknowledgePinnedRuntime(fn);
  }
  for (const policy of targets.handlerPolicies) {
    acknowledgeOnResource(policy, 'AwsSolutions-IAM5[Resource::*]',
      'Only the X-Ray actions xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) are on "*": they ' +
      'have no resource type. The Step Functions actions are on the purge\'s own state machine and its executions.');
  }
  acknowledgeOnResource(targets.isCompletePolicy, wildcardResourceFindingId(targets.isCompletePolicy, targets.executionArnPattern),
    'The wildcard stands for the execution names of the purge\'s own state machine (one per CloudFormation request, ' +
    'unknown at synth time); states:DescribeExecution and states:StopExecution reach no other state machine.');

  for (const fn of targets.provider.functions) {
    acknowledgeFrameworkFunction(fn);
  }
  for (const policy of targets.frameworkPolicies) {
    for (const handler of targets.handlers) {
      acknowledgeOnResource(policy, wildcardResourceFindingId(policy, `${handler.functionArn}:*`),
        'The wildcard only covers versions and aliases of this purge\'s own handler function (lambda:InvokeFunction), ' +
        'as Function.grantInvoke writes it for the Provider framework.');
    }
  }
  targets.provider.waiters.forEach(acknowledgeWaiter);
  for (const policy of targets.provider.policies) {
    acknowledgeProviderPolicy(policy, targets.provider.functions);
  }

  for (const logGroup of targets.unencryptedLogGroups) {
    acknowledgeInEveryPack(logGroup, LOG_GROUP_ENCRYPTED,
      'CloudWatch Logs encrypts this log group at rest with a key it manages; it holds CloudFormation events without ' +
      'their presigned response URL, execution ARNs and counts, no credentials and no device data. Pass ' +
      'logEncryptionKey to use a customer managed key instead.');
  }
}

/** Rules about a function's invocation and network that a custom resource function cannot meet. */
function acknowledgeCustomResourceFunction(fn: lambda.Function): void {
  acknowledgeInEveryPack(fn, LAMBDA_DLQ,
    'CloudFormation custom resource function, invoked synchronously (by the CloudFormation service or by the ' +
    'Provider framework and its waiter state machine), which report every failure to CloudFormation; a ' +
    'dead-letter queue only receives asynchronous invocations.');
  acknowledgeInEveryPack(fn, LAMBDA_INSIDE_VPC,
    'The function accepts no network connections and calls only public AWS APIs (Lambda, Step Functions, ' +
    'CloudFormation\'s presigned response URL in S3) with SigV4 or presigned requests over TLS; a VPC would need ' +
    'NAT or endpoints without narrowing what it reaches, which IAM already limits to this purge\'s resources.');
  acknowledgeInEveryPack(fn, LAMBDA_CONCURRENCY,
    'The function runs only for this resource\'s CloudFormation events, once per event and per poll; reserved ' +
    'concurrency would take capacity from the account (and fail deployments in accounts with low limits) ' +
    'without bounding anything further.');
}

/** Rules about the Provider framework's functions, which aws-cdk-lib creates and configures itself. */
function acknowledgeFrameworkFunction(fn: lambda.Function): void {
  const framework = 'aws-cdk-lib\'s custom resource Provider framework function, which the Provider API does not let callers configure';
  for (const ruleId of LATEST_RUNTIME_RULE_IDS) {
    acknowledgeOnResource(fn, ruleId, `${framework}: aws-cdk-lib picks its Node.js runtime (determineLatestNodeRuntime) and ` +
      'keeps it current across releases.');
  }
  acknowledgeOnResource(fn, 'Serverless-LambdaDefaultMemorySize', `${framework}. It only relays the CloudFormation event to this ` +
    'library\'s handler and the answer back, which 128 MB serves.');
  acknowledgeOnResource(fn, 'Serverless-LambdaTracing', `${framework}. It only relays events; the handlers that do the work, ` +
    'and the purge\'s state machine, are traced.');
}

/** Rules about the Provider's waiter state machine, which aws-cdk-lib creates and configures itself. */
function acknowledgeWaiter(waiter: sfn.CfnStateMachine): void {
  const waiterReason = 'aws-cdk-lib\'s Provider waiter state machine, which only calls the isComplete handler until it ' +
    'answers and the Provider API does not let callers configure its tracing';
  acknowledgeOnResource(waiter, 'AwsSolutions-SF1', `${waiterReason}. Each poll and its outcome are ` +
    'logged by the isComplete handler; the purge\'s own state machine logs ALL events.');
  acknowledgeOnResource(waiter, 'AwsSolutions-SF2', `${waiterReason}. The handlers it calls and the purge's ` +
    'own state machine are traced with X-Ray.');
  acknowledgeOnResource(waiter, 'Serverless-StepFunctionStateMachineXray', `${waiterReason}. The handlers it ` +
    'calls and the purge\'s own state machine are traced with X-Ray.');
}

/** Rules about the inline policies of roles the Provider creates itself (its waiter state machine's role). */
function acknowledgeProviderPolicy(policy: iam.CfnPolicy, frameworkFunctions: lambda.Function[]): void {
  acknowledgeInEveryPack(policy, IAM_NO_INLINE_POLICY,
    'The inline policy of a role aws-cdk-lib\'s Provider creates itself (its waiter state machine\'s role); it ' +
    'only allows invoking the Provider framework\'s own functions.');
  for (const fn of functionsNamedBy(policy, frameworkFunctions)) {
    acknowledgeOnResource(policy, wildcardResourceFindingId(policy, `${fn.functionArn}:*`),
      'The wildcard only covers versions and aliases of the Provider framework\'s own function (lambda:InvokeFunction), ' +
      'as aws-cdk-lib\'s waiter state machine grants it.');
  }
}
