/**
 * Options the CLI derives rather than parses (the per-user rate comes from the quota scale) are
 * still the engine's input: a value the engine refuses is bad input (exit 2, one line, no call),
 * not a failed run (exit 1). The derivation cannot produce a bad rate from any command line, so
 * this file replaces it to hand the engine one.
 */
import { runCliCaptured, problemLines } from './cli-harness';
import type { SweepOptions } from '../../src/sweep/types';

/** Merged into what toSweepOptions derives (jest.mock needs the `mock` prefix to reach it). */
let mockOverride: Partial<SweepOptions> = {};

jest.mock('../../src/cli/sweep-options', () => {
  const actual = jest.requireActual('../../src/cli/sweep-options');
  return {
    toSweepOptions: (options: unknown) => {
      const derived = actual.toSweepOptions(options) as SweepOptions;
      return { ...derived, ...mockOverride, rateBudget: { ...derived.rateBudget, ...mockOverride.rateBudget } };
    },
  };
});

afterEach(() => {
  mockOverride = {};
});

// Port 9 (discard) refuses connections: a call made by mistake fails the run, which exits 1.
const ARGS = ['--user-pool-id', 'eu-west-1_AbC123', '--stale-after', '90d', '--endpoint-url', 'http://127.0.0.1:9'];

test('a per-user rate the engine refuses exits 2 with the engine rule\'s sentence', async () => {
  mockOverride = { rateBudget: { perUserRatePerSecond: 0 } };
  const run = await runCliCaptured(ARGS);
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(problemLines(run)).toEqual([
    'cognito-device-sweep: rateBudget.perUserRatePerSecond is 0; use a positive number of requests per second. (see --help)',
  ]);
});

test('the derived options themselves pass the engine\'s checks', async () => {
  // Control: without the override the same command line gets past validation and makes calls: the
  // endpoint (nothing listens on port 9) is unreachable, which stops the run with its one line.
  const run = await runCliCaptured([...ARGS, '--json']);
  expect(run.status).toBe(1);
  expect(problemLines(run).at(-1)).toMatch(/^cognito-device-sweep: error: the Cognito endpoint for Region eu-west-1 cannot be reached/);
});
