/**
 * Deploys a user pool and a StaleDeviceCleanup for it, starts one run by hand with the same input the
 * schedule sends, and waits for it to succeed: the slice Lambda, its grants, the allow-list and the
 * state machine loop work together in a real account.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { StaleDeviceCleanup } from '../src/cleanup';

// No stack traces (creation or metadata) in the cloud assembly: they hold absolute paths, and the committed snapshot must
// compare equal wherever the repository is checked out (integ:*:assert diffs *.metadata.json).
const app = new App({ stackTraces: false, context: { [cxapi.DISABLE_CREATION_STACK_TRACES]: true } });
const stack = new Stack(app, 'StaleDeviceCleanupInteg');

const userPool = new cognito.UserPool(stack, 'Pool', {
  deviceTracking: { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: true },
  removalPolicy: RemovalPolicy.DESTROY,
});

const cleanup = new StaleDeviceCleanup(stack, 'Cleanup', {
  userPools: [userPool],
  staleAfter: Duration.days(90),
  maxForgets: 1000,
});

const integ = new IntegTest(app, 'StaleDeviceCleanupTest', { testCases: [stack] });

const start = integ.assertions.awsApiCall('SFN', 'startExecution', {
  stateMachineArn: cleanup.stateMachine.stateMachineArn,
  input: stack.toJsonString({
    config: {
      userPoolIds: [userPool.userPoolId],
      selection: { kind: 'stale', staleAfterSeconds: Duration.days(90).toSeconds() },
      dryRun: false,
      maxForgets: 1000,
      rateBudget: { fraction: 0.5 },
    },
  }),
});

integ.assertions
  .awsApiCall('SFN', 'describeExecution', { executionArn: start.getAttString('executionArn') })
  .expect(ExpectedResult.objectLike({ status: 'SUCCEEDED' }))
  .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(20) });

// integ-tests-alpha salts every assertion with Date.now() so that it re-runs on each deployment. The
// integration deployment always creates a fresh stack, so a fixed salt loses nothing and keeps the
// committed snapshot comparable (`integ:stale-device-cleanup:assert` diffs it).
for (const construct of app.node.findAll()) {
  if (CfnResource.isCfnResource(construct) && construct.cfnResourceType.startsWith('Custom::DeployAssert@')) {
    construct.addPropertyOverride('salt', 'stale-device-cleanup-integ');
  }
}
