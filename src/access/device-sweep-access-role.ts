import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { aws_cognito as cognitoRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { grantAccountWideReads } from './account-wide-reads';
import { checkPoolsInRoleAccount } from './pool-account';
import { checkExternalId, checkSessionNamePrefix, checkTrustedRoleArns } from './trust-checks';
import { TrustedSweepRoles } from './trusted-sweep-roles';
import { UserPoolTag } from './user-pool-tag';
import { UserPoolDeviceGrants } from '../grants/user-pool-device-grants';
import { wildcardResourceFindingId } from '../private/finding-resource';
import { ManagedPolicyRole } from '../private/managed-policy-role';
import { acknowledgeOnResource } from '../private/nag-packs';
import { validationError } from '../private/validation-error';
import { SWEEP_SESSION_NAME_PREFIX } from '../sweep/input/session-name';

/** Properties of a `DeviceSweepAccessRole`. */
export interface DeviceSweepAccessRoleProps {
  /**
   * The roles of the central sweep that may assume this role, by ARN
   * (`arn:aws:iam::<central account>:role/<name>`), e.g. the slice Lambda role of a cleanup in the
   * central account, or the role the CLI runs as. Roles only: an account (`<account id>`,
   * `...:root`), a role session or a wildcard is refused, so no one else in the central account can
   * use this role. IAM checks at deploy time that each role exists. Items may be tokens (e.g.
   * parameters); the list itself must be literal.
   */
  readonly trustedRoleArns: string[];

  /**
   * The external id every AssumeRole call must pass (`sts:ExternalId` condition): 2 to 1224 of
   * letters, digits and `_ + = , . @ : / -`. The central sweep's operator chooses it and gives the
   * same value to every target account and to the sweep; it may be a token such as a StackSet
   * parameter. Required rather than generated: a generated id would differ in each account and
   * would have to be read back from each before the sweep could use it. It is not a secret (anyone
   * who can read the trust policy sees it); it keeps a central role that assumes roles for several
   * purposes from being tricked into using this one for another (the confused deputy).
   */
  readonly externalId: string;

  /**
   * The user pools of this account whose devices the sweep may list and forget: owned, imported
   * (`UserPool.fromUserPoolArn`, `UserPool.fromUserPoolId`, also of other Regions) or L1. A pool of
   * another account is a synth error where both accounts are known. A Multi-Region replica imported
   * by its ARN is granted on its primary's ARN (the Region of the pool id), where the sweep's calls
   * go. Give `userPools`, `userPoolTag`, or both.
   *
   * @default - no pool by ARN (then `userPoolTag` is required)
   */
  readonly userPools?: cognitoRefs.IUserPoolRef[];

  /**
   * Also every user pool of this stack's account and Region with this tag, now or later (an
   * `aws:ResourceTag/<key>` condition on `userpool/*`); a Multi-Region pool counts in its primary's
   * Region only. Handy for StackSets, where pool ids differ
   * between accounts. Anyone who may tag user pools in this account can widen it: prefer `userPools`
   * when the pools are known at synth time.
   *
   * @default - no pool by tag (then `userPools` is required)
   */
  readonly userPoolTag?: UserPoolTag;

  /**
   * A role that can only run dry: it may list users and devices (and describe the pools) but not
   * forget a device (no `cognito-idp:AdminForgetDevice`).
   *
   * @default false
   */
  readonly dryRunOnly?: boolean;

  /**
   * Also allow `cognito-idp:GetProvisionedLimit` (on `Resource: "*"`: the action has no resource
   * type), so that a central sweep with `readProvisionedLimits` budgets on this account's raised
   * request-rate limits; without it, the sweep keeps the documented defaults here, with a warning.
   *
   * @default false
   */
  readonly readProvisionedLimits?: boolean;

  /**
   * Also allow `cloudwatch:GetMetricData` (on `Resource: "*"`: the action has no resource type), so
   * that a central sweep with `followAccountUsage` reads this account's Cognito usage (AWS/Usage
   * CallCount and ThrottleCount) with this role and yields to this account's applications.
   * CloudWatch shows each account only its own metrics, so a `StaleDeviceCleanup` with
   * `followAccountUsage` that sweeps this account's pools needs this; without it, the sweep warns
   * once per Region of this account and slows down on throttles only here, with its full budget.
   *
   * @default false
   */
  readonly followAccountUsage?: boolean;

  /**
   * The role's name. A fixed name gives the role the same ARN in every account
   * (`arn:aws:iam::<account>:role/<roleName>`), which is what a sweep over many accounts wants;
   * only one role of that name can exist per account.
   *
   * @default - a name CloudFormation generates
   */
  readonly roleName?: string;

  /**
   * The prefix the session names of every AssumeRole call must start with (`sts:RoleSessionName`
   * condition, `<prefix>*`): at most 32 of letters, digits and `_ + = , . @ -`. Change it only if
   * your sweep names its sessions otherwise.
   *
   * @default DeviceSweepAccessRole.SESSION_NAME_PREFIX (`cognito-device-sweep-`)
   */
  readonly sessionNamePrefix?: string;
}

/**
 * The role a central device sweep assumes in the account of the pools it sweeps (the target
 * account's half of a cross-account sweep).
 *
 * Cognito user pools have no resource policy, so a role in another account can never be allowed on
 * them: the calls must come from a role in the pools' account. This role trusts exactly the central
 * sweep's roles, only with the external id and with a session name that starts with the sweep's
 * prefix, and may call, on exactly the listed (or tagged) pools of its own account,
 * `cognito-idp:ListUsers`, `cognito-idp:AdminListDevices`, `cognito-idp:AdminForgetDevice` (not
 * with `dryRunOnly`) and `cognito-idp:DescribeUserPool`: what a sweep calls, and nothing else. The
 * permissions are in a customer managed policy of the role (no inline policy).
 *
 * Deploy it in each target account with CDK, or synthesize an environment-agnostic template and
 * deploy it as a CloudFormation StackSet (see the README).
 *
 * @example
 * declare const userPool: cognito.IUserPool;
 * new DeviceSweepAccessRole(this, 'SweepAccess', {
 *   trustedRoleArns: ['arn:aws:iam::111111111111:role/central-device-sweep'],
 *   externalId: 'device-sweep-example-org',
 *   userPools: [userPool],
 *   roleName: 'CognitoDeviceSweepAccess',
 * });
 */
export class DeviceSweepAccessRole extends Construct {
  /** The prefix of the session names the library's sweeps use (`cognito-device-sweep-`). */
  public static readonly SESSION_NAME_PREFIX = SWEEP_SESSION_NAME_PREFIX;

  /** The role the central sweep assumes. */
  public readonly role: iam.IRole;
  /** The role's ARN: give it to the central sweep. */
  public readonly roleArn: string;
  /** The role's name. */
  public readonly roleName: string;
  /** The prefix every session name must start with. */
  public readonly sessionNamePrefix: string;

  /**
   * Throws at synth time for settings that cannot work (see the props).
   *
   * @param scope the construct to define this one in
   * @param id the construct id, unique within `scope`
   * @param props who may assume the role, and on which pools
   */
  constructor(scope: Construct, id: string, props: DeviceSweepAccessRoleProps) {
    super(scope, id);
    const trustedRoleArns = checkTrustedRoleArns(this, props.trustedRoleArns);
    checkExternalId(this, props.externalId);
    this.sessionNamePrefix = props.sessionNamePrefix ?? SWEEP_SESSION_NAME_PREFIX;
    checkSessionNamePrefix(this, this.sessionNamePrefix);
    const userPools = props.userPools ?? [];
    if (userPools.length === 0 && props.userPoolTag === undefined) {
      throw validationError(this, 'userPools is empty and userPoolTag is not set; name the pools the sweep may act on, by ARN, by tag, or both.');
    }
    checkPoolsInRoleAccount(this, userPools);
    const tagged = props.userPoolTag && this.taggedPoolGrants(props.userPoolTag);

    const role = new ManagedPolicyRole(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new TrustedSweepRoles(trustedRoleArns, {
        StringEquals: { 'sts:ExternalId': props.externalId },
        StringLike: { 'sts:RoleSessionName': `${this.sessionNamePrefix}*` },
      }),
      description: props.dryRunOnly
        ? 'Assumed by a central Cognito device sweep to list remembered devices of this account\'s user pools (dry run only)'
        : 'Assumed by a central Cognito device sweep to list and forget remembered devices of this account\'s user pools',
    });
    for (const grants of [userPools.length > 0 ? UserPoolDeviceGrants.fromUserPools(userPools) : undefined, tagged]) {
      if (!grants) continue;
      grants.describeUserPool(role);
      if (props.dryRunOnly) grants.scanDevices(role);
      else grants.sweepDevices(role);
    }
    if (props.userPoolTag) this.acknowledgeTagWildcard(role.managedPolicy, props.userPoolTag);
    grantAccountWideReads(role, props);

    this.role = role;
    this.roleArn = role.roleArn;
    this.roleName = role.roleName;
  }

  /** The tagged pools' grants; a tag that can never match a pool is an error naming this construct. */
  private taggedPoolGrants(tag: UserPoolTag): UserPoolDeviceGrants {
    try {
      return UserPoolDeviceGrants.fromTaggedUserPools(this, tag.key, tag.value);
    } catch (error) {
      throw validationError(this, `userPoolTag cannot select a pool: ${(error as Error).message}`);
    }
  }

  private acknowledgeTagWildcard(policy: iam.ManagedPolicy, tag: UserPoolTag): void {
    const allPools = Stack.of(this).formatArn({
      service: 'cognito-idp',
      resource: 'userpool',
      resourceName: '*',
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const value = Token.isUnresolved(tag.value) ? 'the value given at deploy time' : tag.value;
    acknowledgeOnResource(policy, wildcardResourceFindingId(policy, allPools),
      `userpool/* is narrowed by a StringEquals aws:ResourceTag/${tag.key} = ${value} condition on every statement: ` +
      'only pools of this account and Region with that tag match (userPoolTag), and the actions are the sweep\'s only.');
  }
}
