/**
 * Cognito's error answers. The SDK maps `x-amzn-errortype` (or `__type`) to its exception classes,
 * so the names here must be exactly the service's.
 */

/** An error the simulator answers with; `status` is the HTTP status the real service uses. */
export class SimError extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
    this.name = type;
  }
}

export const invalidParameter = (message: string): SimError => new SimError('InvalidParameterException', message);

export const tooManyRequests = (): SimError => new SimError('TooManyRequestsException', 'Rate exceeded');

export const internalError = (): SimError => new SimError('InternalErrorException', 'Internal server error', 500);

export const poolNotFound = (poolId: string): SimError =>
  new SimError('ResourceNotFoundException', `User pool ${poolId} does not exist.`);

/** An administration call signed for the Region of a secondary replica: only the primary serves it. */
export const operationNotEnabled = (operation: string, region: string): SimError =>
  new SimError('OperationNotEnabledException', `${operation} is not available in ${region}, a secondary replica Region of this user pool: call its primary Region.`);

export const userNotFound = (): SimError => new SimError('UserNotFoundException', 'User does not exist.');

export const deviceNotFound = (): SimError => new SimError('ResourceNotFoundException', 'Device does not exist.');

/** Cognito's schema-validation wording, e.g. for a missing member or an out-of-range Limit. */
export const validationError = (member: string, value: unknown, constraint: string): SimError =>
  invalidParameter(`1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`);

/** Account of the simulated caller, in denial messages. */
export const SIM_ACCOUNT = '123456789012';

/** IAM's denial as Cognito returns it (HTTP 400, `AccessDeniedException`). */
export const accessDenied = (operation: string, region: string, poolId: string): SimError =>
  new SimError('AccessDeniedException',
    `User: arn:aws:sts::${SIM_ACCOUNT}:assumed-role/sweeper/session is not authorized to perform: cognito-idp:${operation} ` +
    `on resource: arn:aws:cognito-idp:${region}:${SIM_ACCOUNT}:userpool/${poolId} because no identity-based policy allows the cognito-idp:${operation} action`);

/** IAM's denial of an action that has no resource type (GetProvisionedLimit): no resource is named. */
export const accessDeniedWithoutResource = (operation: string, accountId: string): SimError =>
  new SimError('AccessDeniedException',
    `User: arn:aws:sts::${accountId}:assumed-role/sweeper/session is not authorized to perform: cognito-idp:${operation} ` +
    `because no identity-based policy allows the cognito-idp:${operation} action`);

export const expiredToken = (): SimError => new SimError('ExpiredTokenException', 'The security token included in the request is expired');

export const unrecognizedClient = (): SimError => new SimError('UnrecognizedClientException', 'The security token included in the request is invalid.');
