import { fork } from 'child_process';
import { join } from 'path';
import type { ContestantReport, ContestantTask } from './contestant';

/**
 * Runs one contestant (bench/contestant.ts) in a child process and resolves with its report: the
 * engine's memory and CPU are then its own, apart from the simulator's (which runs in this process).
 */
export function runContestant(task: ContestantTask): Promise<ContestantReport> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'contestant.ts'), [JSON.stringify(task)], {
      execArgv: ['--expose-gc', '-r', 'ts-node/register/transpile-only'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let report: ContestantReport | undefined;
    child.on('message', (message) => (report = message as ContestantReport));
    child.on('error', reject);
    child.on('exit', (code) => (report ? resolve(report) : reject(new Error(`${task.kind} contestant exited with ${code} and no report`))));
  });
}
