/**
 * The access role's opt-in reads of account-wide data (`readProvisionedLimits`, `followAccountUsage`):
 * actions with no resource type, so granted on `"*"`, with one cdk-nag acknowledgement that names
 * exactly the actions granted.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { UserPoolDeviceGrants } from '../grants/user-pool-device-grants';
import type { ManagedPolicyRole } from '../private/managed-policy-role';
import { acknowledgeOnResource, PROVISIONED_LIMIT_ON_STAR } from '../private/nag-packs';

/** Which account-wide reads the role gets. */
export interface AccountWideReads {
  readonly readProvisionedLimits?: boolean;
  readonly followAccountUsage?: boolean;
}

/** Why each read may be on "*": it has no resource type, and what it reveals. */
const REASONS = {
  readProvisionedLimits: PROVISIONED_LIMIT_ON_STAR,
  followAccountUsage: 'cloudwatch:GetMetricData reads this account\'s Cognito usage metrics, AWS/Usage CallCount and '
    + 'ThrottleCount (followAccountUsage), so the sweep yields to this account\'s applications',
} as const;

/** Adds the reads asked for to `role`'s managed policy; nothing (and no acknowledgement) when none is. */
export function grantAccountWideReads(role: ManagedPolicyRole, reads: AccountWideReads): void {
  if (reads.readProvisionedLimits) UserPoolDeviceGrants.readProvisionedLimits(role);
  if (reads.followAccountUsage) role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));
  const granted = (Object.keys(REASONS) as Array<keyof typeof REASONS>).filter((read) => reads[read]);
  if (granted.length === 0) return;
  // One finding (AwsSolutions-IAM5[Resource::*]) covers every "*" of the policy: one reason names them all.
  acknowledgeOnResource(role.managedPolicy, 'AwsSolutions-IAM5[Resource::*]',
    'Only actions without a resource type in IAM are on "*", read-only and granted because the user opted in: '
    + `${granted.map((read) => REASONS[read]).join('; ')}. No user data; the device actions are on the listed or tagged pools.`);
}
