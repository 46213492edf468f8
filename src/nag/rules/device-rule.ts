import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleResult } from 'cdk-nag';

/** A rule of the pack with the texts and level `NagPack.applyRule` needs. */
export interface DeviceRule {
  /** The check; its `name` is the rule id suffix (`CognitoDevice-<name>`). */
  readonly rule: (node: CfnResource) => NagRuleResult;
  /** One line: what was found. */
  readonly info: string;
  /** Why it matters and what to write instead. */
  readonly explanation: string;
  /** Error for grants that are too broad, warning for grants that do nothing. */
  readonly level: NagMessageLevel;
}

/** What every rule about broad admin device grants recommends instead. */
export const SCOPED_GRANT_ADVICE =
  'Grant on exact pool ARNs with UserPoolDeviceGrants.fromUserPool(pool).forgetDevice(role) (or listDevices, getDevice, ' +
  'updateDeviceStatus, readDevices, sweepDevices), or on the pools carrying a tag with ' +
  'UserPoolDeviceGrants.fromTaggedUserPools(stack, key, value), which adds an aws:ResourceTag condition.';
