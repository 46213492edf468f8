import { CognitoSimulator } from './test/sim';
import { sweepDevices, createSweepClient } from './src/sweep';
import { scaledBudget } from './test/sweep/fixture';
(async () => {
  const T = 20; const NOW = new Date();
  const sim = await CognitoSimulator.start({ timeScale: T, latencyMs: { min: 20, max: 60 }, seed: 31 });
  const p = sim.seedPool({ region: 'eu-west-1', users: 1000, now: NOW });
  let cursor: string | undefined;
  for (let i = 0; i < 3; i++) {
    const t0 = Date.now(); const deadline = t0 + 200;
    const log: string[] = [];
    const client = createSweepClient('eu-west-1', { endpoint: sim.endpoint, maxSockets: 400 });
    client.middlewareStack.add((next, context) => async (args) => {
      const s = Date.now() - t0;
      try { const r = await next(args); log.push(`${context.commandName!.slice(0, 12)} ${s}-${Date.now() - t0}`); return r; }
      catch (e) { log.push(`${context.commandName!.slice(0, 12)} ${s}-${Date.now() - t0} ${(e as Error).name}`); throw e; }
    }, { step: 'initialize' });
    const r = await sweepDevices({ clientFor: () => client, selection: { kind: 'stale', staleAfterSeconds: 120 * 86400 }, userPoolIds: [p], endpoint: sim.endpoint, rateBudget: scaledBudget(T), deadline, cursor, now: () => NOW.getTime() });
    console.log(i, 'took', Date.now() - t0, r.calls, '\n', log.join('\n '));
    cursor = r.cursor; client.destroy();
  }
  await sim.stop();
})();
