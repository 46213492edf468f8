/**
 * A run that cannot succeed says so in one error line on stderr and exits 1: denied actions (after
 * a handful of denied calls per pool), refused or missing credentials, a pool that does not exist,
 * an endpoint out of reach. The report says the run stopped, and shows no table for a run that never started.
 */
import { readFileSync, writeFileSync } from 'fs';
import { createServer } from 'net';
import { deviceCensus, problemLines, runCliCaptured, TIME_SCALE, useCliWorkspace } from './cli-harness';
import { Operation, useSimulator } from '../sim';

const DAY_MS = 86_400_000;
const workspace = useCliWorkspace('cli-stops-');
const sim = useSimulator({ timeScale: TIME_SCALE, latencyMs: { min: 5, max: 20 }, seed: 5 });
beforeEach(() => {
  sim.setAccess({});
  sim.resetStats();
});

/** Users whose devices are all a hundred days old: each one is forgotten unless the run stops. */
function seed(users = 100): string {
  return sim.seedPool({ region: 'eu-west-1', users, devicesPerUser: 2, maxAgeDays: 5, now: new Date(Date.now() - 100 * DAY_MS) });
}

function args(...poolIds: string[]): string[] {
  return ['--endpoint-url', sim.endpoint, ...poolIds.flatMap((id) => ['--user-pool-id', id]), '--stale-after', '90d'];
}

describe.each<[Operation, string]>([
  ['ListUsers', 'scanDevices(role)'],
  ['AdminListDevices', 'scanDevices(role)'],
  ['AdminForgetDevice', 'sweepDevices(role)'],
])('a role denied %s', (operation, grant) => {
  test('exits 1 after at most 5 denied calls per pool, with one error line per pool naming the action and the grant', async () => {
    const a = seed();
    const b = seed();
    const devicesBefore = sim.allDevices(a).length + sim.allDevices(b).length;
    sim.setAccess({ deny: [operation] });

    const run = await runCliCaptured([...args(a, b), '--json']);

    expect(run.status).toBe(1);
    // At most 5 denied calls per pool, counted on the simulator.
    expect(sim.stats.operations[operation].refused).toBeGreaterThanOrEqual(2);
    expect(sim.stats.operations[operation].refused).toBeLessThanOrEqual(2 * 5);
    expect(sim.allDevices(a).length + sim.allDevices(b).length).toBe(devicesBefore);
    const lines = problemLines(run);
    for (const pool of [a, b]) {
      const line = lines.find((l) => l.includes(`denied on user pool ${pool}`));
      expect(line).toMatch(new RegExp(`^cognito-device-sweep: error: cognito-idp:${operation} denied on user pool ${pool} \\(AccessDeniedException\\); ` +
        `allow it with UserPoolDeviceGrants\\.fromUserPool\\(pool\\)\\.${grant.replace(/[()]/g, '\\$&')}`));
    }
    // Error lines, never warnings about each denied call.
    expect(lines.filter((l) => l.startsWith('warning:'))).toEqual([]);
    const report = JSON.parse(run.stdout);
    expect(report.pools.map((p: any) => p.stopped?.reason)).toEqual(['access-denied', 'access-denied']);
    expect(report.stopped.reason).toBe('access-denied');
    expect(report.pools.map((p: any) => p.devicesForgotten)).toEqual([0, 0]);
  });
});

test('the report of a stopped run says it stopped and why, never that devices "were forgotten", and has no table of zeros', async () => {
  const poolId = seed();
  sim.setAccess({ deny: ['AdminForgetDevice'] });
  const run = await runCliCaptured(args(poolId));
  expect(run.status).toBe(1);
  expect(run.stdout).not.toContain('were forgotten');
  const lines = run.stdout.split('\n');
  expect(lines[0]).toBe('The sweep stopped: an error no retry can fix (below); nothing was forgotten.');
  expect(run.stdout).not.toContain('User pool');
  expect(run.stdout).toContain(`${poolId} stopped: cognito-idp:AdminForgetDevice denied on user pool ${poolId}`);
});

test('a pool stopped part-way: the table shows what was forgotten before the stop, and the stop under it', async () => {
  const denied = seed();
  const allowed = seed(20);
  const stale = deviceCensus(sim, allowed, 90 * 86_400).stale;
  sim.setAccess({ deny: ['ListUsers'], denyPools: [denied] });
  const run = await runCliCaptured(args(allowed, denied));
  expect(run.status).toBe(1);
  expect(run.stdout.split('\n')[0]).toBe(`The sweep stopped: an error no retry can fix (below); ${stale} device(s) forgotten before it stopped (devices unused for 90d).`);
  expect(run.stdout).toContain('User pool');
  expect(run.stdout).toContain(`${denied} stopped: cognito-idp:ListUsers denied on user pool ${denied}`);
});

test('a pool that does not exist: one line naming the pool and the Region, and no table of zeros', async () => {
  const missing = 'eu-west-1_NoSuchPool';
  const run = await runCliCaptured(args(missing));
  expect(run.status).toBe(1);
  expect(problemLines(run)).toEqual([
    'cognito-device-sweep: error: user pool eu-west-1_NoSuchPool does not exist in Region eu-west-1 (ListUsers: ResourceNotFoundException); check the pool id and the Region',
  ]);
  expect(run.stdout).not.toContain('User pool');
  expect(run.stdout.split('\n')[0]).toBe('The sweep stopped: an error no retry can fix (below); nothing was forgotten.');
});

