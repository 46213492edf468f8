import { runCliCaptured } from '../../test/cli/cli-harness';
import { CognitoSimulator } from '../../test/sim';
(async () => {
  process.env.AWS_ACCESS_KEY_ID = 'x'; process.env.AWS_SECRET_ACCESS_KEY = 'x';
  const sim = await CognitoSimulator.start({ timeScale: 200, seed: 7 });
  const a = sim.seedPool({ region: 'eu-west-1', users: 100 });
  const r = await runCliCaptured(['--user-pool-id', a, '--user-pool-id', 'eu-west-1_Nope1', '--stale-after', '90d', '--endpoint-url', sim.endpoint]);
  console.log(r.status, r.stdout, r.stderr);
  await sim.stop();
})();
