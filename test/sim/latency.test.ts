import { ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoSimulator, simulatorClient } from './index';

test('latency holds the answer back (latencyMs / timeScale) and stop() drops pending answers', async () => {
  const sim = await CognitoSimulator.start({ latencyMs: 600_000, timeScale: 10 }); // one minute per call
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 1 });
  const client = simulatorClient(sim, { maxAttempts: 1 });

  const error = await client.send(new ListUsersCommand({ UserPoolId: poolId }), { abortSignal: AbortSignal.timeout(200) })
    .catch((e: unknown) => e);

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
