import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { INagValidationContext, NagPack, NagPackProps } from 'cdk-nag';
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
 * - `AdminDeviceReplicaArn` (warning): admin device actions on a Multi-Region replica's pool ARN (a
 *   Region other than the pool id's): the calls go to the primary, so the statement does nothing.
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
  /** The tree to check when CDK does not hand one to `validate` (see there). */
  private readonly constructionScope?: IConstruct;

  /**
   * @param scope the app the pack is registered on; the tree it checks when run by `Validations.of(app).addPlugins(...)`
   * @param props cdk-nag options: `verbose` adds each rule's explanation (what to write instead) to its finding
   */
  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.constructionScope = scope;
    this.packName = 'CognitoDevice';
    this.name = 'CognitoDeviceChecks';
    this.ruleIds = DEVICE_RULES.map((deviceRule) => `${this.packName}-${deviceRule.rule.name}`);
  }

  /**
   * Called by CDK at synth time for a pack registered with `Validations.of(app).addPlugins(...)`.
   *
   * cdk-nag 3 expects CDK to put the construct tree on the context (`appConstruct`); aws-cdk-lib
   * releases that do not (2.257 among them) would fail every run, so the scope given to the
   * constructor stands in for it.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const tree = (context as Partial<INagValidationContext>).appConstruct ?? this.constructionScope;
    if (tree === undefined) {
      throw new Error(
        'CognitoDeviceChecks has no construct tree to check: create it with the app, ' +
        '`Validations.of(app).addPlugins(new CognitoDeviceChecks(app))`, or call `validateScope(app)` yourself.',
      );
    }
    return this.validateScope(tree);
  }

  /** Applies every rule of the pack to one CloudFormation resource. */
  protected checkResource(node: CfnResource): void {
    for (const deviceRule of DEVICE_RULES) {
      this.applyRule({ ...deviceRule, node });
    }
  }
}
