/** Runs the CLI in-process against a simulator and captures what it prints. */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Writable } from 'stream';
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

/** A scratch folder for one test file's state, audit and user files. */
export interface CliWorkspace {
  /** The folder (exists from the first test to the last). */
  readonly dir: string;
  /** `name` inside the folder. */
  file(name: string): string;
}

/**
 * For one test file: dummy credentials in the process environment (the SDK's chain reads them; a
 * simulator accepts any) and a scratch folder; both undone after the file's tests.
 */
export function useCliWorkspace(prefix: string): CliWorkspace {
  const savedEnv = { ...process.env };
  let dir: string | undefined;
  beforeAll(() => {
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    delete process.env.AWS_PROFILE;
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    process.env = savedEnv;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const current = (): string => {
    if (!dir) throw new Error('useCliWorkspace: the workspace is used outside a test');
    return dir;
  };
  return { get dir() { return current(); }, file: (name) => join(current(), name) };
}

/** A stream that claims to be a terminal `columns` wide (cli-progress redraws on it); `text()` is all it was sent. */
export function fakeTerminal(columns = 200): { stream: NodeJS.WritableStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const noop = () => true;
  Object.assign(stream, { isTTY: true, columns, cursorTo: noop, moveCursor: noop, clearLine: noop, clearScreenDown: noop });
  return { stream, text: () => chunks.join('') };
}

/** Runs `cognito-device-sweep` with stderr on a fake terminal: `stderr` is what was drawn there. */
export async function runCliOnTerminal(args: readonly string[], columns = 200): Promise<CliRun> {
  const terminal = fakeTerminal(columns);
  let stdout = '';
  const status = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: terminal.stream,
    env: { COGNITO_SWEEP_QUOTA_SCALE: String(TIME_SCALE) },
    isTTY: true,
  });
  return { status, stdout, stderr: terminal.text() };
}
