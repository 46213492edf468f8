import { fakeTerminal } from './cli-harness';
import { barProgress, plainProgress, ProgressSnapshot } from '../../src/cli/progress';
import type { PoolReport } from '../../src/sweep/types';

function snapshot(users: number, forgotten = 0, throttled = 0): ProgressSnapshot {
  const pool: PoolReport = {
    userPoolId: 'eu-west-1_AbC123',
    usersScanned: users,
    devicesScanned: users * 2,
    devicesStale: forgotten,
    devicesForgotten: forgotten,
    devicesAlreadyGone: 0,
    devicesUndated: 0,
    errors: 0,
    usersSkippedByIndex: 0,
  };
  return { pools: [pool], throttled };
}

describe('plainProgress', () => {
  test('writes at most one line per interval, and always one at the end', () => {
    let clock = 0;
    const lines: string[] = [];
    const progress = plainProgress({ write: (text: string) => lines.push(text) }, { intervalMs: 5000, now: () => clock });
    clock = 1000;
    progress.update(snapshot(10));
    expect(lines).toEqual([]);
    clock = 5000;
    progress.update(snapshot(20));
    clock = 6000;
    progress.update(snapshot(30));
    expect(lines).toEqual(['[5.0 s] users 20  devices 40  stale 0  forgotten 0  already gone 0  undated 0  errors 0  throttled 0\n']);
    clock = 7000;
    progress.finish(snapshot(1234, 5, 2), true);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('[7.0 s] users 1,234  devices 2,468  stale 5  forgotten 5  already gone 0  undated 0  errors 0  throttled 2\n');
  });
});

describe('barProgress', () => {
  test('shows users against the estimate, and ends at 100% when the sweep completed', () => {
    const terminal = fakeTerminal();
    const progress = barProgress(terminal.stream, 2000);
    progress.update(snapshot(500, 3));
    progress.finish(snapshot(1000, 7), true);
    expect(terminal.text()).toContain('100% | users 1,000/~1,000 | stale 7 | forgotten 7');
  });

  test('without an estimate, shows counts only', () => {
    const terminal = fakeTerminal();
    const progress = barProgress(terminal.stream, undefined);
    progress.finish(snapshot(42, 1, 3), false);
    expect(terminal.text()).toMatch(/users 42 \| stale 1 \| forgotten 1 \| errors 0 \| throttled 3/);
    expect(terminal.text()).not.toContain('%');
  });
});
