import { AdminListDevicesCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createSweepClient } from '../../src/sweep';
import { CognitoSimulator } from '../../test/sim';
(async () => {
  process.env.AWS_ACCESS_KEY_ID = 'x'; process.env.AWS_SECRET_ACCESS_KEY = 'x';
  const sim = await CognitoSimulator.start({ timeScale: 1000, seed: 7 });
  const a = sim.seedPool({ region: 'eu-west-1', users: 300 });
  const client = createSweepClient('eu-west-1', { endpoint: sim.endpoint, maxSockets: 100 });
  for (const conc of [1, 8, 32]) {
    const n = 2000; let done = 0; const t = Date.now(); const c0 = process.cpuUsage();
    await Promise.all(Array.from({ length: conc }, async () => { while (done < n) { done++; await client.send(new AdminListDevicesCommand({ UserPoolId: a, Username: 'user-000001' })); } }));
    const cpu = process.cpuUsage(c0);
    console.log(conc, 'conc', ((Date.now() - t) / n).toFixed(3), 'ms/call wall', ((cpu.user + cpu.system) / 1000 / n).toFixed(3), 'ms cpu/call', JSON.stringify(sim.stats.operations.AdminListDevices));
  }
  client.destroy(); await sim.stop();
})();
