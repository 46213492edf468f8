/**
 * The contract between DeviceRevocation (synth time) and its Lambda (run time): environment
 * variables, metric names, the CloudTrail events that trigger a revocation, and the direct message.
 * No CDK or SDK imports: both sides import it.
 */

/** Environment variables the construct sets on the revocation Lambda. */
export const RevocationEnvironmentVariables = {
  /** Comma-separated user pool ids whose users the Lambda may revoke (defence in depth besides IAM). */
  ALLOWED_USER_POOL_IDS: 'ALLOWED_USER_POOL_IDS',
  /** Value of the `SweepName` metric dimension. */
  SWEEP_NAME: 'SWEEP_NAME',
  /** Fraction (0, 1] of Cognito's quotas the revocations of one Lambda instance may use. */
  RATE_BUDGET: 'RATE_BUDGET',
  /** "true": list and count, forget nothing. */
  DRY_RUN: 'DRY_RUN',
  /** "true": the budget is a fraction of the account's real limits (GetProvisionedLimit), not of the documented defaults. */
  READ_PROVISIONED_LIMITS: 'READ_PROVISIONED_LIMITS',
} as const;

/** Metric names the revocation Lambda emits (namespace CognitoDeviceSweep, dimension SweepName). */
export const RevocationMetricNames = {
  /** Users whose devices were all forgotten (or already gone). */
  USERS_REVOKED: 'UsersRevoked',
  /** Devices forgotten by revocations. */
  DEVICES_REVOKED: 'DevicesRevoked',
  /** Milliseconds from the event (or the message's arrival in the queue) to the user's last device forgotten. */
  REVOCATION_LATENCY: 'RevocationLatency',
  /** Messages that change nothing: another pool's event, a malformed message, an unknown user, a failed call's event. */
  MESSAGES_IGNORED: 'MessagesIgnored',
  /** Revocations that failed and go back to the queue (then to the dead-letter queue). */
  REVOCATIONS_FAILED: 'RevocationsFailed',
} as const;

/** The `source` and `detail-type` of the EventBridge events that trigger a revocation. */
export const CLOUDTRAIL_SOURCE = 'aws.cognito-idp';
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/**
 * Cognito API calls after which a remembered device must not skip MFA any more. IAM-authorized
 * administrator calls carry `requestParameters.userPoolId`; the others are authorized by a token or
 * an app client, and their events carry no pool id in `requestParameters`.
 */
export const ADMIN_TRIGGERS = ['AdminUserGlobalSignOut', 'AdminDisableUser', 'AdminResetUserPassword', 'AdminSetUserPassword'] as const;
export const USER_TRIGGERS = ['GlobalSignOut', 'ConfirmForgotPassword'] as const;

/** One of the trigger events. */
export type RevocationTrigger = (typeof ADMIN_TRIGGERS)[number] | (typeof USER_TRIGGERS)[number];

/** The direct door: a message a runbook, an application or a support tool sends to the queue. */
export interface DirectRevocationMessage {
  readonly userPoolId: string;
  /** The username (or an alias attribute's value); or give `sub`. */
  readonly username?: string;
  /** The user's `sub`; or give `username`. */
  readonly sub?: string;
}
