import { App, PolicyViolation, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CognitoDeviceChecks } from '../../src/nag';
import { NagFinding, nagFindings } from '../util/nag';

export const WILDCARD_RULE = 'CognitoDevice-AdminDeviceWildcardResource';
export const NEGATED_RULE = 'CognitoDevice-AdminDeviceNegatedGrant';
export const TOKEN_RULE = 'CognitoDevice-TokenAuthorizedDeviceAction';
export const REPLICA_RULE = 'CognitoDevice-AdminDeviceReplicaArn';

/** Where `policyWith` puts its policy. */
export const POLICY_PATH = 'Stack/Policy/Resource';

/** An `iam.Policy` (`AWS::IAM::Policy` at `POLICY_PATH`) with the statements, attached to a role. */
export function policyWith(stack: Stack, ...statements: iam.PolicyStatement[]): iam.Policy {
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return new iam.Policy(stack, 'Policy', { statements, roles: [role] });
}

/** A raw statement, for the exact JSON forms the L2 classes would normalise away. */
export function rawPolicyWith(stack: Stack, ...statements: unknown[]): iam.CfnPolicy {
  return new iam.CfnPolicy(stack, 'Policy', {
    policyName: 'raw',
    roles: ['some-role'],
    policyDocument: { Version: '2012-10-17', Statement: statements },
  });
}

/** The unacknowledged findings of `CognitoDeviceChecks` over the stack's app. */
export function deviceFindings(scope: Stack): NagFinding[] {
  return nagFindings(scope.node.root, [new CognitoDeviceChecks()]);
}

/** The pack's report violations (rule id, severity, description) over the stack's app. */
export function deviceViolations(scope: Stack, pack = new CognitoDeviceChecks()): PolicyViolation[] {
  const app = scope.node.root as App;
  app.synth();
  return pack.validateScope(app).violations;
}
