import { matchesIamPattern } from '../../src/nag/policy/iam-pattern';
import { ResourcePatternReader } from '../../src/nag/policy/resource-patterns';
import { isScopedByResourceTag } from '../../src/nag/policy/resource-tag-condition';
import { coversAllUserPools } from '../../src/nag/policy/user-pool-coverage';

/** Whether a resolved Resource value covers every pool, the way the rules read it. */
function covers(resource: unknown): boolean {
  return new ResourcePatternReader().read(resource).some(coversAllUserPools);
}

describe('IAM wildcard matching', () => {
  test.each([
    ['cognito-idp:Admin*', 'cognito-idp:AdminForgetDevice', false, true],
    ['cognito-idp:admin?orgetdevice', 'cognito-idp:AdminForgetDevice', false, true],
    ['cognito-idp:Admin?', 'cognito-idp:AdminForgetDevice', false, false],
    ['cognito-idp:Admin*', 'cognito-idp:AdminForgetDevice', true, true],
    ['arn:aws:cognito-idp:*:*:USERPOOL/*', 'arn:aws:cognito-idp:us-east-1:1:userpool/x', true, false],
    ['a.b(c)[d]+', 'a.b(c)[d]+', true, true],
    ['a.b', 'axb', true, false],
  ])('%s against %s (case-sensitive: %s) is %s', (pattern, value, caseSensitive, expected) => {
    expect(matchesIamPattern(pattern, value, caseSensitive)).toBe(expected);
  });
});

describe('resources that cover every user pool', () => {
  test.each([
    ['*', true],
    ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/*', true],
    ['arn:aws:cognito-idp:us-east-1:123456789012:*', true],
    ['arn:aws-cn:cognito-idp:cn-north-1:123456789012:userpool/cn-north-1_*', true],
    ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_?????????', true],
    ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123', false],
    ['arn:aws:cognito-idp:us-east-1:123456789012:userpool/eu-west-1_*', false],
    ['arn:aws:cognito-idp:us-east-1::userpool/*', false],
    ['arn:aws:cognito-identity:us-east-1:123456789012:identitypool/*', false],
    ['arn:aws:s3:::*', false],
  ])('%s: %s', (resource, expected) => {
    expect(covers(resource)).toBe(expected);
  });

  test('a reference in the pool-id position is one exact pool', () => {
    const arn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cognito-idp:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':userpool/', { Ref: 'Pool' }]] };
    expect(covers(arn)).toBe(false);
    expect(covers({ 'Fn::GetAtt': ['Pool', 'Arn'] })).toBe(false);
  });

  test('the same reference in the Region and pool-id positions is recognised as one value', () => {
    expect(covers({ 'Fn::Sub': 'arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${AWS::Region}_*' })).toBe(true);
    expect(covers({ 'Fn::Sub': 'arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${PoolId}*' })).toBe(false);
  });

  test('Fn::Sub variables are expanded, and ${!Literal} is not a placeholder', () => {
    expect(covers({ 'Fn::Sub': ['arn:aws:cognito-idp:${R}:${A}:userpool/${Id}', { R: 'us-east-1', A: '1', Id: '*' }] })).toBe(true);
    expect(covers({ 'Fn::Sub': ['arn:aws:cognito-idp:us-east-1:1:userpool/${Id}', { Id: { Ref: 'Pool' } }] })).toBe(false);
    expect(new ResourcePatternReader().read({ 'Fn::Sub': 'x/${!Literal}' })).toEqual(['x/${Literal}']);
  });

  test('Fn::If stands for both branches; Ref AWS::NoValue for nothing', () => {
    const reader = new ResourcePatternReader();
    expect(reader.read({ 'Fn::If': ['C', 'a', { Ref: 'AWS::NoValue' }] })).toEqual(['a']);
    expect(reader.read({ 'Fn::Join': ['/', ['x', { 'Fn::If': ['C', '1', '2'] }]] })).toEqual(['x/1', 'x/2']);
  });
});

describe('aws:ResourceTag conditions', () => {
  test.each([
    [{ StringEquals: { 'aws:ResourceTag/team': 'a' } }, true],
    [{ stringlike: { 'aws:resourcetag/team': 'a*' } }, true],
    [{ 'ForAnyValue:StringEquals': { 'aws:ResourceTag/team': ['a'] } }, true],
    [{ 'ForAllValues:StringEquals': { 'aws:ResourceTag/team': ['a'] } }, false],
    [{ StringEqualsIfExists: { 'aws:ResourceTag/team': 'a' } }, false],
    [{ StringNotEquals: { 'aws:ResourceTag/team': 'a' } }, false],
    [{ Null: { 'aws:ResourceTag/team': 'false' } }, false],
    [{ StringEquals: { 'aws:RequestTag/team': 'a' } }, false],
    [undefined, false],
  ])('%j: %s', (condition, expected) => {
    expect(isScopedByResourceTag(condition)).toBe(expected);
  });
});
