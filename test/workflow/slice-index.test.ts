/** The slice hands the environment's next-check index to the engine for staleness runs only. */
import type { SweepOptions, SweepResult } from '../../src/sweep';
import { runSlice } from '../../src/workflow/slice-logic';
import { MemoryIndex } from '../sweep/index/memory-index';

const POOL = 'eu-west-1_AAA';

const RESULT: SweepResult = {
  done: true,
  capped: false,
  pools: [],
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:01:00.000Z',
  calls: { UserList: 0, UserResourceRead: 0, UserResourceUpdate: 0 },
  throttled: 0,
  ratesPerSecond: { UserList: 15, UserResourceRead: 25, UserResourceUpdate: 12.5 },
};

async function optionsFor(selection: unknown): Promise<SweepOptions> {
  const calls: SweepOptions[] = [];
  await runSlice({ config: { userPoolIds: [POOL], selection, dryRun: false } }, {
    allowedUserPoolIds: [POOL],
    remainingTimeMs: 900_000,
    engineOptions: { nextCheckIndex: new MemoryIndex() },
    sweep: async (options) => {
      calls.push(options);
      return RESULT;
    },
  });
  expect(calls).toHaveLength(1);
  return calls[0];
}

test('a staleness run gets the index', async () => {
  expect((await optionsFor({ kind: 'stale', staleAfterSeconds: 86_400 })).nextCheckIndex).toBeInstanceOf(MemoryIndex);
});

test.each([
  [{ kind: 'all' }],
  [{ kind: 'users', usernames: ['alice'] }],
])('a run started by hand with %j sweeps without it', async (selection) => {
  expect((await optionsFor(selection)).nextCheckIndex).toBeUndefined();
});
