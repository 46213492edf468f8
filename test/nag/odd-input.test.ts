import { CfnCondition, CfnParameter, Fn } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { deviceFindings, deviceViolations, rawPolicyWith, TOKEN_RULE, WILDCARD_RULE } from './fixtures';
import { newStack } from '../util/stack';

/** Documents that no rule understands fully: none of them may make a rule throw. */
const ODD_DOCUMENTS: Array<[string, unknown]> = [
  ['an empty document', {}],
  ['a null Statement', { Statement: null }],
  ['a statement that is a string', { Statement: ['not a statement'] }],
  ['a statement without Effect, Action or Resource', { Statement: [{}] }],
  ['an Effect that is an intrinsic', { Statement: [{ Effect: { Ref: 'EffectParam' }, Action: '*', Resource: '*' }] }],
  ['an Action that is a Ref to a parameter', { Statement: [{ Effect: 'Allow', Action: { Ref: 'ActionParam' }, Resource: '*' }] }],
  ['numbers and nulls in lists', { Statement: [{ Effect: 'Allow', Action: [42, null], Resource: [7, null, true] }] }],
  ['a Resource that is a Ref to a list parameter', { Statement: [{ Effect: 'Allow', Action: 'cognito-idp:AdminGetDevice', Resource: { Ref: 'Arns' } }] }],
  ['a Fn::Join of a Fn::Split', { Statement: [{ Effect: 'Allow', Action: 'cognito-idp:AdminGetDevice', Resource: { 'Fn::Join': ['', { 'Fn::Split': [',', 'a,b'] }] } }] }],
  ['a malformed Fn::Join', { Statement: [{ Effect: 'Allow', Action: 'cognito-idp:AdminGetDevice', Resource: { 'Fn::Join': 'nope' } }] }],
  ['a malformed Fn::Sub', { Statement: [{ Effect: 'Allow', Action: 'cognito-idp:AdminGetDevice', Resource: { 'Fn::Sub': [{ Ref: 'X' }] } }] }],
  ['a Fn::Sub with an unclosed placeholder', { Statement: [{ Effect: 'Allow', Action: 'cognito-idp:AdminGetDevice', Resource: { 'Fn::Sub': 'arn:${AWS::Partition:userpool/x' } }] }],
  ['a malformed Fn::If', { Statement: [{ Effect: 'Allow', Action: 'cognito-idp:AdminGetDevice', Resource: { 'Fn::If': ['c'] } }] }],
  ['an object with several keys as a resource', { Statement: [{ Effect: 'Allow', Action: 'cognito-idp:AdminGetDevice', Resource: { a: 1, b: 2 } }] }],
  ['a Condition that is a string', { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: 'odd' }] }],
  ['a Condition with a non-object comparison', { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: 'x' } }] }],
];

describe('odd input', () => {
  test.each(ODD_DOCUMENTS)('%s: no rule throws, nothing is reported', (_name, document) => {
    const stack = newStack({ agnostic: true });
    new iam.CfnPolicy(stack, 'Policy', { policyName: 'odd', roles: ['r'], policyDocument: document });
    expect(deviceViolations(stack)).toEqual([]);
  });

  test('a single Statement object (not a list) is read', () => {
    const stack = newStack({ agnostic: true });
    new iam.CfnPolicy(stack, 'Policy', {
      policyName: 'single',
      roles: ['r'],
      policyDocument: { Statement: { Effect: 'Allow', Action: 'cognito-idp:GetDevice', Resource: '*' } },
    });
    expect(deviceFindings(stack)).toEqual([{ ruleId: TOKEN_RULE, path: 'Stack/Policy' }]);
  });

  test('Fn::If counts a Resource branch that covers every pool', () => {
    const stack = newStack({ agnostic: true });
    const wide = new CfnCondition(stack, 'Wide', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Mode').valueAsString, 'wide') });
    rawPolicyWith(stack, {
      Effect: 'Allow',
      Action: 'cognito-idp:AdminForgetDevice',
      Resource: Fn.conditionIf(wide.logicalId, '*', Fn.getAtt('Pool', 'Arn')),
    });
    expect(deviceFindings(stack)).toEqual([{ ruleId: WILDCARD_RULE, path: 'Stack/Policy' }]);
  });

  test('Fn::If counts either branch of a whole statement', () => {
    const stack = newStack({ agnostic: true });
    new iam.CfnPolicy(stack, 'Policy', {
      policyName: 'if',
      roles: ['r'],
      policyDocument: {
        Statement: [Fn.conditionIf('Wide', { Effect: 'Allow', Action: 'cognito-idp:*', Resource: '*' }, Fn.ref('AWS::NoValue'))],
      },
    });
    expect(deviceFindings(stack)).toEqual([{ ruleId: WILDCARD_RULE, path: 'Stack/Policy' }]);
  });
});
