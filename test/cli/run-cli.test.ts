import { readFileSync } from 'fs';
import { CliRun, deviceCensus, problemLines, runCliCaptured, runCliOnTerminal, TIME_SCALE, useCliWorkspace } from './cli-harness';
import { useFreshSimulator } from '../sim';
import { expectedAgePicture } from '../sweep/fixture';

const NINETY_DAYS = 90 * 86_400;
const STATUS_MIX = { CONFIRMED: 0.8, UNCONFIRMED: 0.1, RESET_REQUIRED: 0.05, EXTERNAL_PROVIDER: 0.05 };

const workspace = useCliWorkspace('cli-test-');
const sim = useFreshSimulator({ timeScale: TIME_SCALE, seed: 7 });

function seed(region = 'eu-west-1', users = 150): string {
  return sim.seedPool({ region, users, statusMix: STATUS_MIX, devicesPerUser: { min: 0, max: 4 }, maxAgeDays: 365 });
}

function json(run: CliRun) {
  return JSON.parse(run.stdout);
}

describe('bad input exits 2 with one line on stderr and no call made', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['no arguments', [], /required option '--user-pool-id <id>' not specified/],
    ['no selection', ['--user-pool-id', 'eu-west-1_AbC123'], /say what to forget: --stale-after, --max-device-age, --username, --users-file or --all-devices/],
    ['a zero duration', ['--user-pool-id', 'eu-west-1_AbC123', '--stale-after', '0d'], /--stale-after: '0d' must be greater than zero/],
    ['a duration under a day', ['--user-pool-id', 'eu-west-1_AbC123', '--stale-after', '12h'], /--stale-after is 43200 seconds; use at least one day/],
    ['a duration without unit', ['--user-pool-id', 'eu-west-1_AbC123', '--stale-after', '90'], /--stale-after: '90' is not a duration/],
    ['a fractional duration', ['--user-pool-id', 'eu-west-1_AbC123', '--stale-after', '1.5d'], /'1.5d' is not a duration/],
    ['a pool id without Region', ['--user-pool-id', 'AbC123', '--stale-after', '90d'], /--user-pool-id: Invalid user pool id "AbC123"/],
    ['a second, bad pool id', ['--user-pool-id', 'eu-west-1_AbC123', '--user-pool-id', 'eu-west-1_Ab-C', '--stale-after', '90d'], /Invalid user pool id "eu-west-1_Ab-C"/],
    ['a rate budget of 0', ['--user-pool-id', 'eu-west-1_AbC123', '--stale-after', '90d', '--rate-budget', '0'], /--rate-budget is 0; use a fraction in \(0, 1\]/],
    ['a rate budget above 1', ['--user-pool-id', 'eu-west-1_AbC123', '--stale-after', '90d', '--rate-budget', '1.5'], /--rate-budget is 1.5; use a fraction/],
    ['a rate budget that is not a number', ['--user-pool-id', 'eu-west-1_AbC123', '--stale-after', '90d', '--rate-budget', 'half'], /--rate-budget is "half"; use a fraction/],
    ['--max-forgets 0', ['--user-pool-id', 'eu-west-1_AbC123', '--stale-after', '90d', '--max-forgets', '0'], /--max-forgets is 0; use a whole number of at least 1, or leave it out for no cap/],
    ['a fractional --max-forgets', ['--user-pool-id', 'eu-west-1_AbC123', '--stale-after', '90d', '--max-forgets', '2.5'], /--max-forgets is "2.5"; use a whole number of at least 1/],
    ['an endpoint that is not a URL', ['--user-pool-id', 'eu-west-1_AbC123', '--stale-after', '90d', '--endpoint-url', 'localhost'], /--endpoint-url: 'localhost' is not a URL/],
    ['an endpoint that is not http', ['--user-pool-id', 'eu-west-1_AbC123', '--stale-after', '90d', '--endpoint-url', 'ftp://x'], /must start with http:\/\/ or https:\/\//],
    ['a Region that is not one', ['--user-pool-id', 'eu-west-1_AbC123', '--stale-after', '90d', '--region', 'Ireland'], /--region: 'Ireland' is not an AWS Region name/],
    ['an unknown flag', ['--user-pool-id', 'eu-west-1_AbC123', '--stale-after', '90d', '--dry-rn'], /unknown option '--dry-rn' \(Did you mean --dry-run\?\)/],
    ['a flag without its value', ['--user-pool-id', 'eu-west-1_AbC123', '--stale-after'], /option '--stale-after <duration>' argument missing/],
    ['an extra argument', ['--user-pool-id', 'eu-west-1_AbC123', '--stale-after', '90d', 'now'], /too many arguments/],
    ['a CSV file in a missing directory', ['--user-pool-id', 'eu-west-1_AbC123', '--stale-after', '90d', '--report-csv', '/no/such/dir/r.csv'], /--report-csv: cannot write in '\/no\/such\/dir'/],
  ];

  test.each(cases)('%s', async (_name, args, message) => {
    // Pointed at the simulator, so that a call made by mistake would show in its counters.
    const endpoint = args.includes('--endpoint-url') ? [] : ['--endpoint-url', sim.endpoint];
    const run = await runCliCaptured([...endpoint, ...args]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const lines = problemLines(run);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^cognito-device-sweep: /);
    expect(lines[0]).toMatch(message);
    expect(sim.stats.totals.calls).toBe(0);
  });

  test('a bad COGNITO_SWEEP_QUOTA_SCALE', async () => {
    const poolId = seed();
    const run = await runCliCaptured(['--user-pool-id', poolId, '--stale-after', '90d', '--endpoint-url', sim.endpoint], {
      COGNITO_SWEEP_QUOTA_SCALE: 'fast',
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^cognito-device-sweep: COGNITO_SWEEP_QUOTA_SCALE: 'fast' must be a number greater than 0/),
    ]);
    expect(sim.stats.totals.calls).toBe(0);
  });
});

