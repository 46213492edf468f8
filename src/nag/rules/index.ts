import { ADMIN_DEVICE_NEGATED_GRANT } from './admin-device-negated-grant';
import { ADMIN_DEVICE_REPLICA_ARN } from './admin-device-replica-arn';
import { ADMIN_DEVICE_WILDCARD_RESOURCE } from './admin-device-wildcard-resource';
import { DeviceRule } from './device-rule';
import { TOKEN_AUTHORIZED_DEVICE_ACTION } from './token-authorized-device-action';

/** Every rule of `CognitoDeviceChecks`, in the order they are applied. */
export const DEVICE_RULES: readonly DeviceRule[] = [
  ADMIN_DEVICE_WILDCARD_RESOURCE,
  ADMIN_DEVICE_NEGATED_GRANT,
  TOKEN_AUTHORIZED_DEVICE_ACTION,
  ADMIN_DEVICE_REPLICA_ARN,
];
