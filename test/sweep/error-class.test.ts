/** Every failure is classified once: the table of error-class.ts, on errors shaped as the SDK throws them. */
import { InternalErrorException, NotAuthorizedException, TooManyRequestsException } from '@aws-sdk/client-cognito-identity-provider';
import { CredentialsProviderError } from '@smithy/core/config';
import { classifyError, FailedCall, SweepOperation } from '../../src/sweep/calls/error-class';

const POOL = 'eu-west-1_AbC123';
const call = (operation: SweepOperation): FailedCall => ({ operation, userPoolId: POOL, region: 'eu-west-1' });

/** A service error as the SDK builds it from a JSON 1.1 answer it has no class for. */
function serviceError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status } });
}

test.each<[string, unknown, SweepOperation, string]>([
  ['a throttle', new TooManyRequestsException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }), 'AdminListDevices', 'throttle'],
  ['a 500', new InternalErrorException({ message: 'boom', $metadata: { httpStatusCode: 500 } }), 'ListUsers', 'transient'],
  ['a 503 of any name', serviceError('ServiceUnavailable', 'later', 503), 'ListUsers', 'transient'],
  ['a connection reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'AdminForgetDevice', 'transient'],
  ['a clock-skewed signature', serviceError('InvalidSignatureException', 'Signature expired: 20260101T000000Z is now earlier than ...'), 'ListUsers', 'transient'],
  ['a user deleted meanwhile', serviceError('UserNotFoundException', 'User does not exist.'), 'AdminListDevices', 'done'],
  ['a device already gone', serviceError('ResourceNotFoundException', 'Device does not exist.'), 'AdminForgetDevice', 'done'],
  ['a bad parameter', serviceError('InvalidParameterException', 'bad username'), 'AdminForgetDevice', 'failed'],
  ['not an error at all', 'oops', 'ListUsers', 'failed'],
])('%s is %s', (_what, error, operation, kind) => {
  expect(classifyError(error, call(operation)).kind).toBe(kind);
});

test.each<[string, unknown, SweepOperation, string, 'pool' | 'run', RegExp]>([
  ['AccessDeniedException', serviceError('AccessDeniedException', 'User: arn:... is not authorized'), 'AdminForgetDevice', 'access-denied', 'pool',
    /^cognito-idp:AdminForgetDevice denied on user pool eu-west-1_AbC123 \(AccessDeniedException\); allow it with UserPoolDeviceGrants\.fromUserPool\(pool\)\.sweepDevices\(role\): User: arn:\.\.\. is not authorized$/],
  ['NotAuthorizedException', new NotAuthorizedException({ message: 'not authorized', $metadata: {} }), 'ListUsers', 'access-denied', 'pool',
    /^cognito-idp:ListUsers not authorized on user pool eu-west-1_AbC123 \(NotAuthorizedException\); .*scanDevices\(role\)/],
  ['a missing pool on ListUsers', serviceError('ResourceNotFoundException', 'User pool eu-west-1_AbC123 does not exist.'), 'ListUsers', 'pool-not-found', 'pool',
    /^user pool eu-west-1_AbC123 does not exist in Region eu-west-1 \(ListUsers: ResourceNotFoundException\)/],
  ['a missing pool on AdminListDevices', serviceError('ResourceNotFoundException', 'User pool does not exist.'), 'AdminListDevices', 'pool-not-found', 'pool',
    /^user pool eu-west-1_AbC123 does not exist in Region eu-west-1 \(AdminListDevices: ResourceNotFoundException\)/],
  ['InvalidUserPoolConfigurationException', serviceError('InvalidUserPoolConfigurationException', 'Device tracking is off'), 'AdminForgetDevice', 'pool-misconfigured', 'pool',
    /^user pool eu-west-1_AbC123 is not configured for AdminForgetDevice \(InvalidUserPoolConfigurationException\): Device tracking is off$/],
  ['an expired token', serviceError('ExpiredTokenException', 'The security token included in the request is expired'), 'ListUsers', 'credentials-rejected', 'run',
    /^the AWS credentials were refused \(ExpiredTokenException: The security token included in the request is expired\); renew them/],
  ['an unknown key', serviceError('UnrecognizedClientException', 'The security token included in the request is invalid.'), 'ListUsers', 'credentials-rejected', 'run',
    /UnrecognizedClientException/],
  ['a bad signature', serviceError('InvalidSignatureException', 'The request signature we calculated does not match'), 'ListUsers', 'credentials-rejected', 'run',
    /InvalidSignatureException/],
  ['no credentials', new CredentialsProviderError('Could not load credentials from any providers', { tryNextLink: false }), 'ListUsers', 'no-credentials', 'run',
    /^no AWS credentials found \(AWS_PROFILE or --profile, .*\): Could not load credentials from any providers$/],
  ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 'ListUsers', 'endpoint-unreachable', 'run',
    /^the Cognito endpoint for Region eu-west-1 cannot be reached \(ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:9\)/],
  ['an unknown host', Object.assign(new Error('getaddrinfo ENOTFOUND cognito-idp.xx.amazonaws.com'), { code: 'ENOTFOUND' }), 'ListUsers', 'endpoint-unreachable', 'run',
    /ENOTFOUND/],
  ['a socket error the SDK wrapped (another realm)', new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:9'), 'ListUsers', 'endpoint-unreachable', 'run',
    /\(ECONNREFUSED: connect ECONNREFUSED 127\.0\.0\.1:9\)/],
])('%s is systemic', (_what, error, operation, reason, scope, message) => {
  const verdict = classifyError(error, call(operation));
  if (verdict.kind !== 'systemic') throw new Error(`expected systemic, got ${verdict.kind}`);
  expect(verdict).toMatchObject({ scope, stop: { reason } });
  expect(verdict.stop.message).toMatch(message);
  expect(verdict.stop.message).not.toContain('\n');
});
