/**
 * Integration test: deploys a user pool with a DevicePurge, which must purge during the deployment
 * (the stack only completes when the purge run succeeded), then checks the run and the pool.
 *
 * Snapshot: `npx projen integ:device-purge:snapshot` (after `npx projen bundle`).
 * Deploy for real: `npx projen integ:device-purge:deploy` (needs an AWS account).
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnOutput, CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { DevicePurge } from '../src/purge/device-purge';
import { PurgeSelection } from '../src/purge/purge-selection';

// No stack traces (creation or metadata) in the cloud assembly: they hold absolute paths, and the committed snapshot must
// compare equal wherever the repository is checked out (integ:*:assert diffs *.metadata.json).
const app = new App({ stackTraces: false, context: { [cxapi.DISABLE_CREATION_STACK_TRACES]: true } });
const stack = new Stack(app, 'DevicePurgeInteg');

const userPool = new cognito.UserPool(stack, 'Pool', {
  deviceTracking: { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: true },
  removalPolicy: RemovalPolicy.DESTROY,
});

const purge = new DevicePurge(stack, 'Purge', {
  userPool,
  selection: PurgeSelection.staleDevices(Duration.days(30)),
  generation: 'integ-1',
  // Exercise the DELETE path too when the test stack is destroyed.
  onDelete: true,
  timeout: Duration.minutes(15),
});
new CfnOutput(stack, 'DevicesForgotten', { value: purge.devicesForgotten });
new CfnOutput(stack, 'PurgeExecutionArn', { value: purge.executionArn });

const integ = new IntegTest(app, 'DevicePurgeIntegTest', { testCases: [stack] });

// The deployment waited for the purge run: it has succeeded by now.
integ.assertions
  .awsApiCall('StepFunctions', 'describeExecution', { executionArn: purge.executionArn })
  .expect(ExpectedResult.objectLike({ status: 'SUCCEEDED' }));

// The pool is intact and answers (the purge forgets devices, never users).
const listUsers = integ.assertions
  .awsApiCall('CognitoIdentityProvider', 'listUsers', { UserPoolId: userPool.userPoolId })
  .expect(ExpectedResult.objectLike({ Users: [] }));
// The assertion provider derives the IAM prefix from the SDK client name (`cognitoidentityprovider`),
// which is not Cognito's (`cognito-idp`).
listUsers.provider.addToRolePolicy({ Effect: 'Allow', Action: ['cognito-idp:ListUsers'], Resource: [userPool.userPoolArn] });

// integ-tests-alpha salts every assertion with Date.now() so that it re-runs on each deployment. The
// integration deployment always creates a fresh stack, so a fixed salt loses nothing and keeps the
// committed snapshot comparable (`integ:device-purge:assert` diffs it).
for (const construct of app.node.findAll()) {
  if (CfnResource.isCfnResource(construct) && construct.cfnResourceType.startsWith('Custom::DeployAssert@')) {
    construct.addPropertyOverride('salt', 'device-purge-integ');
  }
}
