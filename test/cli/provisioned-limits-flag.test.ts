/** `--read-provisioned-limits`: parsed, documented, passed to the engine, and run against the simulator. */
import { CliOptions, parseCommandLine } from '../../src/cli/options';
import { toSweepOptions } from '../../src/cli/sweep-options';
import { UsageError } from '../../src/cli/usage-error';
import { DEFAULT_ACCOUNT_ID, useFreshSimulator } from '../sim';
import { runCliCaptured, TIME_SCALE, useCliWorkspace } from './cli-harness';

const POOL = 'eu-west-1_AbC123';

function parse(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliOptions {
  const outcome = parseCommandLine(['--user-pool-id', POOL, '--stale-after', '90d', ...args], env, () => {});
  if (outcome.kind !== 'run') throw new Error('expected a run');
  return outcome.options;
}

test('--read-provisioned-limits is off unless given', () => {
  expect(parse([]).readProvisionedLimits).toBe(false);
  expect(parse(['--read-provisioned-limits']).readProvisionedLimits).toBe(true);
});

test('it takes no value', () => {
  expect(() => parse(['--read-provisioned-limits=yes'])).toThrow(UsageError);
});

test('the engine gets readProvisionedLimits, and no explicit base quota for the category it reads (which would win)', () => {
  const off = toSweepOptions(parse([]));
  expect(off.rateBudget).toEqual({
    fraction: 0.5, baseQuotas: { UserList: 30, UserResourceRead: 50, UserResourceUpdate: 25 }, perUserRatePerSecond: 10,
  });

  const on = toSweepOptions(parse(['--read-provisioned-limits', '--rate-budget', '0.3']));
  expect(on.rateBudget).toEqual({
    fraction: 0.3,
    baseQuotas: { UserList: 30, UserResourceUpdate: 25 },
    perUserRatePerSecond: 10,
    readProvisionedLimits: true,
  });
  // A time-scaled simulator: the categories not read keep their scaled quotas.
  const scaled = toSweepOptions(parse(['--read-provisioned-limits'], { COGNITO_SWEEP_QUOTA_SCALE: '4' }));
  expect(scaled.rateBudget?.baseQuotas).toEqual({ UserList: 120, UserResourceUpdate: 100 });
});

describe('against the simulator', () => {
  const sim = useFreshSimulator({ timeScale: TIME_SCALE });
  useCliWorkspace('provisioned-limits-');

  test('--help documents the flag and its permission', async () => {
    const run = await runCliCaptured(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('--read-provisioned-limits');
    expect(run.stdout).toContain('cognito-idp:GetProvisionedLimit');
  });

  test('a run reads the account\'s limit once; without the flag, never', async () => {
    sim.setProvisionedLimit(DEFAULT_ACCOUNT_ID, 'UserResourceRead', 100);
    const poolId = sim.seedPool({ region: 'eu-west-1', users: 50 });

    const plain = await runCliCaptured(['--user-pool-id', poolId, '--stale-after', '90d', '--dry-run', '--json', '--endpoint-url', sim.endpoint]);
    expect(plain.status).toBe(0);
    expect(sim.provisionedLimitCalls()).toEqual([]);

    const reading = await runCliCaptured([
      '--user-pool-id', poolId, '--stale-after', '90d', '--dry-run', '--json', '--endpoint-url', sim.endpoint, '--read-provisioned-limits',
    ]);
    expect(reading.status).toBe(0);
    expect(sim.provisionedLimitCalls().map((c) => [c.category, c.outcome])).toEqual([['UserResourceRead', 'answered']]);
    expect(JSON.parse(reading.stdout).pools[0].usersScanned).toBe(50);
  });

  test('denied: one warning line on stderr, and the run still succeeds', async () => {
    sim.setAccess({ deny: ['GetProvisionedLimit'] });
    const poolId = sim.seedPool({ region: 'eu-west-1', users: 20 });

    const run = await runCliCaptured([
      '--user-pool-id', poolId, '--stale-after', '90d', '--dry-run', '--json', '--endpoint-url', sim.endpoint, '--read-provisioned-limits',
    ]);

    expect(run.status).toBe(0);
    const warnings = run.stderr.split('\n').filter((line) => line.includes('provisioned limits'));
    expect(warnings).toEqual([expect.stringMatching(/^warning: Cannot read the account's provisioned limits .*AccessDeniedException/)]);
  });
});
