/** Runs the CLI in-process against a simulator and captures what it prints. */
import { CliIo, runCli } from '../../src/cli/run-cli';
import type { CognitoSimulator } from '../sim';
import { lastUseMs } from '../sweep/fixture';

/** What one CLI run printed and returned. */
export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Quotas and latency scale of the test simulator: the CLI gets the same factor through its env knob. */
export const TIME_SCALE = 200;

/** Runs `cognito-device-sweep` with `args` (plain progress: stderr is not a terminal); `io` adds a stop signal, a state-save interval or a budget observer. */
export async function runCliCaptured(
  args: readonly string[], env: NodeJS.ProcessEnv = {}, io: Pick<CliIo, 'signal' | 'stateSaveIntervalMs' | 'onGrant'> = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { COGNITO_SWEEP_QUOTA_SCALE: String(TIME_SCALE), ...env },
    isTTY: false,
    ...io,
  });
  return { status, stdout, stderr };
}

/** The stderr lines, without the simulator-quota notice every test run prints. */
export function problemLines(run: CliRun): string[] {
  return run.stderr.split('\n').filter((line) => line !== '' && !line.includes('COGNITO_SWEEP_QUOTA_SCALE='));
}

/** Ground truth from the simulator's state: how many devices of a pool are dated, and stale at `nowMs`. */
export function deviceCensus(sim: CognitoSimulator, poolId: string, staleAfterSeconds: number, nowMs = Date.now()) {
  const devices = sim.allDevices(poolId).map(({ device }) => lastUseMs(device));
  return {
    devices: devices.length,
    stale: devices.filter((last) => last !== undefined && last < nowMs - staleAfterSeconds * 1000).length,
    undated: devices.filter((last) => last === undefined).length,
  };
}
