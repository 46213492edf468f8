import { CognitoSimulator } from './test/sim';
import { sweepDevices } from './src/sweep';
import { scaledBudget } from './test/sweep/fixture';
(async () => {
  const T = 20; const NOW = new Date();
  const sim = await CognitoSimulator.start({ timeScale: T, latencyMs: { min: 20, max: 60 }, seed: 31 });
  const p = sim.seedPool({ region: 'eu-west-1', users: 1000, now: NOW });
  let cursor: string | undefined; let i = 0;
  do {
    const t0 = Date.now(); const deadline = t0 + Number(process.env.S ?? 100);
    let lastProgress = 0;
    const r = await sweepDevices({ onProgress: () => { lastProgress = Date.now() - t0; }, selection: { kind: 'stale', staleAfterSeconds: 120 * 86400 }, userPoolIds: [p], endpoint: sim.endpoint, rateBudget: scaledBudget(T), deadline, cursor, now: () => NOW.getTime() });
    console.log(i++, 'took', Date.now() - t0, 'over', Date.now() - deadline, 'lastProgress', lastProgress, 'users', r.pools[0].usersScanned, r.calls);
    cursor = r.cursor;
  } while (cursor && i < 12);
  await sim.stop();
})();
