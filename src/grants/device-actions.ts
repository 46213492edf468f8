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
} as const;

/** Token-authorized device actions: IAM policies naming them have no effect. */
export const TOKEN_AUTHORIZED_DEVICE_ACTIONS = [
  'cognito-idp:ForgetDevice',
  'cognito-idp:ListDevices',
  'cognito-idp:GetDevice',
  'cognito-idp:UpdateDeviceStatus',
] as const;
