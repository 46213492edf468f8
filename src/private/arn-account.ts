import { Token } from 'aws-cdk-lib';

/**
 * The account of an ARN when it is literal text, even in an ARN that has tokens elsewhere (the
 * partition of `formatArn`): a token stringifies as `${Token[...]}`, without colons, so the fifth
 * colon-separated field is the account field either way. Undefined for a reference.
 */
export function literalAccountOf(arn: string): string | undefined {
  const fields = arn.split(':');
  if (fields.length < 6 || fields[0] !== 'arn') return undefined;
  const account = fields[4];
  return account === '' || Token.isUnresolved(account) ? undefined : account;
}
