import { Annotations, ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_cognito as cognitoRefs } from 'aws-cdk-lib/interfaces';
import { IConstruct } from 'constructs';
import { DeviceActions } from './device-actions';
import { primaryPoolArnOf } from './primary-pool-arn';
import { validateTag } from './tag-validation';

/**
 * Least-privilege IAM grants for the device administration actions of Amazon Cognito user pools.
 *
 * Each method adds exactly one statement with exactly the actions it names, on exactly the pools
 * this object stands for: one user pool's ARN (`fromUserPool`; for a Multi-Region replica, its
 * primary's), or every pool of the stack's account and Region that carries a given tag
 * (`fromTaggedUserPools`). It never grants a device action on `Resource: "*"`; only the opt-in
 * static `readProvisionedLimits` grants `"*"`, for an action that has no resource type.
 *
 * Only the IAM-authorized `Admin*` device actions are granted. `ForgetDevice`, `ListDevices`,
 * `GetDevice` and `UpdateDeviceStatus` are authorized by the signed-in user's access token; IAM
 * never evaluates them, so granting them would only look like control.
 *
 * @example
 * declare const userPool: cognito.UserPool;
 * declare const fn: lambda.Function;
 * UserPoolDeviceGrants.fromUserPool(userPool).forgetDevice(fn);
 */
export class UserPoolDeviceGrants {
  /**
   * Grants on one user pool: owned (`UserPool`), imported (`UserPool.fromUserPoolId`,
   * `UserPool.fromUserPoolArn`, also of another account or Region) or L1 (`CfnUserPool`).
   *
   * Cognito user pools have no resource policy: a grant to a principal of another account than the
   * pool's is written to that principal's policy, and the principal still needs a role in the pool's
   * account to be allowed there.
   *
   * A Multi-Region replica imported by its ARN (`arn:aws:cognito-idp:us-west-2:...:userpool/us-east-1_...`)
   * is granted on its primary's ARN only (the Region of the pool id): a secondary replica accepts
   * end-user operations only, so device administration goes to the primary, and IAM evaluates it
   * on the primary's ARN. A grant on the replica's ARN would allow nothing this library calls.
   *
   * @param userPool the user pool whose devices the grantee may administer
   */
  public static fromUserPool(userPool: cognitoRefs.IUserPoolRef): UserPoolDeviceGrants {
    return new UserPoolDeviceGrants([grantedArnOf(userPool)]);
  }

  /**
   * Grants on several user pools at once: each method then adds one statement that lists every
   * pool's ARN, instead of one statement per pool (a role that sweeps many pools stays well within
   * IAM's policy size limits). Replicas imported by ARN are granted on their primary's ARN, as with
   * `fromUserPool`; a pool named twice (also once by a replica's ARN and once by the primary's) is
   * listed once.
   *
   * @param userPools the user pools whose devices the grantee may administer, at least one
   */
  public static fromUserPools(userPools: cognitoRefs.IUserPoolRef[]): UserPoolDeviceGrants {
    if (userPools.length === 0) {
      throw new Error('UserPoolDeviceGrants.fromUserPools: userPools is empty; name at least one user pool.');
    }
    const arns = userPools.map(grantedArnOf);
    return new UserPoolDeviceGrants(arns.filter((arn, index) => arns.indexOf(arn) === index));
  }

  /**
   * Grants on every user pool of the scope's stack account and Region whose tag `tagKey` equals
   * `tagValue`, now or later, through an `aws:ResourceTag/<tagKey>` condition on
   * `arn:<partition>:cognito-idp:<region>:<account>:userpool/*`.
   *
   * Anyone who may tag user pools in that account can widen such a grant: prefer `fromUserPool`
   * when the pools are known at synth time. Multi-Region pools match by their primary: device
   * administration is called, and evaluated, in the primary's Region, so a pool whose primary is in
   * another Region is not covered by a replica in the stack's Region.
   *
   * @param scope a construct inside the stack whose account and Region the pools are in
   * @param tagKey the tag key, e.g. `team`; literal text (it is part of the IAM condition key), never a token
   * @param tagValue the exact tag value, e.g. `payments`; may be a token such as a parameter
   */
  public static fromTaggedUserPools(scope: IConstruct, tagKey: string, tagValue: string): UserPoolDeviceGrants {
    validateTag(tagKey, tagValue);
    const stack = stackOf(scope);
    const allPoolsArn = stack.formatArn({
      service: 'cognito-idp',
      resource: 'userpool',
      resourceName: '*',
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    return new UserPoolDeviceGrants([allPoolsArn], {
      StringEquals: { [`aws:ResourceTag/${tagKey}`]: tagValue },
    });
  }

  /**
   * Allows `cognito-idp:GetProvisionedLimit` on `Resource: "*"`: reading the account's request-rate
   * limits (provisioned limits), so that a sweep run with `readProvisionedLimits` budgets on a
   * fraction of the account's real limit where it was raised, instead of the documented default.
   *
   * The action has no resource type in IAM (it reads a limit of the account and Region, not of a
   * pool), so `"*"` is the only resource that grants it; it is read-only and reveals rate limits,
   * no user data. It is opt-in: nothing else in this class grants it, and a sweep that cannot read
   * the limits falls back to the documented defaults with a warning. cdk-nag's AwsSolutions-IAM5
   * reports the `"*"` (`AwsSolutions-IAM5[Resource::*]`): acknowledge it on the grantee with this
   * reason; `CognitoDeviceChecks` does not report it (no device action).
   *
   * @param grantee the principal to allow (the role that runs the sweep, or the role it assumes in
   *   another account: the limits read are those of the credentials' account)
   */
  public static readProvisionedLimits(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [DeviceActions.GET_PROVISIONED_LIMIT],
      resourceArns: ['*'],
    });
  }

