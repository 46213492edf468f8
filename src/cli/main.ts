#!/usr/bin/env node
import { runCli } from './run-cli';

const io = { stdout: process.stdout, stderr: process.stderr, env: process.env, isTTY: process.stderr.isTTY === true };
runCli(process.argv.slice(2), io).then(
  (status) => { process.exitCode = status; },
  (error: unknown) => { process.stderr.write(`cognito-device-sweep: unexpected failure: ${String(error)}\n`); process.exitCode = 1; },
);
