import { CognitoSimulator } from './test/sim';
import { createSweepClient } from './src/sweep';
import { AdminListDevicesCommand, AdminForgetDeviceCommand } from '@aws-sdk/client-cognito-identity-provider';
import { scaledBudget } from './test/sweep/fixture';
void scaledBudget;
(async () => {
  const sim = await CognitoSimulator.start({ timeScale: 20, latencyMs: { min: 20, max: 60 }, seed: 31 });
  const p = sim.seedPool({ region: 'eu-west-1', users: 50 });
  for (let k = 0; k < 5; k++) {
  const client = createSweepClient('eu-west-1', { endpoint: sim.endpoint });
  const ts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await client.send(new AdminListDevicesCommand({ UserPoolId: p, Username: `user-${String(i).padStart(6, '0')}`, Limit: 60 }));
    ts.push(Math.round(performance.now() - t));
  }
  console.log('list', ts.join(' '));
  client.destroy(); }
  await sim.stop();
})();
