import { CfnResource } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { acknowledgeFinding } from './acknowledge-finding';

/**
 * One cdk-nag rule that several built-in packs check under the same name, each with its own finding
 * id (`<pack>-<rule>`), so one true reason has to be acknowledged once per pack.
 */
export interface PackRule {
  /** The rule name after the pack prefix, e.g. `LambdaDLQ`. */
  readonly rule: string;
  /** The packs (finding id prefixes) that check it. */
  readonly packs: readonly string[];
}

/** Log groups without a customer managed KMS key. */
export const LOG_GROUP_ENCRYPTED: PackRule = {
  rule: 'CloudWatchLogGroupEncrypted',
  packs: ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321'],
};

/** Lambda functions outside a VPC. */
export const LAMBDA_INSIDE_VPC: PackRule = {
  rule: 'LambdaInsideVPC',
  packs: ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321'],
};

/** Lambda functions without a dead-letter queue. */
export const LAMBDA_DLQ: PackRule = {
  rule: 'LambdaDLQ',
  packs: ['HIPAA.Security', 'NIST.800.53.R5', 'Serverless'],
};

/** Lambda functions without reserved concurrency. */
export const LAMBDA_CONCURRENCY: PackRule = {
  rule: 'LambdaConcurrency',
  packs: ['HIPAA.Security', 'NIST.800.53.R5'],
};

/** IAM inline policies. */
export const IAM_NO_INLINE_POLICY: PackRule = {
  rule: 'IAMNoInlinePolicy',
  packs: ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321'],
};

/**
 * Why `cognito-idp:GetProvisionedLimit` is on `Resource: "*"` (readProvisionedLimits), in the
 * AwsSolutions-IAM5 reasons of every construct that grants it (`UserPoolDeviceGrants.readProvisionedLimits`).
 */
export const PROVISIONED_LIMIT_ON_STAR = 'cognito-idp:GetProvisionedLimit (readProvisionedLimits: the read-only request-rate limit of the account and Region)';

/** The rule ids that flag a Lambda runtime older than the newest of its family. */
export const LATEST_RUNTIME_RULE_IDS: readonly string[] = ['AwsSolutions-L1', 'Serverless-LambdaLatestVersion'];

/** Acknowledges `packRule` in every pack that checks it, on the one resource `construct` stands for. */
export function acknowledgeInEveryPack(construct: IConstruct, packRule: PackRule, reason: string): void {
  for (const pack of packRule.packs) {
    acknowledgeOnResource(construct, `${pack}-${packRule.rule}`, reason);
  }
}

/**
 * Acknowledges the latest-runtime rules on a function this library pins to a runtime on purpose,
 * with the same reason everywhere (the reason is about how the library ships its handlers).
 */
export function acknowledgePinnedRuntime(fn: lambda.Function): void {
  // On the newest runtime the rules pass: an acknowledgement there would hide nothing.
  if (isLatestRuntime(fn.runtime)) return;
  for (const ruleId of LATEST_RUNTIME_RULE_IDS) {
    acknowledgeOnResource(fn, ruleId,
      `The runtime is pinned to ${fn.runtime.name}, a supported Lambda runtime: the handler is bundled and tested ` +
      'for that exact version, and the library raises it deliberately in a release.');
  }
}

/**
 * Whether `runtime` is the newest versioned runtime of its family that aws-cdk-lib knows, i.e.
 * whether the latest-runtime rules would pass without an acknowledgement.
 */
export function isLatestRuntime(runtime: lambda.Runtime): boolean {
  const family = lambda.Runtime.ALL.filter((candidate) => candidate.family === runtime.family && /\d/.test(candidate.name));
  const latest = family.reduce<lambda.Runtime | undefined>(
    (best, candidate) => (best && versionOf(best) >= versionOf(candidate) ? best : candidate), undefined);
  return latest === undefined || latest.name === runtime.name;
}

function versionOf(runtime: lambda.Runtime): number {
  return parseFloat(runtime.name.replace(/^[a-z]+/, ''));
}

/**
 * Acknowledges one finding on the CloudFormation resource `construct` stands for: cdk-nag reports
 * findings on the L1 resource, so an L2 construct's acknowledgement goes to its default child.
 */
export function acknowledgeOnResource(construct: IConstruct, id: string, reason: string): void {
  const target = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild ?? construct;
  acknowledgeFinding(target, id, reason);
}
