import { CfnParameter, Fn } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { accessRole, CENTRAL_SWEEP_ROLE, EXTERNAL_ID } from './access-role-fixtures';
import { DeviceSweepAccessRole } from '../../src';
import { newStack } from '../util/stack';

const FOREIGN_POOL_ARN = 'arn:aws:cognito-idp:eu-west-1:333333333333:userpool/eu-west-1_Foreign1';

describe('pools of another account', () => {
  test('a pool ARN of another account is refused, naming the construct path, the ARN and both accounts', () => {
    const stack = newStack({ id: 'Target' });
    const foreign = cognito.UserPool.fromUserPoolArn(stack, 'Foreign', FOREIGN_POOL_ARN);

    expect(() => accessRole(stack, { userPools: [foreign] })).toThrow(
      `Target/Access: userPools: ${FOREIGN_POOL_ARN} is a pool of account 333333333333, but this role is in account 111111111111. ` +
      'A role can only be allowed on pools of its own account (user pools have no resource policy): deploy a ' +
      'DeviceSweepAccessRole in account 333333333333 for that pool, and list only this account\'s pools here.');
  });

  test('the account is read even when the rest of the ARN has tokens', () => {
    const stack = newStack();
    const foreign = cognito.UserPool.fromUserPoolArn(stack, 'Foreign',
      `arn:${stack.partition}:cognito-idp:${stack.region}:333333333333:userpool/eu-west-1_Foreign1`);

    expect(() => accessRole(stack, { userPools: [foreign] })).toThrow(/is a pool of account 333333333333, but this role is in account 111111111111/);
  });

  test('an ARN whose account is a token (an import, a parameter) is left to deploy time', () => {
    const stack = newStack();
    const imported = cognito.UserPool.fromUserPoolArn(stack, 'Imported', Fn.importValue('PoolArn'));

    expect(() => accessRole(stack, { userPools: [imported] })).not.toThrow();
  });
});

describe('trusted roles', () => {
  test('an empty list is refused', () => {
    const stack = newStack();
    expect(() => accessRole(stack, { trustedRoleArns: [] })).toThrow(
      'Stack/Access: trustedRoleArns is empty; name the role(s) of the central sweep that may assume this role.');
  });

  test('a list token is refused (its items may be tokens)', () => {
    const stack = newStack();
    const list = new CfnParameter(stack, 'Roles', { type: 'CommaDelimitedList' });
    expect(() => accessRole(stack, { trustedRoleArns: list.valueAsList })).toThrow(
      /^Stack\/Access: give trustedRoleArns as a literal list \(its items may be tokens\)/);
  });

  test.each([
    ['222222222222', /is a whole account/],
    ['arn:aws:iam::222222222222:root', /is a whole account/],
    ['arn:aws:sts::222222222222:assumed-role/central-device-sweep/session', /is a role session; name the role itself/],
    ['arn:aws:iam::222222222222:role/*', /has a wildcard/],
    ['*', /has a wildcard/],
    ['arn:aws:iam::222222222222:user/alice', /is not an IAM role ARN/],
    ['arn:aws:iam::22222222222:role/short-account', /is not an IAM role ARN/],
    ['arn:aws:iam:eu-west-1:222222222222:role/regional', /is not an IAM role ARN/],
    ['arn:aws:iam::222222222222:role/', /is not an IAM role ARN/],
    ['arn:aws:iam::222222222222:role/has space', /is not an IAM role ARN/],
    ['central-device-sweep', /is not an IAM role ARN/],
  ])('%s is refused', (arn, message) => {
    const stack = newStack();
    expect(() => accessRole(stack, { trustedRoleArns: [CENTRAL_SWEEP_ROLE, arn] })).toThrow(message);
    expect(() => accessRole(newStack(), { trustedRoleArns: [arn] })).toThrow(new RegExp(`^Stack/Access: trustedRoleArns: '${arn.replace(/[*]/g, '\\*')}'`));
  });

  test.each([
    'arn:aws:iam::222222222222:role/central-device-sweep',
    'arn:aws:iam::222222222222:role/ops/team/device-sweep-cli',
    'arn:aws-cn:iam::222222222222:role/cn-sweep',
    'arn:aws-us-gov:iam::222222222222:role/name+=,.@_-1',
  ])('%s is accepted', (arn) => {
    expect(() => accessRole(newStack(), { trustedRoleArns: [arn] })).not.toThrow();
  });
});

