#!/usr/bin/env node
import { ExitStatus } from './exit-status';
import { runCli } from './run-cli';

// The SDK is bundled at a fixed version: its notice about the Node.js versions of FUTURE SDK releases
// is not actionable here and would be the only multi-line output on stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// A reader that stops early (`| head`) closes the pipe: that is not a failure of the sweep.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});
// Ctrl-C (SIGINT), or SIGTERM from a pipeline or a supervisor, stops the sweep like a deadline: the
// calls in flight finish, the partial report is printed and --state saved. A second one quits at once.
const interrupt = new AbortController();
const onSignal = (): void => {
  if (interrupt.signal.aborted) process.exit(ExitStatus.INTERRUPTED);
  process.stderr.write('\ncognito-device-sweep: stopping: finishing the calls in flight, then the report (Ctrl-C again to quit at once)\n');
  interrupt.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
const io = { stdout: process.stdout, stderr: process.stderr, env: process.env, isTTY: process.stderr.isTTY === true, signal: interrupt.signal };
runCli(process.argv.slice(2), io).then(
  (status) => { process.exitCode = status; },
  (error: unknown) => {
    process.stderr.write(`cognito-device-sweep: unexpected failure: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
