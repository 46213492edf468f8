/**
 * `npm run demo`: the sweep, through the CLI's own code path, on the local Cognito simulator.
 * No AWS account, no network: a dry run, then the real sweep, then a check that every stale
 * device is gone and that the quota budget was kept.
 */
import { achievedRates } from './sim-rates';
import { count, formatTable, rate } from './table';
import { runCli } from '../src/cli/run-cli';
import { CognitoSimulator, lastUseMs } from '../test/sim';

/** Quotas x TIME_SCALE, latency / TIME_SCALE: the same run, TIME_SCALE times faster. */
const TIME_SCALE = 10;
const STALE_AFTER = '90d';
const STALE_AFTER_MS = 90 * 86_400_000;
const BUDGET_FRACTION = 0.5;
/** As if the application's own sign-ins competed for the quota: this share of calls is throttled at random. */
const INJECTED_THROTTLE_RATE = 0.01;

const STATUS_MIX = { CONFIRMED: 0.82, UNCONFIRMED: 0.08, EXTERNAL_PROVIDER: 0.05, FORCE_CHANGE_PASSWORD: 0.03, RESET_REQUIRED: 0.02 };
const POOLS = [
  { region: 'eu-west-1', name: 'shop-customers', users: 2_000 },
  { region: 'eu-west-1', name: 'shop-staff', users: 300 },
  { region: 'us-east-1', name: 'mobile-app', users: 1_500 },
];

interface PoolJson {
  userPoolId: string;
  usersScanned: number;
  devicesScanned: number;
  devicesStale: number;
  devicesForgotten: number;
  devicesAlreadyGone: number;
  devicesUndated: number;
  errors: number;
}

interface ReportJson {
  startedAt: string;
  finishedAt: string;
  pools: PoolJson[];
  capped: boolean;
}

async function main(): Promise<number> {
  // The SDK's credential chain needs something; the simulator accepts any values.
  process.env.AWS_ACCESS_KEY_ID = 'demo';
  process.env.AWS_SECRET_ACCESS_KEY = 'demo';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  delete process.env.AWS_PROFILE;

  const sim = await CognitoSimulator.start({ timeScale: TIME_SCALE, latencyMs: { min: 30, max: 70 }, seed: 2026 });
  try {
    const now = new Date();
    const poolIds = POOLS.map((pool) => sim.seedPool({
      ...pool,
      statusMix: STATUS_MIX,
      devicesPerUser: { min: 0, max: 3 },
      maxAgeDays: 365,
      undatedFraction: 0.02,
      notRememberedFraction: 0.2,
      now,
    }));
    const devices = total(poolIds.map((id) => sim.allDevices(id).length));
    print(`
cognito-device-sweep demo: the sweep engine, through the CLI, on a local Cognito simulator
==========================================================================================
Simulator at ${sim.endpoint}: ${POOLS.length} pools in 2 Regions, ${count(total(POOLS.map((p) => p.users)))} users, ${count(devices)} devices,
device last use spread over a year, a realistic mix of user statuses (8% UNCONFIRMED, without devices).

TIME-SCALED x${TIME_SCALE}: the simulator's quotas are ${TIME_SCALE} times Cognito's documented defaults and its latency
(30-70 ms per call) is divided by ${TIME_SCALE}, so this runs ${TIME_SCALE} times faster than against Cognito with the
same ratios. The CLI is told through COGNITO_SWEEP_QUOTA_SCALE=${TIME_SCALE} (a simulator-only knob). Durations and
rates below are converted back: they are what the same sweep would show against Cognito.`);

    const poolArgs = poolIds.flatMap((id) => ['--user-pool-id', id]);
    const dry = await runStep(1, 'Dry run: what would be forgotten', [...poolArgs, '--stale-after', STALE_AFTER, '--dry-run', '--json', '--endpoint-url', sim.endpoint]);

    sim.resetStats();
    sim.setFaults({ throttleRate: INJECTED_THROTTLE_RATE });
    const sweep = await runStep(2, `The sweep (${INJECTED_THROTTLE_RATE * 100}% of calls throttled at random, as if the application competed for the quota)`,
      [...poolArgs, '--stale-after', STALE_AFTER, '--json', '--endpoint-url', sim.endpoint]);
    sim.setFaults({});

    printPools(sweep.report, poolIds);
    const withinBudget = printRates(sim);
    const throttled = total(Object.values(sim.stats.operations).map((op) => op.throttled));
    print(`\n  Throttled answers: ${count(throttled)}, each retried after slowing down; nothing was skipped.`);

    // Verification against the simulator's own state, with the staleness rule written out here.
    const staleInDryRun = total(dry.report.pools.map((p) => p.devicesStale));
    const forgotten = total(sweep.report.pools.map((p) => p.devicesForgotten));
    const cutoffMs = Date.parse(sweep.report.startedAt) - STALE_AFTER_MS;
    const staleLeft = total(poolIds.map((id) => sim.allDevices(id).filter(({ device }) => (lastUseMs(device) ?? Infinity) < cutoffMs).length));
    const ok = dry.status === 0 && sweep.status === 0 && staleInDryRun === forgotten && staleLeft === 0 && withinBudget;
    print(`
Verification
  stale in the dry run (${count(staleInDryRun)}) == forgotten by the sweep (${count(forgotten)}): ${staleInDryRun === forgotten ? 'yes' : 'NO'}
  stale devices left in the simulator: ${count(staleLeft)} ${staleLeft === 0 ? '(none)' : '(SHOULD BE 0)'}
  average rates within their budgets: ${withinBudget ? 'yes' : 'NO'}
  ${ok ? 'OK: every stale device was forgotten, within the rate budget.' : 'FAILED: see above.'}
`);
    return ok ? 0 : 1;
  } finally {
    await sim.stop();
  }
}

