import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * A role whose grants go to one customer managed policy of its own instead of an inline policy.
 *
 * The statements are the same least-privilege ones CDK's grants write; only where they live changes,
 * so the HIPAA, NIST 800-53 and PCI DSS packs' "no inline policies" rule holds without an exception.
 * The policy is a child of the role, so whatever depends on the role also waits for its permissions
 * (Step Functions checks its logging permissions when the state machine is created).
 */
export class ManagedPolicyRole extends iam.Role {
  /**
   * A Lambda function's role without AWSLambdaBasicExecutionRole: it may write to the function's own
   * log group only.
   */
  public static forLambda(scope: Construct, id: string, logGroup: logs.ILogGroup, description: string, roleName?: string): ManagedPolicyRole {
    const role = new ManagedPolicyRole(scope, id, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description,
      roleName,
    });
    logGroup.grantWrite(role);
    return role;
  }

  /** The managed policy that receives every statement added to this role. */
  public readonly managedPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    super(scope, id, props);
    this.managedPolicy = new iam.ManagedPolicy(this, 'Policy', {
      description: props.description,
      roles: [this],
    });
  }

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.managedPolicy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.managedPolicy };
  }
}
