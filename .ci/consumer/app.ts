// A consumer's app, compiled against the packed library (see consumer-check.sh): one of each construct.
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  CognitoDeviceChecks, DevicePurge, PurgeSelection, StaleDeviceCleanup, UserPoolDeviceGrants,
} from 'cdk-cognito-devices';

const app = new App();
const stack = new Stack(app, 'Consumer', { env: { account: '111111111111', region: 'eu-west-1' } });
const userPool = new cognito.UserPool(stack, 'Pool');
const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
UserPoolDeviceGrants.fromUserPool(userPool).sweepDevices(role);
UserPoolDeviceGrants.fromTaggedUserPools(stack, 'team', 'payments').scanDevices(role);
new DevicePurge(stack, 'Purge', { userPool, selection: PurgeSelection.staleDevices(Duration.days(30)), maxForgets: 1000 });
const cleanup = new StaleDeviceCleanup(stack, 'Cleanup', { userPools: [userPool], staleAfter: Duration.days(90) });
cleanup.metricDevicesForgotten();
Validations.of(app).addPlugins(new CognitoDeviceChecks(app));

const assembly = app.synth();
const resources = Object.values(assembly.getStackByName('Consumer').template.Resources as Record<string, { Type: string }>);
for (const type of ['Custom::CognitoDevicePurge', 'AWS::StepFunctions::StateMachine', 'AWS::Scheduler::Schedule']) {
  if (!resources.some((resource) => resource.Type === type)) {
    throw new Error(`consumer app: the synthesized stack has no ${type}`);
  }
}
console.log(`consumer app: synthesized ${resources.length} resources`);
