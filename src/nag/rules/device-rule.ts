import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { IamStatement, iamStatementsOf } from '../policy/policy-statements';

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
  'updateDeviceStatus, readDevices, scanDevices, sweepDevices), or on the pools carrying a tag with ' +
  'UserPoolDeviceGrants.fromTaggedUserPools(stack, key, value), which adds an aws:ResourceTag condition.';

/**
 * A rule that reads the IAM statements of a resource: non-compliant when any statement is `flagged`,
 * not applicable to resources that hold no IAM policy.
 *
 * @param name the rule id suffix, set as the function's name so the id does not depend on how a
 *   bundler renames functions
 */
export function statementRule(name: string, flagged: (statement: IamStatement) => boolean): DeviceRule['rule'] {
  const rule = (node: CfnResource): NagRuleResult => {
    const statements = iamStatementsOf(node);
    if (statements === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return statements.some(flagged) ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  };
  Object.defineProperty(rule, 'name', { value: name });
  return rule;
}
