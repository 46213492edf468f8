import { CognitoSimulator } from './test/sim';
import { sweepDevices, createSweepClient } from './src/sweep';
import { scaledBudget } from './test/sweep/fixture';
(async () => {
  const T = 20; const NOW = new Date();
  const sim = await CognitoSimulator.start({ timeScale: T, latencyMs: { min: 20, max: 60 }, seed: 31 });
  const p = sim.seedPool({ region: 'eu-west-1', users: 130, now: NOW });
  let cursor: string | undefined; let i = 0;
  do {
    const t0 = Date.now();
    const client = createSweepClient('eu-west-1', { endpoint: sim.endpoint, maxSockets: 300 });
    client.middlewareStack.add((next, context) => async (args) => {
      const s = Date.now() - t0;
      try { const r = await next(args); void (context.commandName, s, Date.now() - t0); return r; }
      catch (e) { void (context.commandName, s, Date.now() - t0, (e as Error).name); throw e; }
    }, { step: 'initialize' });
    const r = await sweepDevices({ clientFor: () => client, selection: { kind: 'stale', staleAfterSeconds: 120 * 86400 }, userPoolIds: [p], endpoint: sim.endpoint, rateBudget: scaledBudget(T), deadline: Date.now() + Number(process.env.S ?? 100), cursor, now: () => NOW.getTime() });
    console.log(i++, Date.now() - t0, r.done, r.cursor?.slice(-40), JSON.stringify(r.pools[0]).slice(40), r.calls);
    cursor = r.cursor;
    client.destroy();
  } while (cursor && i < 40);
  await sim.stop();
})();
