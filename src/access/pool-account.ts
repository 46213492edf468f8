import { Annotations, Stack, Token } from 'aws-cdk-lib';
import { aws_cognito as cognitoRefs } from 'aws-cdk-lib/interfaces';
import type { IConstruct } from 'constructs';
import { primaryPoolArnOf } from '../grants/primary-pool-arn';
import { literalAccountOf } from '../private/arn-account';
import { validationError } from '../private/validation-error';

/**
 * A role can only be allowed on pools of its own account (user pools have no resource policy), so a
 * pool of another account is a mistake: an error where both accounts are known at synth time, a
 * warning where the role's account is not (an environment-agnostic stack, e.g. for StackSets).
 * A Multi-Region replica's ARN is checked as the ARN the grants name, its primary's (the same
 * account: a replica is in its primary's account), and named as given in the messages.
 */
export function checkPoolsInRoleAccount(scope: IConstruct, userPools: cognitoRefs.IUserPoolRef[]): void {
  const roleAccount = Stack.of(scope).account;
  for (const pool of userPools) {
    const arn = pool.userPoolRef.userPoolArn;
    const poolAccount = literalAccountOf(primaryPoolArnOf(arn).arn);
    // A reference (an owned pool, an imported value): the account is known at deploy time only.
    if (poolAccount === undefined) continue;
    if (Token.isUnresolved(roleAccount)) {
      Annotations.of(scope).addWarningV2('cdk-cognito-devices:DeviceSweepAccessRole.poolAccountUnknown',
        `userPools: ${arn} is a pool of account ${poolAccount}, but this stack is environment-agnostic, so the role's account is ` +
        'known at deploy time only: the grant works only where the stack is deployed in that account. For a StackSet, ' +
        'select the pools by tag (userPoolTag) or build the ARN from the stack\'s account (UserPool.fromUserPoolId).');
      continue;
    }
    if (poolAccount !== roleAccount) {
      throw validationError(scope,
        `userPools: ${arn} is a pool of account ${poolAccount}, but this role is in account ${roleAccount}. ` +
        'A role can only be allowed on pools of its own account (user pools have no resource policy): deploy a ' +
        `DeviceSweepAccessRole in account ${poolAccount} for that pool, and list only this account's pools here.`);
    }
  }
}
