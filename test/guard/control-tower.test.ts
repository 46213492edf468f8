/**
 * AWS Control Tower's proactive controls (the cfn-guard rules that `@cdklabs/cdk-validator-cfnguard`
 * ships, run by the cfn-guard binary inside that npm package, offline) on the integ apps: every
 * violation is either a rule that cannot apply to this library, disabled below with its reason, or a
 * resource explained below; anything else fails.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, AppProps, Duration, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import { StaleDeviceCleanup } from '../../src/cleanup';
import { DevicePurge, PurgeSelection } from '../../src/purge';
import { integAppFiles, loadIntegApp } from '../util/integ-apps';

/** Rules that cannot apply to what this library deploys (by rule file name), each with the reason. */
const DISABLED_RULES: Record<string, string> = {
  // CT.LAMBDA.PR.3, lambda_inside_vpc_check
  'ct-lambda-pr-3':
    'The functions accept no connections and call only public AWS APIs (Cognito, DynamoDB, Step Functions, CloudWatch) ' +
    'with SigV4 over TLS; a VPC would need NAT or interface endpoints without narrowing what they reach, which IAM ' +
    'already limits to the pools and resources of each construct. The cdk-nag packs acknowledge the same rule.',
};

interface Violation {
  readonly rule: string;
  readonly logicalId: string;
  readonly template: string;
}

/** Violations that are explained, resource by resource. */
const EXPLAINED: Array<{ rule: string; matches: (v: Violation) => boolean; reason: string }> = [
  {
    // CT.CLOUDWATCH.PR.3
    rule: 'cloudwatch_log_group_encrypted_check',
    matches: (v) => !v.template.includes('DeployAssert'),
    reason: 'CloudWatch Logs encrypts every log group at rest with its own key; a customer managed key is the ' +
      "constructs' logEncryptionKey option, which the integ apps leave out. With it, no log group of either construct " +
      'violates the rule (the last test below).',
  },
  ...['step_functions_state_machine_logging_enabled_check', 'step_functions_state_machine_tracing_enabled_check'].map((rule) => ({
    // CT.STEPFUNCTIONS.PR.1 and PR.2
    rule,
    matches: (v: Violation) => v.logicalId.includes('Providerwaiterstatemachine'),
    reason: "aws-cdk-lib's custom resource Provider creates this waiter state machine; it only polls the isComplete " +
      'handler, which logs and traces every poll itself, and the Provider API offers no tracing option. The ' +
      "library's own sweep workflow logs and traces (no violation).",
  })),
  {
    rule: '*',
    matches: (v) => v.template.includes('DeployAssert'),
    reason: "integ-tests-alpha's assertion stack (its SDK-call functions and waiter): test machinery that no user of " +
      'this library deploys.',
  },
];

/** Synthesizes `app` with the Control Tower rules and returns every violation of a rule left enabled. */
function violationsOf(app: App): Violation[] {
  app.synth();
  const report = JSON.parse(readFileSync(path.join(app.outdir, 'policy-validation-report.json'), 'utf8'));
  return report.pluginReports.flatMap((plugin: any) => plugin.violations.flatMap((violation: any) =>
    violation.violatingResources.map((r: any) => ({
      rule: violation.ruleName,
      logicalId: r.resourceLogicalId,
      template: path.basename(r.templatePath),
    }))));
}

function validated(): AppProps {
  return {
    policyValidationBeta1: [new CfnGuardValidator({ controlTowerRulesEnabled: true, disabledRules: Object.keys(DISABLED_RULES) })],
    // Write the JSON report and leave failing to the test (instead of printing and setting the exit code).
    context: { '@aws-cdk/core:validationReportJson': true, '@aws-cdk/core:failSynthOnValidationErrors': false },
  };
}

test.each(integAppFiles())('%s has no unexplained Control Tower violation', (file) => {
  const violations = violationsOf(loadIntegApp(file, validated()));
  const unexplained = violations.filter((v) => !EXPLAINED.some((e) => (e.rule === '*' || e.rule === v.rule) && e.matches(v)));
  expect(unexplained).toEqual([]);
});

test('the rules run: an unencrypted log group of the integ apps is reported, and explained', () => {
  const violations = violationsOf(loadIntegApp(integAppFiles()[0], validated()));
  expect(violations).toContainEqual(expect.objectContaining({ rule: 'cloudwatch_log_group_encrypted_check' }));
});

test('with logEncryptionKey, no log group of either construct violates CT.CLOUDWATCH.PR.3', () => {
  const app = new App(validated());
  const stack = new Stack(app, 'Encrypted');
  const userPool = new cognito.UserPool(stack, 'Pool');
  // The user's own key (its key policy is theirs, not the library's).
  const logEncryptionKey = kms.Key.fromKeyArn(stack, 'Logs', 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
  new StaleDeviceCleanup(stack, 'Cleanup', { userPools: [userPool], staleAfter: Duration.days(90), logEncryptionKey });
  new DevicePurge(stack, 'Purge', { userPool, selection: PurgeSelection.allDevices(), logEncryptionKey });
  const violations = violationsOf(app);
  expect(violations.filter((v) => v.rule === 'cloudwatch_log_group_encrypted_check')).toEqual([]);
  // The only others are the Provider's waiter, as explained above.
  expect(violations.filter((v) => !v.logicalId.includes('Providerwaiterstatemachine'))).toEqual([]);
});
