import type * as iam from 'aws-cdk-lib/aws-iam';

/**
 * How a sweep reaches the user pools of another account: the `DeviceSweepAccessRole` deployed
 * there, imported by ARN, and the external id its trust policy requires. User pools have no
 * resource policy, so a call on a pool of another account must come from a role of that account.
 *
 * @example
 * const access: DeviceSweepAccountAccess = {
 *   role: iam.Role.fromRoleArn(this, 'PaymentsAccess', 'arn:aws:iam::333333333333:role/CognitoDeviceSweepAccess'),
 *   externalId: 'org-device-sweep-2026',
 * };
 */
export interface DeviceSweepAccountAccess {
  /**
   * The role in the pools' account (import it with `iam.Role.fromRoleArn`). Its account, taken from
   * the ARN, must be literal at synth time: it decides which pools the role is for.
   */
  readonly role: iam.IRole;

  /**
   * The external id the role's trust policy requires (`sts:ExternalId`), the same value given to
   * the `DeviceSweepAccessRole` there. It travels in each run's input: it is not a secret.
   *
   * @default - none: only for a role whose trust policy requires no external id
   */
  readonly externalId?: string;
}
