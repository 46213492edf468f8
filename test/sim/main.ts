/**
 * Starts a simulator for manual use:
 *   ts-node test/sim/main.ts --port 0 --users 1000 --region eu-west-1
 * prints the endpoint and the seeded pool ids, then serves until interrupted. Point the CLI at it
 * with `--endpoint-url` (dummy AWS credentials are fine).
 */
import { Command, InvalidArgumentError } from 'commander';
import { CognitoSimulator } from './index';

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError('expected a positive number');
  return n;
}

function range(value: string): { min: number; max: number } {
  const m = /^(\d+)(?:-(\d+))?$/.exec(value);
  if (!m) throw new InvalidArgumentError('expected N or MIN-MAX, e.g. 0-3');
  return { min: Number(m[1]), max: Number(m[2] ?? m[1]) };
}

interface MainOptions {
  readonly port: number;
  readonly region: string[];
  readonly pools: number;
  readonly users: number;
  readonly devicesPerUser: { min: number; max: number };
  readonly maxAgeDays: number;
  readonly timeScale: number;
  readonly latencyMs: { min: number; max: number };
  readonly seed: number;
}

async function main(): Promise<void> {
  const options = new Command('cognito-simulator')
    .description('A local Cognito user pool simulator (ListUsers and the device APIs) for development')
    .option('--port <n>', 'port on 127.0.0.1 (0: any free port)', integer, 0)
    .option('--region <region...>', 'Region of the seeded pools (repeat for several)', ['eu-west-1'])
    .option('--pools <n>', 'pools per Region', integer, 1)
    .option('--users <n>', 'users per pool', integer, 1000)
    .option('--devices-per-user <range>', 'devices per user, N or MIN-MAX', range, { min: 0, max: 3 })
    .option('--max-age-days <n>', 'device last use spread over this many days', integer, 365)
    .option('--time-scale <x>', 'multiply quotas and divide latency by this', positive, 1)
    .option('--latency-ms <range>', 'injected latency per call, N or MIN-MAX ms', range, { min: 0, max: 0 })
    .option('--seed <n>', 'seed for all randomness', integer, 1)
    .parse()
    .opts<MainOptions>();

  const sim = await CognitoSimulator.start({
    port: options.port, timeScale: options.timeScale, latencyMs: options.latencyMs, seed: options.seed,
  });
  const poolIds = options.region.flatMap((region) => Array.from({ length: options.pools }, () => sim.seedPool({
    region, users: options.users, devicesPerUser: options.devicesPerUser, maxAgeDays: options.maxAgeDays,
  })));
  console.log(`endpoint ${sim.endpoint}`);
  for (const id of poolIds) console.log(`pool ${id} users ${options.users} devices ${sim.allDevices(id).length}`);

  const stop = () => {
    const { calls, throttled, errors } = sim.stats.totals;
    console.error(`stopping: ${calls} calls, ${throttled} throttled, ${errors} errors`);
    void sim.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(2);
});
