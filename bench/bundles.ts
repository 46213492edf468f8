/**
 * Each shipped bundle's size and the time to load it in a fresh Node process (median of a few): the
 * Lambda bundles as Lambda starts them (the template's NODE_OPTIONS=--enable-source-maps, so the source
 * map is read too, on Node 24 when .ci/node-runtimes has it), the CLI until `--help` has printed.
 * `BENCH_ONLY=bundles npm run bench` runs it alone.
 */
import { execFileSync } from 'child_process';
import { existsSync, statSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..');
const RUNS = Number(process.env.BENCH_BUNDLE_RUNS ?? 5);
const NODE24 = join(ROOT, '.ci', 'node-runtimes', 'node_modules', 'node24', 'bin', 'node');

const LAMBDAS: Record<string, string> = {
  slice: 'assets/workflow/runtime/slice.lambda/index.js',
  purgeOnEvent: 'assets/purge/runtime/on-event.lambda/index.js',
  purgeIsComplete: 'assets/purge/runtime/is-complete.lambda/index.js',
};
const CLI = 'assets/cli/main/cognito-device-sweep.js';

export interface BundleFacts {
  readonly bytes: number;
  readonly sourceMapBytes?: number;
  readonly loadMs: number;
}

export interface BundleBench {
  readonly bundleNode: string;
  readonly bundles: Record<string, BundleFacts>;
}

/** Loads `file` (`require`, or runs it as the CLI) in a fresh process RUNS times; the median time in ms. */
function medianLoadMs(node: string, file: string, cli: boolean): number {
  const script = cli ?
    `const t = process.hrtime.bigint(); process.on('exit', () => process.stdout.write('\\nLOAD ' + Number(process.hrtime.bigint() - t) / 1e6 + '\\n'));
     process.argv = [process.argv[0], ${JSON.stringify(file)}, '--help']; require(${JSON.stringify(file)});` :
    `const t = process.hrtime.bigint(); require(${JSON.stringify(file)}); process.stdout.write('\\nLOAD ' + Number(process.hrtime.bigint() - t) / 1e6 + '\\n');`;
  const env = {
    PATH: process.env.PATH ?? '',
    // What the slice reads when loaded; the template sets it.
    ALLOWED_USER_POOL_IDS: 'eu-west-1_Bench1',
    SWEEP_NAME: 'Bench',
    AWS_REGION: 'eu-west-1',
    ...(cli ? {} : { NODE_OPTIONS: '--enable-source-maps' }),
  };
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(node, ['-e', script], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    times.push(Number(/LOAD ([\d.]+)/.exec(out)![1]));
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)] * 10) / 10;
}

export function bundleBench(print: (text: string) => void): BundleBench {
  const node = existsSync(NODE24) ? NODE24 : process.execPath;
  const bundleNode = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const bundles: Record<string, BundleFacts> = {};
  for (const [name, relative] of [...Object.entries(LAMBDAS), ['cli', CLI] as const]) {
    const file = join(ROOT, relative);
    if (!existsSync(file)) throw new Error(`${relative} is missing: run \`npx projen bundle\` first`);
    const map = `${file}.map`;
    bundles[name] = {
      bytes: statSync(file).size,
      ...(existsSync(map) ? { sourceMapBytes: statSync(map).size } : {}),
      loadMs: medianLoadMs(node, file, name === 'cli'),
    };
  }
  print(`\nBundles on Node ${bundleNode} (load: median of ${RUNS} fresh processes; Lambda bundles with --enable-source-maps):`);
  for (const [name, facts] of Object.entries(bundles)) {
    const map = facts.sourceMapBytes ? ` + ${(facts.sourceMapBytes / 1e6).toFixed(2)} MB map` : '';
    print(`  ${name.padEnd(16)} ${(facts.bytes / 1e6).toFixed(2)} MB${map}, loads in ${facts.loadMs} ms`);
  }
  return { bundleNode, bundles };
}
