/**
 * The stacks whose deployed code the IAM and Node 24 suites run: each construct as a user writes it,
 * synthesized with asset paths in its metadata so every function leads back to the bundle it runs.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { StaleDeviceCleanup } from '../../src/cleanup';
import { DevicePurge, PurgeSelection } from '../../src/purge';
import { DeviceRevocation } from '../../src/revocation';
import type { Template as TemplateJson } from '../iam/template-resolver';
import { ACCOUNT, REGION } from '../iam/template-resolver';

/** A synthesized stack, and the logical id of the one user pool it gives its constructs. */
export interface SynthesizedStack {
  readonly template: TemplateJson;
  readonly userPoolLogicalId: string;
}

/** A stack with a user pool and `build`'s constructs, as CloudFormation would receive it. */
export function synthesize(build: (stack: Stack, userPool: cognito.UserPool) => void): SynthesizedStack {
  // Asset metadata with staging off: each function's `aws:asset:path` is the bundle directory itself.
  const app = new App({ context: { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:disable-asset-staging': true } });
  const stack = new Stack(app, 'Deployed', { env: { account: ACCOUNT, region: REGION } });
  const userPool = new cognito.UserPool(stack, 'Pool');
  build(stack, userPool);
  return {
    template: Template.fromStack(stack).toJSON() as TemplateJson,
    userPoolLogicalId: stack.getLogicalId(userPool.node.defaultChild as cognito.CfnUserPool),
  };
}

/** StaleDeviceCleanup with its defaults (incremental: the next-check table). */
export function cleanupStack(): SynthesizedStack {
  return synthesize((stack, userPool) => {
    new StaleDeviceCleanup(stack, 'Cleanup', { userPools: [userPool], staleAfter: Duration.days(90) });
  });
}

/** DevicePurge that also purges on DELETE and waits for its run. */
export function purgeStack(): SynthesizedStack {
  return synthesize((stack, userPool) => {
    new DevicePurge(stack, 'Purge', { userPool, selection: PurgeSelection.staleDevices(Duration.days(30)), generation: '1', onDelete: true });
  });
}

/** DeviceRevocation with its defaults (every trigger on). */
export function revocationStack(): SynthesizedStack {
  return synthesize((stack, userPool) => {
    new DeviceRevocation(stack, 'Revocation', { userPools: [userPool] });
  });
}
