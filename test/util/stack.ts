/** The one way construct tests make a stack: each test gets its own App, so nothing leaks between tests. */
import { App, Stack } from 'aws-cdk-lib';

/** Account and Region of the stacks newStack() makes unless `agnostic`. */
export const TEST_ACCOUNT = '111111111111';
export const TEST_REGION = 'eu-west-1';

/** How newStack() builds the stack. */
export interface NewStackOptions {
  /** The stack's id (it starts every construct path and error message). @default 'Stack' */
  readonly id?: string;
  /** An environment-agnostic stack (account and Region are tokens). @default false: TEST_ACCOUNT in TEST_REGION */
  readonly agnostic?: boolean;
  /** Context of the new App (feature flags). @default none */
  readonly context?: Record<string, unknown>;
}

/** A stack in a new App. */
export function newStack(options: NewStackOptions = {}): Stack {
  const app = new App(options.context ? { context: options.context } : undefined);
  return new Stack(app, options.id ?? 'Stack', options.agnostic ? undefined : { env: { account: TEST_ACCOUNT, region: TEST_REGION } });
}

/** The App a newStack() stack is in (for cdk-nag, or to synthesize it). */
export function appOf(stack: Stack): App {
  return stack.node.root as App;
}
