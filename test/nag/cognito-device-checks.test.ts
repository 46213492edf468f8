import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { deviceFindings, deviceViolations, NEGATED_RULE, policyWith, REPLICA_RULE, TOKEN_RULE, WILDCARD_RULE } from './fixtures';
import { CognitoDeviceChecks } from '../../src/nag';
import { newStack } from '../util/stack';

describe('CognitoDeviceChecks', () => {
  test('names itself and lists its rule ids', () => {
    const pack = new CognitoDeviceChecks();
    expect(pack.name).toBe('CognitoDeviceChecks');
    expect(pack.readPackName).toBe('CognitoDevice');
    expect(pack.ruleIds).toEqual([WILDCARD_RULE, NEGATED_RULE, TOKEN_RULE, REPLICA_RULE]);
  });

  test('reports broad grants as errors and token-authorized actions as warnings', () => {
    const stack = newStack({ agnostic: true });
    policyWith(
      stack,
      new iam.PolicyStatement({ actions: ['cognito-idp:AdminForgetDevice', 'cognito-idp:ForgetDevice'], resources: ['*'] }),
      new iam.PolicyStatement({ notActions: ['iam:*'], resources: ['*'] }),
    );
    const severities = Object.fromEntries(deviceViolations(stack).map((violation) => [violation.ruleName, violation.severity]));
    expect(severities).toEqual({ [WILDCARD_RULE]: 'error', [NEGATED_RULE]: 'error', [TOKEN_RULE]: 'warning' });
  });

  test('verbose findings tell what to write instead', () => {
    const stack = newStack({ agnostic: true });
    policyWith(stack, new iam.PolicyStatement({ actions: ['cognito-idp:Admin*'], resources: ['*'] }));
    const [violation] = deviceViolations(stack, new CognitoDeviceChecks(undefined, { verbose: true }));
    expect(violation.description).toContain('UserPoolDeviceGrants.fromUserPool(pool).forgetDevice(role)');
    expect(violation.description).toContain('UserPoolDeviceGrants.fromTaggedUserPools(stack, key, value)');
  });

  test('has nothing to say about resources that hold no IAM policy', () => {
    const stack = newStack({ agnostic: true });
    new cognito.UserPool(stack, 'Pool', { deviceTracking: { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: true } });
    new s3.CfnBucket(stack, 'Bucket');
    expect(deviceFindings(stack)).toEqual([]);
  });

  test('runs from Validations.of(app).addPlugins: validate() checks the scope it was created with', () => {
    const stack = newStack({ agnostic: true });
    policyWith(stack, new iam.PolicyStatement({ actions: ['cognito-idp:AdminForgetDevice'], resources: ['*'] }));
    const pack = new CognitoDeviceChecks(stack.node.root);
    deviceFindings(stack);
    // The context aws-cdk-lib 2.257 passes: template paths only, no construct tree.
    const report = pack.validate({ templatePaths: [] });
    expect(report.success).toBe(false);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([WILDCARD_RULE]);
  });

  test('validate() without a scope says how to create the pack', () => {
    expect(() => new CognitoDeviceChecks().validate({ templatePaths: [] })).toThrow(/new CognitoDeviceChecks\(app\)/);
  });
});
