/**
 * The IAM actions of Cognito's device administration API.
 *
 * Only the `Admin*` device actions are authorized by IAM. Their token-authorized twins
 * (`ForgetDevice`, `ListDevices`, `GetDevice`, `UpdateDeviceStatus`) are authorized by the signed-in
 * user's access token: IAM never evaluates them, so this library never grants them.
 */
export const DeviceActions = {
  FORGET: 'cognito-idp:AdminForgetDevice',
  LIST: 'cognito-idp:AdminListDevices',
  GET: 'cognito-idp:AdminGetDevice',
  UPDATE_STATUS: 'cognito-idp:AdminUpdateDeviceStatus',
  LIST_USERS: 'cognito-idp:ListUsers',
  /** Not a device action: the pool's settings and estimated user count, which a sweep reads for its progress. */
  DESCRIBE_USER_POOL: 'cognito-idp:DescribeUserPool',
  /**
   * Not a device action: the account's provisioned (raised) request-rate limit of a quota category,
   * which a sweep with `readProvisionedLimits` budgets on. It has no resource type in IAM: only
   * `Resource: "*"` grants it.
   */
  GET_PROVISIONED_LIMIT: 'cognito-idp:GetProvisionedLimit',
} as const;

/** The device actions that IAM authorizes: the ones this library grants, and CognitoDeviceChecks watches for. */
export const ADMIN_DEVICE_ACTIONS = [
  DeviceActions.FORGET,
  DeviceActions.LIST,
  DeviceActions.GET,
  DeviceActions.UPDATE_STATUS,
] as const;

/**
 * Device actions authorized by the signed-in user's access token: IAM never evaluates them, so an
 * IAM policy naming them changes nothing.
 */
export const TOKEN_AUTHORIZED_DEVICE_ACTIONS = [
  'cognito-idp:ForgetDevice',
  'cognito-idp:ListDevices',
  'cognito-idp:GetDevice',
  'cognito-idp:UpdateDeviceStatus',
] as const;
