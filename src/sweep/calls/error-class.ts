/**
 * Every failure of a sweep call, classified once: throttled and transient ones are slowed down and
 * retried, "done" ones mean the goal is already reached, systemic ones can never succeed in this run
 * (a denial, bad or missing credentials, a pool that does not exist, an endpoint out of reach) and
 * stop the pool, or the whole run, at once with one line that says what fixes it. The rest fail the
 * one call: counted, and the sweep goes on.
 */
import { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { SdkError } from '@smithy/types';
import type { PoolStop, PoolStopReason } from '../types';

/** The Cognito operations a sweep calls. */
export type SweepOperation = 'ListUsers' | 'AdminListDevices' | 'AdminForgetDevice';

/** What a failed call means for the sweep. */
export type ErrorClass =
  | { readonly kind: 'throttle' }
  | { readonly kind: 'transient' }
  /** The user or device is already gone: the goal is reached. */
  | { readonly kind: 'done' }
  /** Stops the pool (`scope: 'pool'`) or every pool of the run (`'run'`: the credentials, the endpoint). */
  | { readonly kind: 'systemic'; readonly scope: 'pool' | 'run'; readonly stop: PoolStop }
  /** This call failed for good; counted, the sweep goes on. */
  | { readonly kind: 'failed' };

/** The call that failed. */
export interface FailedCall {
  readonly operation: SweepOperation;
  readonly userPoolId: string;
  /** The Region the client called. */
  readonly region: string;
}

/** IAM said no. Cognito answers AccessDeniedException; other services' spellings are included for proxies. */
const DENIALS = ['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation'];

/** The credentials were refused (expired, unknown or mis-signed), whatever the action. */
const REJECTED_CREDENTIALS = [
  'ExpiredTokenException', 'ExpiredToken', 'UnrecognizedClientException', 'InvalidSignatureException',
  'InvalidClientTokenId', 'SignatureDoesNotMatch', 'IncompleteSignature', 'MissingAuthenticationTokenException',
  'InvalidAccessKeyId', 'RequestExpired',
];

/** No credential provider of the chain found any (the SDK's credential providers). */
const NO_CREDENTIALS = ['CredentialsProviderError', 'TokenProviderError'];

/** Socket errors that mean the endpoint cannot be reached (the SDK has already retried them). */
const UNREACHABLE_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];

/** Which grant allows each operation (src/grants). */
const GRANT_FOR: Record<SweepOperation, string> = {
  ListUsers: 'scanDevices(role) (a dry run) or sweepDevices(role)',
  AdminListDevices: 'scanDevices(role) (a dry run) or sweepDevices(role)',
  AdminForgetDevice: 'sweepDevices(role)',
};

/** Classifies `error`, thrown by `call`. */
export function classifyError(error: unknown, call: FailedCall): ErrorClass {
  // Not `instanceof Error`: Node's socket errors may come from another realm (a test VM, a worker).
  if (typeof error !== 'object' || error === null) return { kind: 'failed' };
  const name = String((error as Error).name);
  // The SDK's wrapper of an error it could not recognise as one adds only noise before the real text.
  const message = oneLine(String((error as Error).message)).replace(/^AWS SDK error wrapper for (\w*Error: )?/, '');
  const sdkError = error as SdkError;
  if (name === 'RoleNotAssumableError') return roleNotAssumable(error as RoleNotAssumable);
  if (isThrottlingError(sdkError)) return { kind: 'throttle' };

  if (isDone(error, call.operation)) return { kind: 'done' };
  if (name === 'ResourceNotFoundException') {
    // On a device the device is gone (done, above); on a listing, the pool is.
    return pool('pool-not-found', `user pool ${call.userPoolId} does not exist in Region ${call.region} ` +
      `(${call.operation}: ${name}); check the pool id and the Region`);
  }
  if (DENIALS.includes(name)) {
    return pool('access-denied', `cognito-idp:${call.operation} denied on user pool ${call.userPoolId} (${name}); ` +
      `allow it with UserPoolDeviceGrants.fromUserPool(pool).${GRANT_FOR[call.operation]}: ${message}`);
  }
  if (name === 'NotAuthorizedException') {
    return pool('access-denied', `cognito-idp:${call.operation} not authorized on user pool ${call.userPoolId} (${name}); ` +
      `the credentials must be an IAM principal allowed it by UserPoolDeviceGrants.fromUserPool(pool).${GRANT_FOR[call.operation]}: ${message}`);
  }
  if (name === 'InvalidUserPoolConfigurationException') {
    return pool('pool-misconfigured', `user pool ${call.userPoolId} is not configured for ${call.operation} (${name}): ${message}`);
  }
  if (NO_CREDENTIALS.includes(name)) {
    return run('no-credentials', 'no AWS credentials found (AWS_PROFILE or --profile, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ' +
      `SSO, a container or instance role): ${message}`);
  }
  // A clock-skewed signature is transient (the SDK corrects the skew and retries).
  if (REJECTED_CREDENTIALS.includes(name) && !(name === 'InvalidSignatureException' && /Signature expired/.test(message))) {
    return run('credentials-rejected', `the AWS credentials were refused (${name}: ${message}); ` +
      'renew them (aws sso login, a new session token) or use others, then run again');
  }
  // The SDK wraps an error it does not recognise as one (another realm's) into a message that keeps only the text.
  const code = (error as { code?: string }).code ?? ((error as Error).cause as { code?: string } | undefined)?.code ??
    UNREACHABLE_CODES.find((c) => new RegExp(`\\b${c}\\b`).test(message));
  if (code !== undefined && UNREACHABLE_CODES.includes(code)) {
    return run('endpoint-unreachable', `the Cognito endpoint for Region ${call.region} cannot be reached (${code}: ${message}); ` +
      'check the network, the Region and --endpoint-url');
  }
  if (isTransientError(sdkError) || isServerError(sdkError)) return { kind: 'transient' };
  return { kind: 'failed' };
}

