/**
 * What the CLI prints when the engine itself fails part-way (a bug, an unexpected exception):
 * the simulator cannot make the engine throw, so the engine's sweepDevices is replaced here.
 */
import { runCliCaptured } from './cli-harness';
import type { SweepOptions } from '../../src/sweep/types';

jest.mock('../../src/sweep', () => ({
  ...jest.requireActual('../../src/sweep'),
  sweepDevices: jest.fn(async (options: SweepOptions) => {
    options.onProgress?.({
      pools: [{
        userPoolId: 'eu-west-1_AbC123',
        usersScanned: 40,
        devicesScanned: 90,
        devicesStale: 30,
        devicesForgotten: 25,
        devicesAlreadyGone: 1,
        devicesUndated: 2,
        errors: 0,
        usersSkippedByIndex: 0,
      }],
      throttled: 3,
      calls: { UserList: 1, UserResourceRead: 40, UserResourceUpdate: 26 },
    });
    throw new Error('socket hang up\nat somewhere');
  }),
}));

test('an engine failure exits 1, says why in one line, and still prints the counts so far', async () => {
  const { status, stdout, stderr } = await runCliCaptured(['--user-pool-id', 'eu-west-1_AbC123', '--stale-after', '90d', '--json']);

  expect(status).toBe(1);
  const report = JSON.parse(stdout);
  expect(report.capped).toBe(false);
  expect(report.pools).toEqual([{
    userPoolId: 'eu-west-1_AbC123',
    usersScanned: 40,
    devicesScanned: 90,
    devicesStale: 30,
    devicesForgotten: 25,
    devicesAlreadyGone: 1,
    devicesUndated: 2,
    errors: 0,
    usersSkippedByIndex: 0,
  }]);
  const lines = stderr.trimEnd().split('\n');
  expect(lines[lines.length - 1]).toBe('cognito-device-sweep: the sweep failed: Error: socket hang up at somewhere');
  expect(lines[lines.length - 2]).toMatch(/^\[[^\]]+\] users 40 .* forgotten 25 .* throttled 3$/);
});
