import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * The principal of a `DeviceSweepAccessRole`'s trust policy: exactly the given roles, in ONE
 * statement with the conditions (aws-cdk-lib's `CompositePrincipal` would write one statement per
 * role, each repeating the conditions, and the trust policy has a size quota).
 */
export class TrustedSweepRoles extends iam.CompositePrincipal {
  private readonly roleArns: string[];
  private readonly trustConditions: iam.Conditions;

  /**
   * @param roleArns the roles that may assume the role, already checked
   * @param conditions what every AssumeRole call must satisfy (external id, session name)
   */
  constructor(roleArns: string[], conditions: iam.Conditions) {
    super(...roleArns.map((arn) => new iam.ArnPrincipal(arn)));
    this.roleArns = roleArns;
    this.trustConditions = conditions;
  }

  public addToAssumeRolePolicy(document: iam.PolicyDocument): void {
    document.addStatements(new iam.PolicyStatement({
      actions: ['sts:AssumeRole'],
      principals: this.roleArns.map((arn) => new iam.ArnPrincipal(arn)),
      conditions: this.trustConditions,
    }));
  }
}
