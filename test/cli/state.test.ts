/** `--state FILE`: incremental runs from a laptop, and a clear exit 2 for a file that is not a usable state file. */
import { readFileSync, writeFileSync } from 'fs';
import { deviceCensus, problemLines, runCliCaptured, TIME_SCALE, useCliWorkspace } from './cli-harness';
import { useFreshSimulator } from '../sim';

const NINETY_DAYS = 90 * 86_400;
const workspace = useCliWorkspace('cli-state-');
const sim = useFreshSimulator({ timeScale: TIME_SCALE, seed: 11 });

function seed(): string {
  return sim.seedPool({ region: 'eu-west-1', users: 150, statusMix: { CONFIRMED: 0.9, UNCONFIRMED: 0.1 }, devicesPerUser: { min: 0, max: 4 }, maxAgeDays: 365 });
}

test('the first run lists everyone and writes the state; the next lists only users who may be due', async () => {
  const poolId = seed();
  const state = workspace.file('first.json');
  const args = ['--endpoint-url', sim.endpoint, '--user-pool-id', poolId, '--stale-after', '90d', '--state', state, '--json'];
  const confirmed = sim.usersOf(poolId).filter((u) => u.status !== 'UNCONFIRMED').length;

  const first = await runCliCaptured(args);
  expect(first.status).toBe(0);
  const firstPool = JSON.parse(first.stdout).pools[0];
  expect(firstPool.usersSkippedByIndex).toBe(0);
  expect(sim.stats.operations.AdminListDevices.calls).toBe(confirmed);
  const saved = JSON.parse(readFileSync(state, 'utf8'));
  expect(saved).toMatchObject({ format: 'cognito-device-sweep-state', version: 1 });
  expect(Object.keys(saved.pools)).toEqual([poolId]);
  expect(Object.keys(saved.pools[poolId])).toHaveLength(confirmed);

  sim.resetStats();
  const second = await runCliCaptured(args);
  expect(second.status).toBe(0);
  const secondPool = JSON.parse(second.stdout).pools[0];
  // Every stale device went in the first run; seconds later, no user can be due yet.
  expect(secondPool).toMatchObject({ usersSkippedByIndex: confirmed, devicesScanned: 0, devicesForgotten: 0 });
  expect(sim.stats.operations.AdminListDevices.calls).toBe(0);
  expect(deviceCensus(sim, poolId, NINETY_DAYS).stale).toBe(0);
});

test.each([
  ['a corrupt file', '{"format": "cognito-device-sweep-state", "version": 1, "pools": {', /--state: the state file .* is not valid JSON/],
  ['some other JSON file', '{"name": "app"}', /--state: .* is not a cognito-device-sweep-state file \(refusing to overwrite it\)/],
  ['a newer version', '{"format": "cognito-device-sweep-state", "version": 9, "pools": {}}', /--state: the state file .* has version 9/],
])('%s exits 2 with one line, makes no call and leaves the file as it was', async (_, text, message) => {
  const poolId = seed();
  const state = workspace.file('bad.json');
  writeFileSync(state, text);
  const run = await runCliCaptured(['--endpoint-url', sim.endpoint, '--user-pool-id', poolId, '--stale-after', '90d', '--state', state]);
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  const lines = problemLines(run);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(sim.stats.totals.calls).toBe(0);
  expect(readFileSync(state, 'utf8')).toBe(text);
});

test('a state path in a missing directory exits 2 before any call', async () => {
  const run = await runCliCaptured(['--endpoint-url', sim.endpoint, '--user-pool-id', seed(), '--stale-after', '90d', '--state', '/no/such/dir/s.json']);
  expect(run.status).toBe(2);
  expect(problemLines(run)[0]).toMatch(/--state: cannot write in '\/no\/such\/dir'/);
  expect(sim.stats.totals.calls).toBe(0);
});
