/**
 * Domain scaling (issue 19): does one engine process sweep several quota domains (an account and a
 * Region each, with a budget each) as fast as it sweeps one? The same sweep of one pool, then one run
 * over DOMAINS pools of the same size in as many domains: 4 accounts (roles assumed through the
 * simulator's STS) x 2 Regions. `domainScaling` = wall time of the one-domain run / wall time of the
 * run over all of them (1: perfect; goal >= 0.85). Each run in a fresh simulator and a fresh engine
 * process (the contestant), so neither inherits the other's connections or heap.
 */
import { loadavg } from 'os';
import type { ContestantReport } from './contestant';
import { runContestant } from './run-contestant';
import type { AccountRole } from '../src/sweep';
import { CognitoSimulator } from '../test/sim';

/**
 * T = 1 by default: eight domains at the default budget call about 8 x 40 calls/s; at about 1 ms
 * of engine CPU per call (engineCpuMsPerCall) and the simulator's own CPU, a higher T would make
 * this a measure of the 2-core machine, not of the engine's concurrency.
 */
const TIME_SCALE = Number(process.env.BENCH_DOMAIN_TIME_SCALE ?? 1);
/** Users per domain: about 36 s of AdminListDevices at budget 0.5 each. */
const USERS = Number(process.env.BENCH_DOMAIN_USERS ?? 1_000);
const DOMAINS = Number(process.env.BENCH_DOMAINS ?? 8);
const ACCOUNTS = ['210987654321', '310987654321', '410987654321', '510987654321'];
const REGIONS = ['eu-west-1', 'us-east-1'];
const LATENCY_MS = 50;
const BUDGET_FRACTION = 0.5;
const NOW_MS = Date.UTC(2026, 0, 1);
const STALE_AFTER_SECONDS = 180 * 86_400;
const POOL_SHAPE = {
  statusMix: { CONFIRMED: 0.8, UNCONFIRMED: 0.1, EXTERNAL_PROVIDER: 0.05, FORCE_CHANGE_PASSWORD: 0.03, RESET_REQUIRED: 0.02 },
  devicesPerUser: { min: 0, max: 2 },
  maxAgeDays: 365,
  undatedFraction: 0.02,
};
const roleOf = (account: string): string => `arn:aws:iam::${account}:role/DeviceSweepAccess`;

/** What BENCH reports. */
export interface DomainScalingResult {
  /** One domain's wall time / the wall time of one run over `domainCount` domains of the same size. */
  readonly domainScaling: number;
  readonly domainCount: number;
  readonly domainUsers: number;
  readonly domainTimeScale: number;
  /** Wall seconds of the two runs. */
  readonly domainOneSeconds: number;
  readonly domainAllSeconds: number;
  /** Engine CPU share of one core during each run. */
  readonly domainOneCpuShare: number;
  readonly domainAllCpuShare: number;
  /**
   * Engine CPU per Cognito call at T (1: Cognito's real rates) in the one-domain run, ms, start-up
   * included (SDK modules loaded on first use, the role's session): the figure to size a slice by.
   */
  readonly domainOneCpuMsPerCall: number;
  readonly domainThrottled: number;
  readonly domainLoadAverage: number;
}

/** Runs both sweeps; `print` gets a short summary. */
export async function domainScalingBench(print: (line: string) => void): Promise<DomainScalingResult> {
  const one = await sweepDomains(1);
  const all = await sweepDomains(DOMAINS);
  const result: DomainScalingResult = {
    domainScaling: round(one.elapsedMs / all.elapsedMs, 3),
    domainCount: DOMAINS,
    domainUsers: USERS,
    domainTimeScale: TIME_SCALE,
    domainOneSeconds: round(one.elapsedMs / 1000, 1),
    domainAllSeconds: round(all.elapsedMs / 1000, 1),
    domainOneCpuShare: round(one.cpuMs / one.elapsedMs, 2),
    domainAllCpuShare: round(all.cpuMs / all.elapsedMs, 2),
    domainOneCpuMsPerCall: round(one.cpuMs / one.calls, 3),
    domainThrottled: one.throttled + all.throttled,
    domainLoadAverage: round(loadavg()[0], 2),
  };
  print(`  Domain scaling: one domain of ${USERS} users in ${result.domainOneSeconds} s, ${DOMAINS} such domains (${Math.ceil(DOMAINS / REGIONS.length)} accounts x ` +
    `${Math.min(DOMAINS, REGIONS.length)} Regions) in ${result.domainAllSeconds} s in one run: domainScaling ${result.domainScaling} (goal >= 0.85);` +
    ` engine CPU ${Math.round(result.domainOneCpuShare * 100)}% / ${Math.round(result.domainAllCpuShare * 100)}% of a core,` +
    ` ${result.domainOneCpuMsPerCall} ms per call in the one-domain run (T = ${TIME_SCALE}, load ${result.domainLoadAverage}).`);
  return result;
}

/** One run over the first `count` domains (account-major: 2 Regions of one account, then the next account). */
async function sweepDomains(count: number): Promise<ContestantReport & { readonly calls: number }> {
  const sim = await CognitoSimulator.start({ timeScale: TIME_SCALE, latencyMs: LATENCY_MS, seed: 42 });
  try {
    const accounts = ACCOUNTS.slice(0, Math.ceil(count / REGIONS.length));
    sim.setRoles(accounts.map((account) => ({ roleArn: roleOf(account) })));
    const arns: string[] = [];
    for (let i = 0; i < count; i++) {
      const accountId = ACCOUNTS[Math.floor(i / REGIONS.length)];
      const region = REGIONS[i % REGIONS.length];
      arns.push(sim.poolArn(sim.seedPool({ region, accountId, users: USERS, ...POOL_SHAPE, now: new Date(NOW_MS) })));
    }
    process.stderr.write(`domains: engine on ${count} domain(s) of ${USERS} users (T=${TIME_SCALE}) ...\n`);
    const roles: AccountRole[] = accounts.map((accountId) => ({ accountId, roleArn: roleOf(accountId) }));
    const report = await runContestant({
      kind: 'engine',
      endpoint: sim.endpoint,
      stsEndpoint: sim.endpoint,
      region: REGIONS[0],
      userPoolId: arns[0],
      userPoolIds: arns,
      accountRoles: roles,
      staleAfterSeconds: STALE_AFTER_SECONDS,
      nowMs: NOW_MS,
      timeScale: TIME_SCALE,
      budgetFraction: BUDGET_FRACTION,
      forcedGc: false,
    });
    return { ...report, calls: sim.stats.totals.calls };
  } finally {
    await sim.stop();
  }
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
