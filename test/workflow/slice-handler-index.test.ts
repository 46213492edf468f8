/**
 * The slice Lambda handler with its next-check table (NEXT_CHECK_TABLE, as StaleDeviceCleanup sets
 * it) on dynalite: the first run lists every user and fills the table, the next one skips them and
 * says so in the UsersSkippedByIndex metric.
 */
import type { Context } from 'aws-lambda';
import type * as SliceLambda from '../../src/workflow/slice.lambda';
import { CognitoSimulator } from '../sim';
import { startDynalite, Dynalite } from '../sweep/index/dynalite';

function lambdaContext(): Context {
  return { awsRequestId: 'request-1', functionName: 'slice', getRemainingTimeInMillis: () => 70_000 } as unknown as Context;
}

function loadHandler(env: Record<string, string>): typeof SliceLambda {
  Object.assign(process.env, env);
  delete process.env.POWERTOOLS_DEV;
  let module: typeof SliceLambda | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    module = require('../../src/workflow/slice.lambda');
  });
  return module!;
}

async function emfDuring(action: () => Promise<unknown>): Promise<any[]> {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
    lines.push(...String(chunk).split('\n'));
    return true;
  });
  try {
    await action();
  } finally {
    spy.mockRestore();
  }
  return lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line));
}

const savedEnv = { ...process.env };
let sim: CognitoSimulator;
let db: Dynalite;

beforeAll(async () => {
  sim = await CognitoSimulator.start({ seed: 3 });
  db = await startDynalite();
  await db.createIndexTable('next-check');
});
afterAll(async () => {
  process.env = savedEnv;
  await sim.stop();
  await db.stop();
});

test('a second run skips the users the first one stored, and counts them in UsersSkippedByIndex', async () => {
  const poolId = sim.seedPool({ region: 'eu-west-1', users: 12, devicesPerUser: 2, maxAgeDays: 365 });
  const endpoint = await db.client.config.endpoint!();
  const { handler } = loadHandler({
    ALLOWED_USER_POOL_IDS: poolId,
    SWEEP_NAME: 'TestCleanup',
    NEXT_CHECK_TABLE: 'next-check',
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: sim.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  const event = { config: { userPoolIds: [poolId], selection: { kind: 'stale', staleAfterSeconds: 90 * 86_400 }, dryRun: false }, progress: null };

  let first: any;
  const firstEmf = await emfDuring(async () => {
    first = await handler(event, lambdaContext());
  });
  expect(first.totals[0]).toMatchObject({ usersScanned: 12, usersSkippedByIndex: 0, errors: 0 });
  expect(firstEmf[0]).toMatchObject({ UsersSkippedByIndex: 0, UsersScanned: 12 });
  expect(sim.stats.operations.AdminListDevices.calls).toBe(12);

  sim.resetStats();
  let second: any;
  const secondEmf = await emfDuring(async () => {
    second = await handler(event, lambdaContext());
  });
  expect(second.totals[0]).toMatchObject({ usersScanned: 12, usersSkippedByIndex: 12, devicesForgotten: 0, errors: 0 });
  expect(secondEmf[0]).toMatchObject({ UsersSkippedByIndex: 12, UsersScanned: 12 });
  expect(sim.stats.operations.AdminListDevices.calls).toBe(0);
});
