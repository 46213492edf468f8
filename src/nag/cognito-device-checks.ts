import { CfnResource } from 'aws-cdk-lib';
import { NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { DEVICE_RULES } from './rules';

/**
 * A cdk-nag (v3) rule pack that finds IAM policies granting Cognito's device administration actions
 * too broadly, or naming device actions IAM never evaluates.
 *
 * It reads every `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy`, `AWS::IAM::RolePolicy`,
 * `AWS::IAM::UserPolicy`, `AWS::IAM::GroupPolicy` and the inline policies of `AWS::IAM::Role`,
 * `AWS::IAM::User` and `AWS::IAM::Group` in the app, including those that other constructs create
 * (custom resources, grants). Rules (ids are `CognitoDevice-<rule>`):
 *
 * - `AdminDeviceWildcardResource` (error): admin device actions allowed on every user pool
 *   (`Resource: "*"`, `arn:...:userpool/*`) without an `aws:ResourceTag/...` condition.
 * - `AdminDeviceNegatedGrant` (error): an `Allow` with `NotAction`/`NotResource` that lets admin
 *   device actions through on every user pool.
 * - `TokenAuthorizedDeviceAction` (warning): `cognito-idp:ForgetDevice`, `ListDevices`, `GetDevice`
 *   or `UpdateDeviceStatus` named in a policy, which IAM never evaluates.
 *
 * Acknowledge a finding on the construct that owns the policy (or a parent) with
 * `Validations.of(construct).acknowledge({ id: 'CognitoDevice-<rule>', reason: '...' })`.
 *
 * @example
 * Validations.of(app).addPlugins(new CognitoDeviceChecks(app));
 */
export class CognitoDeviceChecks extends NagPack {
  /** The plugin name CDK shows in validation reports. */
  public readonly name: string;
  /** The ids of the rules this pack evaluates. */
  public readonly ruleIds?: string[];

  /**
   * @param scope the app (or stack) the pack is registered on; needed only for `props.writeSuppressionsToCloudFormation`
   * @param props cdk-nag options: `verbose` adds each rule's explanation (what to write instead) to its finding
   */
  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'CognitoDevice';
    this.name = 'CognitoDeviceChecks';
    this.ruleIds = DEVICE_RULES.map((deviceRule) => `${this.packName}-${deviceRule.rule.name}`);
  }

  /** Applies every rule of the pack to one CloudFormation resource. */
  protected checkResource(node: CfnResource): void {
    for (const deviceRule of DEVICE_RULES) {
      this.applyRule({ ...deviceRule, node });
    }
  }
}
