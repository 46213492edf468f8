/** The opt-in grant behind `followAccountUsage`: reading the account's Cognito usage metrics. */
import { aws_iam as iam, aws_lambda as lambda } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledgeOnResource } from '../private/nag-packs';

/** Lets `fn` read CloudWatch metrics (cloudwatch:GetMetricData), in a managed policy of its own. */
export function grantAccountUsageRead(scope: Construct, fn: lambda.Function): iam.ManagedPolicy {
  const policy = new iam.ManagedPolicy(scope, 'AccountUsagePolicy', {
    description: 'Reads the account\'s Cognito usage metrics (AWS/Usage CallCount, ThrottleCount), so the sweep yields to busy applications',
    statements: [new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] })],
    roles: fn.role ? [fn.role] : [],
  });
  acknowledgeOnResource(policy, 'AwsSolutions-IAM5[Resource::*]',
    'cloudwatch:GetMetricData has no resource type, so it can only be granted on "*"; it is read-only and '
    + 'granted only because the user set followAccountUsage.');
  return policy;
}
