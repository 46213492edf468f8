/** Reading one SQS message: which pools to try, and why a message is ignored. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { readRevocationMessage } from '../../src/revocation/runtime/revocation-message';

const SUB = '8f14e45f-ceea-467f-a0e6-2b8f7d1a9c3e';
const IRELAND_A = 'eu-west-1_AAAAAAAAA';
const IRELAND_B = 'eu-west-1_BBBBBBBBB';
const VIRGINIA = 'us-east-1_CCCCCCCCC';

function event(file: string, poolId = IRELAND_A): string {
  return readFileSync(join(__dirname, 'fixtures', file), 'utf8')
    .split('${USER_POOL_ID}').join(poolId).split('${SUB}').join(SUB).split('${EVENT_TIME}').join('2026-12-02T10:00:00Z');
}

test('an administrator call names its pool: only that pool is tried', () => {
  expect(readRevocationMessage(event('admin-disable-user.json'), [IRELAND_A, IRELAND_B])).toEqual({
    kind: 'revoke', trigger: 'AdminDisableUser', targets: [{ userPoolId: IRELAND_A, sub: SUB }], acceptedAtMs: Date.parse('2026-12-02T10:00:00Z'),
  });
});

test('a token or client call names no pool: every allowed pool of the event\'s Region is a candidate, none of another Region', () => {
  const request = readRevocationMessage(event('global-sign-out.json'), [IRELAND_A, VIRGINIA, IRELAND_B]);
  expect(request).toMatchObject({ kind: 'revoke', trigger: 'GlobalSignOut', targets: [{ userPoolId: IRELAND_A, sub: SUB }, { userPoolId: IRELAND_B, sub: SUB }] });
  expect(readRevocationMessage(event('confirm-forgot-password.json'), [VIRGINIA])).toEqual({ kind: 'ignore', reason: 'otherPool', trigger: 'ConfirmForgotPassword' });
});

test.each([
  ['another pool', event('admin-set-user-password.json', 'eu-west-1_Elsewhere'), 'otherPool'],
  ['not JSON', '{', 'malformed'],
  ['an array', '[]', 'malformed'],
  ['another source', JSON.stringify({ ...JSON.parse(event('admin-disable-user.json')), source: 'aws.s3' }), 'notATrigger'],
  ['another Cognito call', event('admin-disable-user.json').replace('"AdminDisableUser"', '"AdminGetUser"'), 'notATrigger'],
  ['no sub', event('admin-disable-user.json').replace(`"sub": "${SUB}"`, '"sub": "HIDDEN_DUE_TO_SECURITY_REASONS"'), 'noSub'],
  ['a direct message without a user', JSON.stringify({ userPoolId: IRELAND_A }), 'malformed'],
  ['a direct message with a sub that is not a UUID', JSON.stringify({ userPoolId: IRELAND_A, sub: 'x" or username ^= "' }), 'malformed'],
  ['a direct message of another pool', JSON.stringify({ userPoolId: VIRGINIA, username: 'alice' }), 'otherPool'],
])('ignores %s', (_name, body, reason) => {
  expect(readRevocationMessage(body, [IRELAND_A])).toMatchObject({ kind: 'ignore', reason });
});