/** Runs the CLI in-process, its progress lines indented under the step, and parses its JSON report. */
async function runStep(step: number, title: string, args: string[]): Promise<{ status: number; report: ReportJson }> {
  print(`\n${step}. ${title}\n   $ cognito-device-sweep ${args.join(' ').replace(/ --user-pool-id /g, ' \\\n       --user-pool-id ').replace(' --stale-after', ' \\\n       --stale-after')}`);
  let stdout = '';
  const status = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => process.stdout.write(text.replace(/^(?=.)/gm, '   | ')) },
    env: { ...process.env, COGNITO_SWEEP_QUOTA_SCALE: String(TIME_SCALE) },
    isTTY: false,
  });
  const report = JSON.parse(stdout) as ReportJson;
  const seconds = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
  print(`   exit status ${status} after ${seconds.toFixed(1)} s here, about ${formatMinutes(seconds * TIME_SCALE)} against Cognito`);
  return { status, report };
}

function printPools(report: ReportJson, poolIds: string[]): void {
  print('\n  Per pool (the sweep)');
  const rows = report.pools.map((p) => [
    `${POOLS[poolIds.indexOf(p.userPoolId)].name} (${p.userPoolId})`,
    count(p.usersScanned), count(p.devicesScanned), count(p.devicesStale), count(p.devicesForgotten),
    count(p.devicesAlreadyGone), count(p.devicesUndated), count(p.errors),
  ]);
  print(formatTable(['Pool', 'Users', 'Devices', 'Stale', 'Forgotten', 'Already gone', 'Undated', 'Errors'], rows, '    '));
}

/** Prints the achieved rates; returns whether every average kept to its budget. */
function printRates(sim: CognitoSimulator): boolean {
  print(`\n  Request rates per Region and quota category (the sweep), against the budget of ${BUDGET_FRACTION} x the documented quota`);
  const rates = achievedRates(sim, BUDGET_FRACTION);
  const rows = rates.map((r) => [
    r.region, r.category, count(r.calls), rate(r.average), rate(r.peak), rate(r.budget), `${Math.round((100 * r.average) / r.budget)}%`,
  ]);
  print(formatTable(['Region', 'Category', 'Calls', 'Average', 'Peak (1 s)', 'Budget', 'Used'], rows, '    ', 2));
  print('    Average: calls over the span between the Region\'s first and last call of that category.');
  print(`    Peak: the busiest 1 s window; at this time scale 1 s is ${1000 / TIME_SCALE} ms of wall time, so event-loop jitter`);
  print('    bunches calls and can push it above the budget. UserList needs one call per 60 users: it never uses much.');
  print('    UserResourceRead runs below its budget: the engine keeps a bounded number of users in flight and a user');
  print('    stays in flight until its stale devices are forgotten, so reads follow UserResourceUpdate, the bottleneck here.');
  // A 2% margin for the clock granularity of the span; the point is "not above the budget".
  return rates.every((r) => r.average <= r.budget * 1.02);
}

function total(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0);
}

function formatMinutes(seconds: number): string {
  return seconds < 90 ? `${Math.round(seconds)} s` : `${(seconds / 60).toFixed(1)} min`;
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

main().then(
  (status) => { process.exitCode = status; },
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
