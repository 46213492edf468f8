/** Runs the CLI bundle (the file the package's `bin` points at) in a fresh process on a chosen Node. */
import { execFile } from 'node:child_process';
import * as path from 'node:path';

export const CLI_BUNDLE = path.join(__dirname, '..', '..', 'assets', 'cli', 'main', 'cognito-device-sweep.js');

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `cognito-device-sweep args` signed with `accessKeyId`; resolves with its exit status and output. */
export function runCliBundle(args: string[], options: { node?: string; accessKeyId?: string } = {}): Promise<CliRun> {
  const env = {
    PATH: process.env.PATH ?? '',
    AWS_ACCESS_KEY_ID: options.accessKeyId ?? 'cli',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return new Promise((resolve) => {
    execFile(options.node ?? process.execPath, [CLI_BUNDLE, ...args], { env, timeout: 150_000 }, (error, stdout, stderr) => {
      const status = error ? (typeof (error as any).code === 'number' ? (error as any).code : -1) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}