describe('external id', () => {
  test.each([
    ['x', 'Stack/Access: externalId is 1 character long; STS accepts 2 to 1224.'],
    ['a'.repeat(1225), 'Stack/Access: externalId is 1225 characters long; STS accepts 2 to 1224.'],
    ['has space', 'Stack/Access: externalId has characters STS does not accept in an external id (allowed: letters, digits and _ + = , . @ : / -).'],
    ['semi;colon', /externalId has characters STS does not accept/],
  ])('%s is refused', (externalId, message) => {
    expect(() => accessRole(newStack(), { externalId })).toThrow(message);
  });

  test.each(['ab', 'a'.repeat(1224), 'org:sweep/2026+=,.@_-'])('%s is accepted', (externalId) => {
    expect(() => accessRole(newStack(), { externalId })).not.toThrow();
  });
});

describe('session-name prefix', () => {
  test.each([
    ['', /sessionNamePrefix is empty/],
    ['a'.repeat(33), /sessionNamePrefix 'a{33}' is 33 characters; use at most 32/],
    ['sweep-*', /sessionNamePrefix 'sweep-\*' has characters STS does not accept in a role session name/],
    ['sweep run', /has characters STS does not accept/],
    ['sweep/', /has characters STS does not accept/],
  ])('%j is refused', (sessionNamePrefix, message) => {
    expect(() => accessRole(newStack(), { sessionNamePrefix })).toThrow(message);
    expect(() => accessRole(newStack(), { sessionNamePrefix })).toThrow(/^Stack\/Access: sessionNamePrefix/);
  });

  test('a token is refused: the sweep must name its sessions with the same literal prefix', () => {
    const stack = newStack();
    const prefix = new CfnParameter(stack, 'Prefix', { type: 'String' });
    expect(() => accessRole(stack, { sessionNamePrefix: prefix.valueAsString })).toThrow(/^Stack\/Access: give sessionNamePrefix as literal text/);
  });
});

describe('which pools', () => {
  test('neither userPools nor userPoolTag is refused', () => {
    expect(() => new DeviceSweepAccessRole(newStack(), 'Access', { trustedRoleArns: [CENTRAL_SWEEP_ROLE], externalId: EXTERNAL_ID })).toThrow(
      'Stack/Access: userPools is empty and userPoolTag is not set; name the pools the sweep may act on, by ARN, by tag, or both.');
    expect(() => accessRole(newStack(), { userPools: [] })).toThrow(/userPools is empty and userPoolTag is not set/);
  });

  test.each([
    [{ key: '', value: 'payments' }, /tagKey must not be empty/],
    [{ key: 'aws:team', value: 'payments' }, /reserved 'aws:' prefix/],
    [{ key: 'team', value: '' }, /tagValue must not be empty/],
    [{ key: 'team*', value: 'payments' }, /has characters a tag key cannot have/],
  ])('a tag that can select no pool (%j) is refused, naming the construct', (userPoolTag, message) => {
    expect(() => accessRole(newStack(), { userPoolTag })).toThrow(message);
    expect(() => accessRole(newStack(), { userPoolTag })).toThrow(/^Stack\/Access: userPoolTag cannot select a pool: UserPoolDeviceGrants.fromTaggedUserPools: /);
  });
});

test('a refused setting creates nothing', () => {
  const stack = newStack();
  expect(() => accessRole(stack, { externalId: 'x' })).toThrow();
  expect(Template.fromStack(stack).findResources('AWS::IAM::Role')).toEqual({});
});
