/**
 * Starts cognito-local (an open-source Cognito user pools emulator from npm, not ours) as a child
 * process on a loopback port, in a temporary data directory.
 */
import { ChildProcess, spawn } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const START = require.resolve('cognito-local/lib/bin/start.js');

/** A running cognito-local. */
export interface CognitoLocal {
  /** `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts cognito-local with the given pools already present. cognito-local names the pools it
 * creates `local_<id>`, which no Region owns; a pool file in its data directory gives a pool the
 * id we choose, so the engine's id rules (the Region is taken from the id) hold.
 */
export async function startCognitoLocal(userPoolIds: readonly string[]): Promise<CognitoLocal> {
  const dir = mkdtempSync(join(tmpdir(), 'cognito-local-'));
  mkdirSync(join(dir, '.cognito', 'db'), { recursive: true });
  for (const id of userPoolIds) writeFileSync(join(dir, '.cognito', 'db', `${id}.json`), '{}');
  // Its default makes email the username attribute; plain usernames are what the engine tests use.
  writeFileSync(join(dir, '.cognito', 'config.json'), JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }));
  const child = spawn(process.execPath, [START], {
    cwd: dir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let output = '';
    // Generous: a loaded machine starts a Node server slowly; a fast one never waits this long.
    const timer = setTimeout(() => reject(new Error(`cognito-local did not start within 120 s:\n${output}`)), 120_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output.replace(/\u001b\[[0-9;]*m/g, ''));
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cognito-local exited with ${code} before it started:\n${output}`));
    });
  });
  // Keep draining its request log so the pipe never fills and blocks it.
  child.stdout!.resume();
  child.stderr!.resume();
  return { endpoint, stop: () => stop(child, dir) };
}

async function stop(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}
