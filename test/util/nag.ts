import { App } from 'aws-cdk-lib';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NagPack,
  NIST80053R4Checks,
  NIST80053R5Checks,
  PCIDSS321Checks,
  ServerlessChecks,
} from 'cdk-nag';
import { IConstruct } from 'constructs';

/** One unacknowledged cdk-nag finding: the rule id (with its `[finding]` suffix) and where. */
export interface NagFinding {
  readonly ruleId: string;
  readonly path: string;
}

/** The six packs cdk-nag ships. */
export function allBuiltInPacks(): NagPack[] {
  return [
    new AwsSolutionsChecks(),
    new HIPAASecurityChecks(),
    new NIST80053R4Checks(),
    new NIST80053R5Checks(),
    new PCIDSS321Checks(),
    new ServerlessChecks(),
  ];
}

/**
 * Runs the packs over a construct tree the way `Validations.of(app).addPlugins(...)` does and returns
 * every finding that no `Validations.of(...).acknowledge(...)` covers.
 */
export function nagFindings(scope: IConstruct, packs: NagPack[] = allBuiltInPacks()): NagFinding[] {
  // Resolve the tree first so that lazy values (policies, grants) are in place, as at synth time.
  const root = scope.node.root;
  if (root instanceof App) {
    root.synth();
  }
  const findings: NagFinding[] = [];
  for (const pack of packs) {
    const report = pack.validateScope(scope);
    for (const violation of report.violations) {
      for (const resource of violation.violatingResources) {
        findings.push({ ruleId: violation.ruleName, path: resource.constructPath ?? '' });
      }
    }
  }
  return findings;
}
