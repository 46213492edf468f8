import { Annotations, Stack, Token } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { aws_cognito as cognitoRefs } from 'aws-cdk-lib/interfaces';
import type { IConstruct } from 'constructs';
import { literalAccountOf } from './arn-account';
import { validationError } from './validation-error';
import type { DeviceSweepAccountAccess } from '../common/account-access';
import { externalIdProblem } from '../sweep/input/rules';
import type { SweepAccountRole } from '../workflow/contract';

/** A role of another account the sweep assumes, with that account's pools. */
export interface ForeignAccount {
  readonly accountId: string;
  readonly role: iam.IRole;
  readonly externalId?: string;
  readonly pools: cognitoRefs.IUserPoolRef[];
}

/** The pools of a sweep, split by whose credentials reach them. */
export interface SweepPools {
  /** Pools of this stack's account: the sweep's own role gets the device grants on them. */
  readonly own: cognitoRefs.IUserPoolRef[];
  /** Pools of other accounts, by account: the sweep assumes each account's role for them. */
  readonly foreign: ForeignAccount[];
  /** `config.userPoolIds` of a run: ids for own pools, ARNs for the others (an id does not name its account). */
  readonly configPoolIds: string[];
  /** `config.accountRoles` of a run. */
  readonly accountRoles: SweepAccountRole[];
}

/**
 * Splits `userPools` into this account's and other accounts' pools, each of the latter with the role
 * of `accountAccess` for its account. Synth errors: a pool of another account without a role, a role
 * whose account is not literal or is this stack's, two roles for one account, a role no pool needs,
 * a bad external id. In an environment-agnostic stack a pool ARN of a literal account without a
 * role is taken as the stack's own (a warning says so): only the deployment tells.
 */
export function resolveSweepPools(
  scope: IConstruct, userPools: cognitoRefs.IUserPoolRef[], accountAccess: DeviceSweepAccountAccess[] = [],
): SweepPools {
  const stackAccount = Stack.of(scope).account;
  const roles = rolesByAccount(scope, accountAccess, stackAccount);
  const own: cognitoRefs.IUserPoolRef[] = [];
  const foreignPools = new Map<string, cognitoRefs.IUserPoolRef[]>();
  for (const pool of userPools) {
    const account = literalAccountOf(pool.userPoolRef.userPoolArn);
    if (account === undefined || account === stackAccount) {
      own.push(pool);
    } else if (roles.has(account)) {
      foreignPools.set(account, [...foreignPools.get(account) ?? [], pool]);
    } else if (Token.isUnresolved(stackAccount)) {
      Annotations.of(scope).addWarningV2('cdk-cognito-devices:Sweep.poolAccountUnknown',
        `userPools: ${pool.userPoolRef.userPoolArn} is a pool of account ${account}, but this stack is environment-agnostic: ` +
        `the sweep works on it only if the stack is deployed in account ${account}. For a pool of another account, ` +
        'give its DeviceSweepAccessRole in accountAccess.');
      own.push(pool);
    } else {
      throw validationError(scope,
        `userPools: ${pool.userPoolRef.userPoolArn} is a pool of account ${account}, and this stack is in account ${stackAccount}. ` +
        'User pools have no resource policy, so the calls must come from a role of that account: deploy a ' +
        `DeviceSweepAccessRole in account ${account} and give it in accountAccess ({ role: iam.Role.fromRoleArn(...), externalId }).`);
    }
  }
  for (const account of roles.keys()) {
    if (!foreignPools.has(account)) {
      throw validationError(scope,
        `accountAccess: the role for account ${account} serves none of the user pools; add that account's pools to userPools ` +
        `(imported by ARN, arn:aws:cognito-idp:<region>:${account}:userpool/<id>), or leave the role out.`);
    }
  }
  const foreign = [...foreignPools].map(([accountId, pools]) => ({ accountId, pools, ...roles.get(accountId)! }));
  return {
    own,
    foreign,
    configPoolIds: [
      ...own.map((pool) => pool.userPoolRef.userPoolId),
      ...foreign.flatMap((account) => account.pools.map((pool) => pool.userPoolRef.userPoolArn)),
    ],
    accountRoles: foreign.map((account) => ({
      accountId: account.accountId,
      roleArn: account.role.roleArn,
      ...(account.externalId === undefined ? {} : { externalId: account.externalId }),
    })),
  };
}

function rolesByAccount(
  scope: IConstruct, accountAccess: DeviceSweepAccountAccess[], stackAccount: string,
): Map<string, { role: iam.IRole; externalId?: string }> {
  const roles = new Map<string, { role: iam.IRole; externalId?: string }>();
  for (const [index, access] of accountAccess.entries()) {
    const name = `accountAccess[${index}]`;
    const account = access.role.env.account;
    if (Token.isUnresolved(account)) {
      throw validationError(scope,
        `${name}.role: its account is not known at synth time; import the role by a literal ARN ` +
        '(iam.Role.fromRoleArn(this, id, \'arn:aws:iam::<account>:role/<name>\')): the account decides which pools it is for.');
    }
    if (account === stackAccount) {
      throw validationError(scope,
        `${name}.role is a role of this stack's own account ${account}; the sweep calls this account's pools with its own ` +
        'role, so list only roles of other accounts.');
    }
    if (roles.has(account)) {
      throw validationError(scope, `${name}: account ${account} has two roles; give one role per account.`);
    }
    if (access.externalId !== undefined && !Token.isUnresolved(access.externalId)) {
      const problem = externalIdProblem(`${name}.externalId`, access.externalId);
      if (problem) throw validationError(scope, problem);
    }
    roles.set(account, { role: access.role, externalId: access.externalId });
  }
  return roles;
}
