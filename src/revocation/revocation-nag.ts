/**
 * The cdk-nag findings DeviceRevocation cannot fix, each acknowledged on the one resource it is
 * about, with the reason it does not apply.
 */
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import {
  acknowledgeInEveryPack, acknowledgeOnResource, acknowledgePinnedRuntime, LAMBDA_DLQ, LAMBDA_INSIDE_VPC, LOG_GROUP_ENCRYPTED,
  PROVISIONED_LIMIT_ON_STAR,
} from '../private/nag-packs';

export interface RevocationNagTargets {
  readonly fn: lambda.Function;
  readonly policy: iam.ManagedPolicy;
  /** The log group, when no customer managed key encrypts it. */
  readonly unencryptedLogGroup?: logs.LogGroup;
  /** True when the function may read the account's provisioned limits (GetProvisionedLimit on "*"). */
  readonly readsProvisionedLimits?: boolean;
}

export function acknowledgeRevocationFindings(targets: RevocationNagTargets): void {
  acknowledgeOnResource(targets.policy, 'AwsSolutions-IAM5[Resource::*]',
    'Only actions without a resource type are on "*": the X-Ray actions xray:PutTraceSegments and xray:PutTelemetryRecords ' +
    '(active tracing)' + (targets.readsProvisionedLimits ? ` and ${PROVISIONED_LIMIT_ON_STAR}` : '') +
    '. The Cognito device actions are on the exact user pool ARNs, the SQS actions on the construct\'s queue.');
  acknowledgeInEveryPack(targets.fn, LAMBDA_DLQ,
    'The function is invoked by an SQS event source mapping, never asynchronously: a message whose revocation fails ' +
    'is delivered again and, after maxReceiveCount, moved to the queue\'s own dead-letter queue (with an alarm).');
  acknowledgeInEveryPack(targets.fn, LAMBDA_INSIDE_VPC,
    'The function accepts no network connections and reaches only public AWS APIs with SigV4 over TLS (Cognito, SQS, ' +
    'CloudWatch Logs, X-Ray); a VPC would add NAT or interface endpoints without narrowing what it can reach, which ' +
    'IAM already limits to the listed pools.');
  acknowledgePinnedRuntime(targets.fn);
  if (targets.unencryptedLogGroup) {
    acknowledgeInEveryPack(targets.unencryptedLogGroup, LOG_GROUP_ENCRYPTED,
      'CloudWatch Logs encrypts this log group at rest with a key it manages; it holds pool ids, triggers and counts, ' +
      'no usernames, no subs and no device data. Pass logEncryptionKey to use a customer managed key instead.');
  }
}

/** The queue pair's findings: the dead-letter queue is the end of the line, and SQS mappings have no failure destination. */
export function acknowledgeQueueFindings(targets: { readonly deadLetterQueue: sqs.Queue; readonly eventSourceMapping: IConstruct }): void {
  acknowledgeOnResource(targets.deadLetterQueue, 'Serverless-SQSRedrivePolicy',
    'This queue is the dead-letter queue of the revocation queue (and of the EventBridge targets): the end of the line, ' +
    'watched by the construct\'s alarm; a redrive policy of its own would only move failed revocations out of sight.');
  acknowledgeOnResource(targets.eventSourceMapping, 'Serverless-LambdaEventSourceMappingDestination',
    'On-failure destinations apply to stream and Kafka sources, not to SQS: a failed message of this mapping goes back to ' +
    'the queue and, after maxReceiveCount, to its dead-letter queue (the queue\'s redrive policy).');
}
