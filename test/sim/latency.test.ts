import { ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoSimulator, simulatorClient } from './index';
import { sleep } from '../util/sleep';

test('latency holds the answer back (latencyMs / timeScale) and stop() drops pending answers', async () => {
  const sim = await CognitoSimulator.start({ latencyMs: 600_000, timeScale: 10 }); // one minute per call
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 1 });
  const client = simulatorClient(sim, { maxAttempts: 1 });
  const abort = new AbortController();

  const call = client.send(new ListUsersCommand({ UserPoolId: poolId }), { abortSignal: abort.signal }).catch((e: unknown) => e);
  // Abort only once the simulator holds the call: a slow machine takes longer to get there, never fails.
  while (!sim.stats.operations.ListUsers?.calls) await sleep(10);
  abort.abort();
  const error = await call;

  expect((error as Error).name).toBe('AbortError');
  expect(sim.stats.operations.ListUsers).toMatchObject({ calls: 1, succeeded: 0 });
  client.destroy();
  await sim.stop(); // must not wait for the pending minute
});

test('a latency range still answers every call', async () => {
  const sim = await CognitoSimulator.start({ latencyMs: { min: 10, max: 50 }, timeScale: 10 });
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 1 });
  const client = simulatorClient(sim, { maxAttempts: 1 });

  const pages = await Promise.all(Array.from({ length: 10 }, () => client.send(new ListUsersCommand({ UserPoolId: poolId }))));

  expect(pages.every((p) => p.Users?.length === 1)).toBe(true);
  expect(sim.stats.operations.ListUsers).toEqual({ calls: 10, succeeded: 10, throttled: 0, errors: 0, refused: 0 });
  client.destroy();
  await sim.stop();
});
