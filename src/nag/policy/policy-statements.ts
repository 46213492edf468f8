import { CfnResource, Stack } from 'aws-cdk-lib';
import {
  CfnGroup,
  CfnGroupPolicy,
  CfnManagedPolicy,
  CfnPolicy,
  CfnRole,
  CfnRolePolicy,
  CfnUser,
  CfnUserPolicy,
} from 'aws-cdk-lib/aws-iam';
import { isRecord } from './resource-patterns';

/**
 * One statement of an IAM policy, read defensively: every field keeps only what could be understood.
 * A field that is absent is `undefined`; a list field always holds a list.
 */
export interface IamStatement {
  /** `Allow`, `Deny`, or whatever else (an intrinsic, a typo) the template holds. */
  readonly effect: unknown;
  /** `Action` entries that are strings; references (no IAM wildcard possible in them) are dropped. */
  readonly actions?: string[];
  /** `NotAction` entries that are strings. */
  readonly notActions?: string[];
  /** `Resource` entries as resolved: strings or intrinsics. */
  readonly resources?: unknown[];
  /** `NotResource` entries as resolved: strings or intrinsics. */
  readonly notResources?: unknown[];
  /** `Condition` as resolved. */
  readonly condition: unknown;
}

/**
 * The statements of every policy an IAM resource carries: the document of `AWS::IAM::Policy`,
 * `AWS::IAM::ManagedPolicy` and `AWS::IAM::{Role,User,Group}Policy`, and the inline `Policies` of
 * `AWS::IAM::Role`, `AWS::IAM::User` and `AWS::IAM::Group`.
 *
 * @returns undefined when the resource holds no IAM policy (the rules do not apply to it)
 */
export function iamStatementsOf(node: CfnResource): IamStatement[] | undefined {
  const documents = policyDocumentsOf(node);
  return documents?.flatMap(statementsOfDocument);
}

function policyDocumentsOf(node: CfnResource): unknown[] | undefined {
  const stack = Stack.of(node);
  if (
    node instanceof CfnPolicy ||
    node instanceof CfnManagedPolicy ||
    node instanceof CfnRolePolicy ||
    node instanceof CfnUserPolicy ||
    node instanceof CfnGroupPolicy
  ) {
    return [stack.resolve(node.policyDocument)];
  }
  if (node instanceof CfnRole || node instanceof CfnUser || node instanceof CfnGroup) {
    return asList(stack.resolve(node.policies)).map((policy) =>
      // Resolved L1 properties keep their TypeScript names; a raw override would use the CloudFormation ones.
      isRecord(policy) ? stack.resolve(policy.policyDocument ?? policy.PolicyDocument) : undefined,
    );
  }
  return undefined;
}

function statementsOfDocument(document: unknown): IamStatement[] {
  if (!isRecord(document)) {
    return [];
  }
  return asList(document.Statement).flatMap(withIfBranches).filter(isRecord).map((statement) => ({
    effect: statement.Effect,
    actions: stringsOf(statement.Action),
    notActions: stringsOf(statement.NotAction),
    resources: statement.Resource === undefined ? undefined : asList(statement.Resource),
    notResources: statement.NotResource === undefined ? undefined : asList(statement.NotResource),
    condition: statement.Condition,
  }));
}

/** A statement written as `Fn::If` stands for both of its branches. */
function withIfBranches(statement: unknown): unknown[] {
  if (isRecord(statement) && Object.keys(statement).length === 1 && Array.isArray(statement['Fn::If'])) {
    const branches = statement['Fn::If'].slice(1, 3) as unknown[];
    return branches.flatMap(withIfBranches);
  }
  return [statement];
}

function stringsOf(value: unknown): string[] | undefined {
  return value === undefined ? undefined : asList(value).filter((entry): entry is string => typeof entry === 'string');
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}
