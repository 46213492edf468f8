import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { DevicePurge } from '../../src/purge/device-purge';
import { PurgeSelection } from '../../src/purge/purge-selection';
import { nagFindings } from '../util/nag';

test('scratch', () => {
  const app = new App();
  const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  const pool = new cognito.UserPool(stack, 'Pool');
  new DevicePurge(stack, 'Purge', { userPool: pool, selection: PurgeSelection.staleDevices(Duration.days(30)) });
  const f = nagFindings(app);
  console.log(f.map((x) => `${x.ruleId} ${x.path}`).join('\n'));
});
