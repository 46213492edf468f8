import { Annotations, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IConstruct } from 'constructs';

/**
 * The resources aws-cdk-lib's custom resource `Provider` creates inside itself, found by their type
 * (public API: the construct tree and the L1/L2 classes), never by the child ids the Provider uses
 * internally, which change between aws-cdk-lib releases without notice.
 */
export interface ProviderParts {
  /** The framework's functions (onEvent, isComplete, onTimeout), whatever their ids. */
  readonly functions: lambda.Function[];
  /** The waiter state machine (present when the Provider has an isComplete handler). */
  readonly waiters: sfn.CfnStateMachine[];
  /** Policies the Provider attached to roles it created itself (the waiter's role). */
  readonly policies: iam.CfnPolicy[];
}

/** Warning id of a Provider whose resources could not all be recognized. */
export const PROVIDER_LAYOUT_WARNING = 'cdk-cognito-devices:providerLayout';

/**
 * Finds the Provider's resources. When the layout is not the expected one (some newer aws-cdk-lib),
 * synth goes on with a warning on `warnOn`: only the cdk-nag acknowledgements of what was not found
 * are missing, and cdk-nag then reports those findings rather than hiding them.
 */
export function findProviderParts(provider: IConstruct, warnOn: IConstruct, expectWaiter: boolean): ProviderParts {
  const all = provider.node.findAll();
  const parts: ProviderParts = {
    functions: all.filter((c): c is lambda.Function => c instanceof lambda.Function),
    waiters: all.filter((c): c is sfn.CfnStateMachine => c instanceof sfn.CfnStateMachine),
    policies: all.filter((c): c is iam.CfnPolicy => c instanceof iam.CfnPolicy),
  };
  const missing = [
    ...(parts.functions.length === 0 ? ['framework functions'] : []),
    ...(expectWaiter && parts.waiters.length === 0 ? ['waiter state machine'] : []),
    ...(expectWaiter && parts.policies.length === 0 ? ['waiter role policy'] : []),
  ];
  if (missing.length > 0) {
    Annotations.of(warnOn).addWarningV2(PROVIDER_LAYOUT_WARNING,
      `aws-cdk-lib's custom resource Provider no longer has the resources this library expects (${missing.join(', ')} ` +
      'not found): their cdk-nag findings are not acknowledged and may be reported. The purge itself is unaffected; ' +
      'please report this with your aws-cdk-lib version.');
  }
  return parts;
}

/** The functions among `candidates` whose ARN the policy names (e.g. in `lambda:InvokeFunction`). */
export function functionsNamedBy(policy: iam.CfnPolicy, candidates: lambda.Function[]): lambda.Function[] {
  const stack = Stack.of(policy);
  const document = JSON.stringify(stack.resolve(policy.policyDocument));
  return candidates.filter((fn) => document.includes(JSON.stringify(stack.resolve(fn.functionArn))));
}