test('--help documents every flag, the exit statuses and an example, and calls nothing', async () => {
  const run = await runCliCaptured(['--help']);
  expect(run.status).toBe(0);
  expect(run.stderr).toBe('');
  for (const flag of ['--user-pool-id', '--stale-after', '--max-device-age', '--username', '--users-file', '--all-devices', '--dry-run', '--region', '--endpoint-url', '--rate-budget', '--max-forgets', '--json', '--report-csv']) {
    expect(run.stdout).toContain(flag);
  }
  expect(run.stdout).toMatch(/Exit status:[\s\S]*0 {2}done[\s\S]*1 {2}the run failed[\s\S]*2 {2}bad input[\s\S]*3 {2}stopped by --max-forgets/);
  expect(run.stdout).toMatch(/Examples:\n\s+# .*\n\s+cognito-device-sweep --user-pool-id eu-west-1_AbC123 --stale-after 90d --dry-run/);
  expect(sim.stats.totals.calls).toBe(0);
});

test('a dry run reports what the simulator holds and forgets nothing', async () => {
  const poolId = seed();
  const before = deviceCensus(sim, poolId, NINETY_DAYS);
  const devices = sim.allDevices(poolId);
  expect(before.stale).toBeGreaterThan(50); // the check below must be able to fail

  const run = await runCliCaptured(['--user-pool-id', poolId, '--stale-after', '90d', '--dry-run', '--json', '--endpoint-url', sim.endpoint]);

  expect(problemLines(run).filter((line) => !line.startsWith('['))).toEqual([]);
  expect(run.status).toBe(0);
  const report = json(run);
  expect(report).toEqual({
    dryRun: true,
    staleAfterSeconds: NINETY_DAYS,
    startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    finishedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    pools: [{
      userPoolId: poolId,
      usersScanned: expect.any(Number),
      devicesScanned: before.devices,
      devicesStale: before.stale,
      devicesForgotten: 0,
      devicesAlreadyGone: 0,
      devicesUndated: before.undated,
      errors: 0,
      usersSkippedByIndex: 0,
      ages: expectedAgePicture(devices, sim.usersOf(poolId), Date.parse(report.startedAt)),
    }],
    capped: false,
  });
  // UNCONFIRMED users have no devices; whether the engine lists their devices is its business.
  const users = sim.usersOf(poolId);
  expect(report.pools[0].usersScanned).toBeGreaterThanOrEqual(users.filter((user) => user.status !== 'UNCONFIRMED').length);
  expect(report.pools[0].usersScanned).toBeLessThanOrEqual(users.length);
  expect(Date.parse(report.finishedAt)).toBeGreaterThanOrEqual(Date.parse(report.startedAt));
  expect(sim.stats.operation('AdminForgetDevice').calls).toBe(0);
  expect(deviceCensus(sim, poolId, NINETY_DAYS)).toEqual(before);
});

test('a sweep forgets exactly the stale devices of pools in two Regions, then exits 0', async () => {
  const ireland = seed('eu-west-1', 150);
  const virginia = seed('us-east-1', 100);
  const expected = [ireland, virginia].map((id) => deviceCensus(sim, id, NINETY_DAYS));

  const run = await runCliCaptured(['--user-pool-id', ireland, '--user-pool-id', virginia, '--stale-after', '90d', '--json', '--endpoint-url', sim.endpoint]);

  expect(run.status).toBe(0);
  const report = json(run);
  expect(report.dryRun).toBe(false);
  expect(report.capped).toBe(false);
  expect(report.pools.map((pool: { userPoolId: string }) => pool.userPoolId)).toEqual([ireland, virginia]);
  report.pools.forEach((pool: Record<string, number>, i: number) => {
    expect(pool.devicesScanned).toBe(expected[i].devices);
    expect(pool.devicesStale).toBe(expected[i].stale);
    expect(pool.devicesForgotten).toBe(expected[i].stale);
    expect(pool.errors).toBe(0);
  });
  for (const [i, id] of [ireland, virginia].entries()) {
    expect(deviceCensus(sim, id, NINETY_DAYS)).toEqual({ devices: expected[i].devices - expected[i].stale, stale: 0, undated: expected[i].undated });
  }
  expect(sim.stats.operation('AdminForgetDevice').succeeded).toBe(expected[0].stale + expected[1].stale);
});

test('--flag=value works and a pool id given twice is swept once', async () => {
  const poolId = seed('eu-west-1', 30);

  const run = await runCliCaptured([`--user-pool-id=${poolId}`, '--user-pool-id', poolId, '--stale-after=2d', '--dry-run', '--json', `--endpoint-url=${sim.endpoint}`]);

  expect(run.status).toBe(0);
  const report = json(run);
  expect(report.staleAfterSeconds).toBe(2 * 86_400);
  expect(report.pools.map((pool: { userPoolId: string }) => pool.userPoolId)).toEqual([poolId]);
  expect(sim.stats.operation('ListUsers').succeeded).toBe(1);
});

test('--max-forgets stops the sweep after that many forgets and exits 3', async () => {
  const poolId = seed();
  const before = deviceCensus(sim, poolId, NINETY_DAYS);

  const run = await runCliCaptured(['--user-pool-id', poolId, '--stale-after', '90d', '--max-forgets', '5', '--json', '--endpoint-url', sim.endpoint]);

  expect(run.status).toBe(3);
  const report = json(run);
  expect(report.capped).toBe(true);
  expect(report.pools[0].devicesForgotten).toBe(5);
  expect(deviceCensus(sim, poolId, NINETY_DAYS).stale).toBe(before.stale - 5);
});

test('a pool the endpoint does not know fails the run with exit 1, and the partial report is printed', async () => {
  const known = seed();
  const stale = deviceCensus(sim, known, NINETY_DAYS).stale;
  const missing = 'eu-west-1_DoesNotExist1';

  const run = await runCliCaptured(['--user-pool-id', known, '--user-pool-id', missing, '--stale-after', '90d', '--json', '--endpoint-url', sim.endpoint]);

  expect(run.status).toBe(1);
  const report = json(run);
  expect(report.pools.map((pool: { userPoolId: string }) => pool.userPoolId)).toEqual([known, missing]);
  // The known pool was still swept; the missing one is an error and stopped, with its reason on stderr as an error line.
  expect(report.pools[0].devicesForgotten).toBe(stale);
  expect(report.pools[1].errors).toBe(1);
  expect(report.pools[1].stopped.reason).toBe('pool-not-found');
  expect(problemLines(run).filter((line) => !line.startsWith('['))).toEqual([
    `cognito-device-sweep: error: user pool ${missing} does not exist in Region eu-west-1 (ListUsers: ResourceNotFoundException); check the pool id and the Region`,
  ]);
});

test('a device that cannot be forgotten is counted as an error and the run exits 1', async () => {
  const poolId = seed('eu-west-1', 20);
  // Cognito rejects this key (InvalidParameterException): not retryable, so it is counted at once.
  const longAgo = new Date(Date.now() - 200 * 86_400_000);
  sim.addUser(poolId, {
    username: 'broken-device',
    devices: [{ DeviceKey: 'eu-west-1_NOT-A-KEY', DeviceAttributes: [], DeviceLastAuthenticatedDate: longAgo }],
  });
  const { stale } = deviceCensus(sim, poolId, NINETY_DAYS);

  const run = await runCliCaptured(['--user-pool-id', poolId, '--stale-after', '90d', '--json', '--endpoint-url', sim.endpoint]);

  expect(run.status).toBe(1);
  const report = json(run);
  expect(report.pools[0].errors).toBe(1);
  expect(report.pools[0].devicesForgotten).toBe(stale - 1);
  expect(problemLines(run).filter((line) => !line.startsWith('['))).toEqual([
    expect.stringMatching(/^warning: .*AdminForgetDevice.*InvalidParameterException/),
    'cognito-device-sweep: finished with 1 error(s) counted; those devices may remain',
  ]);
});

test('--region overrides the Region of every pool', async () => {
  const poolId = seed('eu-west-1', 20);
  // The simulator, like Cognito, knows a pool only in its own Region: calling us-east-1 must fail.
  const elsewhere = await runCliCaptured(['--user-pool-id', poolId, '--stale-after', '90d', '--region', 'us-east-1', '--json', '--endpoint-url', sim.endpoint]);
  expect(elsewhere.status).toBe(1);
  const same = await runCliCaptured(['--user-pool-id', poolId, '--stale-after', '90d', '--region', 'eu-west-1', '--json', '--endpoint-url', sim.endpoint]);
  expect(same.status).toBe(0);
});

test('--report-csv writes the per-pool rows with a header, matching the JSON report', async () => {
  const ireland = seed('eu-west-1', 100);
  const virginia = seed('us-east-1', 50);
  const file = workspace.file('report.csv');

  const run = await runCliCaptured(['--user-pool-id', ireland, '--user-pool-id', virginia, '--stale-after', '30d', '--dry-run', '--json', '--report-csv', file, '--endpoint-url', sim.endpoint]);

  expect(run.status).toBe(0);
  const lines = readFileSync(file, 'utf8').trimEnd().split('\r\n');
  expect(lines[0]).toBe('userPoolId,usersScanned,devicesScanned,devicesStale,devicesForgotten,devicesAlreadyGone,devicesUndated,errors,usersSkippedByIndex');
  // The age picture is in the JSON document only (nested numbers do not fit a CSV row).
  expect(lines.slice(1)).toEqual(json(run).pools.map(({ ages: _ages, ...pool }: Record<string, unknown>) => Object.values(pool).join(',')));
});

test('without --json the report is a table on stdout and progress lines go to stderr', async () => {
  const poolId = seed('eu-west-1', 100);
  const { stale } = deviceCensus(sim, poolId, NINETY_DAYS);

  const run = await runCliCaptured(['--user-pool-id', poolId, '--stale-after', '90d', '--endpoint-url', sim.endpoint]);

  expect(run.status).toBe(0);
  expect(run.stdout).toContain('Sweep: devices unused for 90d were forgotten.');
  const row = run.stdout.split('\n').find((line) => line.startsWith(poolId));
  expect(row?.split(/\s{2,}/)[4]).toBe(stale.toLocaleString('en-US')); // the Forgotten column
  expect(run.stderr).toMatch(new RegExp(`^\\[[^\\]]+\\] users \\d+ .* forgotten ${stale} `, 'm'));
});

test('on a terminal, a progress bar shows users against the pools\' estimated size', async () => {
  const poolId = seed('eu-west-1', 120);
  const { status, stdout, stderr: drawn } = await runCliOnTerminal(['--user-pool-id', poolId, '--stale-after', '90d', '--dry-run', '--endpoint-url', sim.endpoint]);

  expect(status).toBe(0);
  expect(sim.stats.operation('DescribeUserPool').succeeded).toBe(1);
  expect(drawn).toContain('100% | users 120/~120 |');
  expect(drawn).not.toMatch(/^\[/m); // no plain progress lines
  expect(stdout).toContain('Dry run:');
});