/** The shape of account-credentials.ts's RoleNotAssumableError (not imported: this file stays free of the providers). */
interface RoleNotAssumable extends Error {
  readonly accountId: string;
  readonly roleArn: string;
  readonly cause: unknown;
}

/**
 * The account's role could not be assumed. STS's throttles and transient failures are retried like
 * Cognito's; anything else (no such role, a trust policy that does not trust the caller, or wants
 * another external id or session name) stops the pool, and, since the account's provider then
 * refuses at once, every other pool of the account without a call. Never the whole run: the other
 * accounts go on.
 */
function roleNotAssumable(error: RoleNotAssumable): ErrorClass {
  const cause = error.cause;
  if (typeof cause === 'object' && cause !== null) {
    if (isThrottlingError(cause as SdkError)) return { kind: 'throttle' };
    if (isTransientError(cause as SdkError) || isServerError(cause as SdkError)) return { kind: 'transient' };
  }
  const reason = errorName(cause) ?? 'Error';
  const text = oneLine(String((cause as Error | undefined)?.message ?? cause));
  // One message for every pool of the account (the report says which pools): one line where messages are deduplicated.
  return pool('role-not-assumable', `cannot assume role ${error.roleArn} for the pools of account ${error.accountId} ` +
    `(sts:AssumeRole: ${reason}), so they were not swept; deploy a DeviceSweepAccessRole in account ` +
    `${error.accountId} that trusts this principal, with the same external id, and check the role ARN: ${text}`);
}

/**
 * The goal is reached: the user was deleted meanwhile (or, named, never existed), or the device is
 * already gone. On ListUsers nothing is "done": a missing pool is systemic.
 */
export function isDone(error: unknown, operation: SweepOperation): boolean {
  const name = errorName(error);
  if (name === 'UserNotFoundException') return operation !== 'ListUsers';
  return name === 'ResourceNotFoundException' && operation === 'AdminForgetDevice';
}

/** The exception name of a service error (e.g. `UserNotFoundException`), or undefined. */
export function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as Error).name === 'string' ? (error as Error).name : undefined;
}

/**
 * A call that can never succeed in this run. Thrown by the budgeted calls once the pool (or run)
 * has been told to stop; the pool counts it as an error and reports `stop`.
 */
export class SystemicCallError extends Error {
  constructor(readonly scope: 'pool' | 'run', readonly stop: PoolStop, readonly cause: unknown) {
    super(stop.message);
    this.name = 'SystemicCallError';
  }
}

function pool(reason: PoolStopReason, message: string): ErrorClass {
  return { kind: 'systemic', scope: 'pool', stop: { reason, message } };
}

function run(reason: PoolStopReason, message: string): ErrorClass {
  return { kind: 'systemic', scope: 'run', stop: { reason, message } };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
