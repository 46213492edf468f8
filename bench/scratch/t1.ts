import { runCliCaptured } from '../../test/cli/cli-harness';
import { CognitoSimulator } from '../../test/sim';
(async () => {
  process.env.AWS_ACCESS_KEY_ID = 'x'; process.env.AWS_SECRET_ACCESS_KEY = 'x';
  const sim = await CognitoSimulator.start({ timeScale: 200, seed: 7 });
  const a = sim.seedPool({ region: 'eu-west-1', users: 300, statusMix: { CONFIRMED: 0.8, UNCONFIRMED: 0.1, RESET_REQUIRED: 0.05, EXTERNAL_PROVIDER: 0.05 }, devicesPerUser: { min: 0, max: 4 } });
  for (const args of [['--dry-run'], []]) {
    const t = Date.now();
    const r = await runCliCaptured(['--user-pool-id', a, '--stale-after', '90d', '--json', '--endpoint-url', sim.endpoint, ...args]);
    console.log(Date.now() - t, 'ms', r.status, r.stdout, r.stderr);
    console.log(JSON.stringify(sim.stats.operations));
    sim.resetStats();
  }
  await sim.stop();
})();