  private constructor(
    private readonly resourceArns: string[],
    private readonly conditions?: Record<string, Record<string, unknown>>,
  ) {}

  /**
   * Allows `cognito-idp:AdminForgetDevice`: forgetting (deleting) a user's remembered device.
   *
   * Use this rather than `cognito-idp:ForgetDevice`, which IAM never evaluates.
   *
   * @param grantee the principal to allow
   */
  public forgetDevice(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, [DeviceActions.FORGET]);
  }

  /**
   * Allows `cognito-idp:AdminListDevices`: listing one user's devices.
   *
   * Use this rather than `cognito-idp:ListDevices`, which IAM never evaluates.
   *
   * @param grantee the principal to allow
   */
  public listDevices(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, [DeviceActions.LIST]);
  }

  /**
   * Allows `cognito-idp:AdminGetDevice`: reading one device of a user.
   *
   * Use this rather than `cognito-idp:GetDevice`, which IAM never evaluates.
   *
   * @param grantee the principal to allow
   */
  public getDevice(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, [DeviceActions.GET]);
  }

  /**
   * Allows `cognito-idp:AdminUpdateDeviceStatus`: marking a device remembered or not remembered.
   *
   * Use this rather than `cognito-idp:UpdateDeviceStatus`, which IAM never evaluates.
   *
   * @param grantee the principal to allow
   */
  public updateDeviceStatus(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, [DeviceActions.UPDATE_STATUS]);
  }

  /**
   * Allows reading every device of the pools without changing anything: `cognito-idp:ListUsers`,
   * `cognito-idp:AdminListDevices` and `cognito-idp:AdminGetDevice` (audits, tools that read single
   * devices). A dry-run sweep needs less: `scanDevices`.
   *
   * @param grantee the principal to allow
   */
  public readDevices(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, [DeviceActions.LIST_USERS, DeviceActions.LIST, DeviceActions.GET]);
  }

  /**
   * Allows what a dry-run sweep needs, and nothing more: `cognito-idp:ListUsers` and
   * `cognito-idp:AdminListDevices` (the sweep reads each device from the listing, never one by one).
   * Nothing can be changed with it.
   *
   * @param grantee the principal to allow
   */
  public scanDevices(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, [DeviceActions.LIST_USERS, DeviceActions.LIST]);
  }

  /**
   * Allows what a sweep needs: `cognito-idp:ListUsers`, `cognito-idp:AdminListDevices` and
   * `cognito-idp:AdminForgetDevice`.
   *
   * @param grantee the principal to allow
   */
  public sweepDevices(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, [DeviceActions.LIST_USERS, DeviceActions.LIST, DeviceActions.FORGET]);
  }

  /**
   * Allows `cognito-idp:DescribeUserPool`: reading the pools' settings and estimated number of
   * users, no user data. A sweep reads it once per run for its time-left estimate, and goes on
   * without the estimate when it is denied.
   *
   * @param grantee the principal to allow
   */
  public describeUserPool(grantee: iam.IGrantable): iam.Grant {
    return this.grant(grantee, [DeviceActions.DESCRIBE_USER_POOL]);
  }

  private grant(grantee: iam.IGrantable, actions: string[]): iam.Grant {
    // Cognito user pools have no resource policy, so the grant can only go to the principal.
    return iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: this.resourceArns,
      conditions: this.conditions,
    });
  }
}

/**
 * The ARN a pool's grants name: its primary's (see `primaryPoolArnOf`). Mapping a replica's ARN is
 * reported once on the pool's construct (an info, so that the policy's ARN is not a surprise).
 */
function grantedArnOf(userPool: cognitoRefs.IUserPoolRef): string {
  const given = userPool.userPoolRef.userPoolArn;
  const primary = primaryPoolArnOf(given);
  if (primary.replicaRegion !== undefined) {
    Annotations.of(userPool).addInfoV2('cdk-cognito-devices:UserPoolDeviceGrants.replicaArn',
      `${given} is the ARN of a Multi-Region replica in ${primary.replicaRegion} of a pool whose primary is in ` +
      `${primary.primaryRegion}: device administration goes to the primary, so its grants name ${primary.arn}.`);
  }
  return primary.arn;
}

function stackOf(scope: IConstruct): Stack {
  try {
    return Stack.of(scope);
  } catch {
    throw new Error(
      `UserPoolDeviceGrants.fromTaggedUserPools: '${scope.node.path || '<root>'}' is not inside a Stack; ` +
      'pass a construct of the stack whose account and Region hold the tagged user pools.',
    );
  }
}
