import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { acknowledgeFinding } from '../private/acknowledge-finding';
import {
  INDEX_PARTITION_KEY, INDEX_SORT_KEY, INDEX_TABLE_ENV, INDEX_TTL_ATTRIBUTE,
} from '../sweep/next-check/stores/table-schema';

/** The DynamoDB actions the index store calls (BatchWriteItem carries its puts): nothing more. */
export const NEXT_CHECK_TABLE_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem'];

/**
 * Creates the next-check index table of a cleanup and wires it to the slice Lambda: its name in
 * the environment, and the store's actions on this table only.
 *
 * On demand (a daily run's few thousand writes would idle any provisioned capacity), point-in-time
 * recovery on, encrypted with the AWS managed key, and TTL on `expiresAt` so entries of users that
 * vanished age out. Removal policy DESTROY: the table is a cache of bounds derived from Cognito;
 * losing it costs one full sweep, while a retained table would keep usernames (personal data)
 * after the cleanup is gone.
 */
export function createNextCheckTable(scope: Construct, sliceFunction: lambda.Function): dynamodb.Table {
  const table = new dynamodb.Table(scope, 'NextCheckIndex', {
    partitionKey: { name: INDEX_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
    sortKey: { name: INDEX_SORT_KEY, type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    timeToLiveAttribute: INDEX_TTL_ATTRIBUTE,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const reason = 'The next-check index is a cache of bounds that one full sweep recomputes from Cognito (losing it costs calls, never '
    + 'correctness); point-in-time recovery is on, and a backup plan would only keep usernames longer.';
  for (const id of ['HIPAA.Security-DynamoDBInBackupPlan', 'NIST.800.53.R4-DynamoDBInBackupPlan', 'NIST.800.53.R5-DynamoDBInBackupPlan']) {
    acknowledgeFinding(table, id, reason);
  }
  iam.Grant.addToPrincipal({ grantee: sliceFunction, actions: NEXT_CHECK_TABLE_ACTIONS, resourceArns: [table.tableArn] });
  sliceFunction.addEnvironment(INDEX_TABLE_ENV, table.tableName);
  return table;
}
