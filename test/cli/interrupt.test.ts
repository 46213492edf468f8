/**
 * Ctrl-C as a person presses it: the bundled CLI runs in its own process against the simulator and
 * gets SIGINT once the simulator has seen some devices forgotten (counted, not timed). It finishes
 * the calls in flight, prints the partial report (matching what the simulator forgot), saves the
 * --state file, and exits 130; the next run uses the state and skips the users already checked.
 */
import { ChildProcess, spawn } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { runCliCaptured, useCliWorkspace } from './cli-harness';
import { CognitoSimulator, SimDevice, useSimulator } from '../sim';
import { describeBuilt } from '../util/built-artifact';

const root = join(__dirname, '..', '..');
const bin: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).bin['cognito-device-sweep'];
const bundle = join(root, bin);
/** Slow enough (quotas x5) that a run of 400 forgets lasts seconds: the signal lands mid-run. */
const SCALE = 5;
const DAY_MS = 86_400_000;

const workspace = useCliWorkspace('cli-interrupt-');
const sim = useSimulator({ timeScale: SCALE, seed: 13 });
beforeEach(() => sim.resetStats());

interface Exit {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runBundle(args: readonly string[]): { child: ChildProcess; exit: Promise<Exit>; stderr: () => string } {
  const child = spawn(process.execPath, [bundle, ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_EC2_METADATA_DISABLED: 'true',
      COGNITO_SWEEP_QUOTA_SCALE: String(SCALE),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exit = new Promise<Exit>((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr })));
  return { child, exit, stderr: () => stderr };
}

/** Resolves once `condition` holds, checking every few ms; fails if the process ends first. */
async function until(condition: () => boolean, exit: Promise<Exit>): Promise<void> {
  let ended = false;
  void exit.then(() => (ended = true));
  while (!condition()) {
    if (ended) throw new Error('the CLI ended before the condition held');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describeBuilt(bundle, 'Ctrl-C on the bundled CLI', () => {
  test('prints the partial report matching the simulator, saves the state the next run uses, exits 130', async () => {
    const poolId = sim.seedPool({ region: 'eu-west-1', users: 200, devicesPerUser: 2, maxAgeDays: 5, now: new Date(Date.now() - 100 * DAY_MS) });
    const before = sim.allDevices(poolId).length;
    const state = workspace.file('state.json');
    const args = ['--endpoint-url', sim.endpoint, '--user-pool-id', poolId, '--stale-after', '90d', '--state', state, '--json'];

    const { child, exit } = runBundle(args);
    await until(() => sim.stats.operations.AdminForgetDevice.succeeded >= 40, exit);
    child.kill('SIGINT');
    const ended = await exit;

    expect(ended.status).toBe(130);
    const forgottenOnServer = before - sim.allDevices(poolId).length;
    expect(forgottenOnServer).toBeLessThan(before);
    const report = JSON.parse(ended.stdout);
    expect(report.interrupted).toBe(true);
    expect(report.pools[0].devicesForgotten).toBe(forgottenOnServer);
    expect(ended.stderr).toContain('cognito-device-sweep: stopping: finishing the calls in flight');
    expect(ended.stderr).toContain('cognito-device-sweep: interrupted: stopped early');

    // The state file holds the users fully checked; the next run lists only the others.
    const checked = Object.keys(JSON.parse(readFileSync(state, 'utf8')).pools[poolId]).length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThan(200);
    sim.resetStats();
    const next = await runCliCaptured(args, { COGNITO_SWEEP_QUOTA_SCALE: String(SCALE) });
    expect(next.status).toBe(0);
    const pool = JSON.parse(next.stdout).pools[0];
    expect(pool.usersSkippedByIndex).toBe(checked);
    expect(sim.stats.operations.AdminListDevices.calls).toBe(200 - checked);
    // Between them, the two runs forgot every stale device once.
    expect(report.pools[0].devicesForgotten + pool.devicesForgotten).toBe(before - sim.allDevices(poolId).length);
    const dated = ({ device }: { device: SimDevice }): boolean =>
      (device.DeviceLastAuthenticatedDate ?? device.DeviceLastModifiedDate ?? device.DeviceCreateDate) !== undefined;
    expect(sim.allDevices(poolId).filter(dated)).toEqual([]);
  });

  test('SIGTERM from a pipeline stops the same way: partial report, exit 130', async () => {
    const poolId = sim.seedPool({ region: 'eu-west-1', users: 200, devicesPerUser: 2, maxAgeDays: 5, now: new Date(Date.now() - 100 * DAY_MS) });
    const before = sim.allDevices(poolId).length;
    const { child, exit } = runBundle(['--endpoint-url', sim.endpoint, '--user-pool-id', poolId, '--stale-after', '90d', '--json']);
    await until(() => sim.stats.operations.AdminForgetDevice.succeeded >= 20, exit);
    child.kill('SIGTERM');
    const ended = await exit;
    expect(ended.status).toBe(130);
    const report = JSON.parse(ended.stdout);
    expect(report.interrupted).toBe(true);
    expect(report.pools[0].devicesForgotten).toBe(before - sim.allDevices(poolId).length);
  });

  test('a second Ctrl-C quits at once, without waiting for the calls in flight', async () => {
    // Calls that take two minutes each (answers a stop() drops): the first Ctrl-C waits for the one in
    // flight, the second does not; no machine is slow enough to see the answer first.
    const slow = await CognitoSimulator.start({ timeScale: SCALE, latencyMs: 600_000, seed: 17 });
    try {
      const poolId = slow.seedPool({ region: 'eu-west-1', users: 10 });
      const { child, exit, stderr } = runBundle(['--endpoint-url', slow.endpoint, '--user-pool-id', poolId, '--stale-after', '90d', '--json']);
      await until(() => slow.stats.operations.ListUsers.calls >= 1, exit);
      child.kill('SIGINT');
      await until(() => stderr().includes('stopping: finishing the calls in flight'), exit);
      child.kill('SIGINT');
      const ended = await exit;
      expect(ended.status).toBe(130);
      // Gone before the call in flight was answered: no report.
      expect(ended.stdout).toBe('');
      expect(slow.stats.operations.ListUsers.succeeded).toBe(0);
    } finally {
      await slow.stop();
    }
  });
});