test('--region names the Region the calls went to', async () => {
  const poolId = sim.seedPool({ region: 'us-east-1', users: 3 });
  const run = await runCliCaptured([...args(poolId), '--region', 'eu-west-2']);
  expect(problemLines(run)).toEqual([
    `cognito-device-sweep: error: user pool ${poolId} does not exist in Region eu-west-2 (ListUsers: ResourceNotFoundException); check the pool id and the Region`,
  ]);
});

test('expired credentials: one line for the whole run, whatever the number of pools', async () => {
  const a = seed(10);
  const b = seed(10);
  sim.setAccess({ credentials: 'expired' });
  const run = await runCliCaptured([...args(a, b), '--json']);
  expect(run.status).toBe(1);
  expect(problemLines(run)).toEqual([
    'cognito-device-sweep: error: the AWS credentials were refused (ExpiredTokenException: The security token included in the request is expired); ' +
      'renew them (aws sso login, a new session token) or use others, then run again',
  ]);
  expect(sim.stats.totals.calls).toBe(1);
  expect(JSON.parse(run.stdout).pools.map((p: any) => p.stopped?.reason)).toEqual(['credentials-rejected', 'credentials-rejected']);
});

test('an endpoint that cannot be reached: one line', async () => {
  const port = await closedPort();
  const run = await runCliCaptured(['--endpoint-url', `http://127.0.0.1:${port}`, '--user-pool-id', 'eu-west-1_AbC123', '--stale-after', '90d']);
  expect(run.status).toBe(1);
  const lines = problemLines(run);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^cognito-device-sweep: error: the Cognito endpoint for Region eu-west-1 cannot be reached \(ECONNREFUSED: .*\); check the network, the Region and --endpoint-url$/);
  expect(run.stdout).not.toContain('User pool');
});

describe('no credentials', () => {
  const credentialEnv = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_CONFIG_FILE',
    'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    'AWS_WEB_IDENTITY_TOKEN_FILE'];
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const name of credentialEnv) saved[name] = process.env[name];
    for (const name of credentialEnv) delete process.env[name];
    // An empty config, and no instance metadata: nothing in the chain has credentials.
    const empty = workspace.file('empty-config');
    writeFileSync(empty, '');
    process.env.AWS_CONFIG_FILE = empty;
    process.env.AWS_SHARED_CREDENTIALS_FILE = empty;
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
  });
  afterEach(() => {
    for (const name of credentialEnv) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  test('none anywhere in the chain: one line saying where credentials come from, no call made', async () => {
    const poolId = seed(5);
    const run = await runCliCaptured(args(poolId));
    expect(run.status).toBe(1);
    const lines = problemLines(run);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^cognito-device-sweep: error: no AWS credentials found \(AWS_PROFILE or --profile, AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY, SSO, a container or instance role\): /);
    expect(sim.stats.totals.calls).toBe(0);
  });

  test('--profile takes credentials from that profile, as AWS_PROFILE would', async () => {
    const poolId = seed(5);
    // A file of its own: the SDK caches the shared files it has read.
    const credentials = workspace.file('credentials');
    writeFileSync(credentials, '[sweeper]\naws_access_key_id = AKIDSWEEPER\naws_secret_access_key = secret\n');
    process.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
    const run = await runCliCaptured([...args(poolId), '--profile', 'sweeper']);
    expect(run.status).toBe(0);
    expect(sim.stats.operations.ListUsers.succeeded).toBe(1);

    const missing = await runCliCaptured([...args(poolId), '--profile', 'nobody']);
    expect(missing.status).toBe(1);
    expect(problemLines(missing)).toEqual([
      expect.stringMatching(/^cognito-device-sweep: error: no AWS credentials found .*; is there a profile 'nobody' in the shared AWS config or credentials file\?$/),
    ]);
  });
});

test('--state is saved during the run, not only at its end', async () => {
  const poolId = seed(300);
  const state = workspace.file('periodic.json');
  let finished = false;
  const running = runCliCaptured([...args(poolId), '--state', state], { COGNITO_SWEEP_QUOTA_SCALE: '20' }, { stateSaveIntervalMs: 20 })
    .finally(() => (finished = true));
  // The file appears while the sweep is still going.
  while (!finished) {
    let saved: any;
    try {
      saved = JSON.parse(readFileSync(state, 'utf8'));
    } catch {
      saved = undefined;
    }
    if (saved && Object.keys(saved.pools[poolId] ?? {}).length > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(finished).toBe(false);
  const midRun = Object.keys(JSON.parse(readFileSync(state, 'utf8')).pools[poolId]).length;
  expect(midRun).toBeLessThan(300);
  expect((await running).status).toBe(0);
  expect(Object.keys(JSON.parse(readFileSync(state, 'utf8')).pools[poolId])).toHaveLength(300);
});

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
