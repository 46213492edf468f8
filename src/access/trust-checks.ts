import { Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { validationError } from '../private/validation-error';
import { sessionNamePrefixProblem } from '../sweep/input/session-name';

/**
 * Synth-time checks of what a `DeviceSweepAccessRole` trusts: the central sweep's role ARNs, the
 * external id and the session-name prefix. Token values are left to deploy time (STS and IAM check
 * them then), except where the check needs the value itself.
 */

/** An IAM role ARN: partition, 12-digit account, optional path, name (IAM User Guide, identifiers). */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[!-~]+\/)?[\w+=,.@-]{1,64}$/;
const ACCOUNT_PRINCIPAL = /^(?:\d{12}|arn:aws[a-z-]*:iam::\d{12}:root)$/;
const ROLE_SESSION = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\//;

/** STS external ids: 2 to 1224 of these characters (STS API Reference, AssumeRole). */
const EXTERNAL_ID_CHARACTERS = /^[\w+=,.@:/-]*$/;
const MIN_EXTERNAL_ID_LENGTH = 2;
const MAX_EXTERNAL_ID_LENGTH = 1224;

/** The trusted role ARNs, each checked, without duplicates. */
export function checkTrustedRoleArns(scope: IConstruct, arns: string[]): string[] {
  if (Token.isUnresolved(arns)) {
    throw validationError(scope,
      'give trustedRoleArns as a literal list (its items may be tokens); the list is checked at synth time, one trust-policy principal per role.');
  }
  if (arns.length === 0) {
    throw validationError(scope, 'trustedRoleArns is empty; name the role(s) of the central sweep that may assume this role.');
  }
  for (const arn of arns) {
    if (!Token.isUnresolved(arn)) checkRoleArn(scope, arn);
  }
  return arns.filter((arn, index) => arns.indexOf(arn) === index);
}

function checkRoleArn(scope: IConstruct, arn: string): void {
  if (ACCOUNT_PRINCIPAL.test(arn)) {
    throw validationError(scope,
      `trustedRoleArns: '${arn}' is a whole account; name the central sweep's roles (arn:<partition>:iam::<account>:role/<name>). ` +
      'An account principal would let any principal of that account that its administrators allow assume this role.');
  }
  if (ROLE_SESSION.test(arn)) {
    throw validationError(scope,
      `trustedRoleArns: '${arn}' is a role session; name the role itself (arn:<partition>:iam::<account>:role/<name>).`);
  }
  if (/[*?]/.test(arn)) {
    throw validationError(scope,
      `trustedRoleArns: '${arn}' has a wildcard; a trust policy names each role exactly (arn:<partition>:iam::<account>:role/<name>).`);
  }
  if (!ROLE_ARN.test(arn)) {
    throw validationError(scope,
      `trustedRoleArns: '${arn}' is not an IAM role ARN (arn:<partition>:iam::<12-digit account>:role/<optional path/><name>).`);
  }
}

/** Throws for an external id STS would refuse; a token (e.g. a StackSet parameter) is checked by STS at deploy time. */
export function checkExternalId(scope: IConstruct, externalId: string): void {
  if (Token.isUnresolved(externalId)) return;
  if (externalId.length < MIN_EXTERNAL_ID_LENGTH || externalId.length > MAX_EXTERNAL_ID_LENGTH) {
    throw validationError(scope,
      `externalId is ${externalId.length} character${externalId.length === 1 ? '' : 's'} long; STS accepts ${MIN_EXTERNAL_ID_LENGTH} to ${MAX_EXTERNAL_ID_LENGTH}.`);
  }
  if (!EXTERNAL_ID_CHARACTERS.test(externalId)) {
    throw validationError(scope,
      'externalId has characters STS does not accept in an external id (allowed: letters, digits and _ + = , . @ : / -).');
  }
}

/** Throws for a session-name prefix the sweep could not use; it must be literal text. */
export function checkSessionNamePrefix(scope: IConstruct, prefix: string): void {
  if (Token.isUnresolved(prefix)) {
    throw validationError(scope,
      'give sessionNamePrefix as literal text; it is checked at synth time and the sweep must name its sessions with the same prefix.');
  }
  const problem = sessionNamePrefixProblem('sessionNamePrefix', prefix);
  if (problem) throw validationError(scope, problem);
}
