/**
 * The slice Lambda handler as Lambda runs it: environment variables, a Lambda context, the real engine
 * (pointed at the simulator through the SDK's standard endpoint variable) and Powertools' EMF output.
 */
import type { Context } from 'aws-lambda';
import type * as SliceLambda from '../../src/workflow/runtime/slice.lambda';
import { CognitoSimulator } from '../sim';

const SWEEP_NAME = 'TestStackCleanup1234ABCD';

function lambdaContext(remainingTimeMs: number): Context {
  return {
    functionName: 'slice',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:slice',
    memoryLimitInMB: '512',
    awsRequestId: 'request-1',
    logGroupName: '/aws/lambda/slice',
    logStreamName: 'stream',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => remainingTimeMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Loads a fresh copy of the handler module under `env` (it reads its environment when loaded). */
function loadHandler(env: Record<string, string | undefined>): typeof SliceLambda {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  let module: typeof SliceLambda | undefined;
  jest.isolateModules(() => {
    // A synchronous require is the only way to load a module afresh inside isolateModules.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    module = require('../../src/workflow/runtime/slice.lambda');
  });
  return module!;
}

/** The EMF documents written to stdout while `action` runs. */
async function emfDuring(action: () => Promise<unknown>): Promise<any[]> {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => {
    lines.push(...String(chunk).split('\n'));
    return true;
  });
  try {
    await action().catch(() => undefined);
  } finally {
    spy.mockRestore();
  }
  return lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line));
}

describe('slice handler', () => {
  let sim: CognitoSimulator;
  let poolId: string;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    sim = await CognitoSimulator.start({ latencyMs: 1, seed: 3 });
    poolId = sim.seedPool({ region: 'eu-west-1', users: 12, devicesPerUser: 2, maxAgeDays: 365 });
  });
  afterAll(async () => {
    process.env = savedEnv;
    await sim.stop();
  });

  function handlerFor(allowed: string) {
    return loadHandler({
      ALLOWED_USER_POOL_IDS: allowed,
      SWEEP_NAME: SWEEP_NAME,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: sim.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      POWERTOOLS_DEV: undefined,
    }).handler;
  }

  test('sweeps a pool in one slice, returns the finished progress and emits the metrics', async () => {
    const handler = handlerFor(`${poolId}, us-east-1_Other`);
    const devicesBefore = sim.allDevices(poolId).length;
    let output: any;
    const emf = await emfDuring(async () => {
      output = await handler({
        config: { userPoolIds: [poolId], selection: { kind: 'stale', staleAfterSeconds: 90 * 86_400 }, dryRun: false },
        progress: null,
      }, lambdaContext(70_000));
    });

    expect(output).toMatchObject({ done: true, capped: false, slices: 1 });
    const forgotten = output.totals[0].devicesForgotten;
    expect(forgotten).toBeGreaterThan(0);
    expect(output.totals[0]).toMatchObject({ userPoolId: poolId, usersScanned: 12, devicesScanned: devicesBefore, errors: 0 });
    expect(sim.allDevices(poolId).length).toBe(devicesBefore - forgotten);

    expect(emf).toHaveLength(1);
    const document = emf[0];
    expect(document._aws.CloudWatchMetrics).toEqual([expect.objectContaining({
      Namespace: 'CognitoDeviceSweep',
      Dimensions: [['SweepName']],
    })]);
    expect(document.SweepName).toBe(SWEEP_NAME);
    expect(document.service).toBeUndefined();
    expect(document).toMatchObject({
      DevicesForgotten: forgotten,
      DevicesScanned: devicesBefore,
      UsersScanned: 12,
      Errors: 0,
      RunsCompleted: 1,
      RunsCapped: 0,
      RunsFailed: 0,
    });
  });

  test('refuses a pool outside its allow-list with SliceInputError, touching nothing, and counts a failed run', async () => {
    const handler = handlerFor('eu-west-1_Allowed');
    const devicesBefore = sim.allDevices(poolId).length;
    let error: any;
    const emf = await emfDuring(async () => {
      error = await handler({
        config: { userPoolIds: [poolId], selection: { kind: 'all' }, dryRun: false },
      }, lambdaContext(70_000)).catch((e: unknown) => e);
    });
    expect(error.name).toBe('SliceInputError');
    expect(error.message).toContain(`'${poolId}', which this workflow may not touch`);
    expect(sim.allDevices(poolId).length).toBe(devicesBefore);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ RunsFailed: 1, SweepName: SWEEP_NAME });
  });

  test('refuses a malformed event with a message that names the field', async () => {
    const handler = handlerFor(poolId);
    await expect(handler({ config: { userPoolIds: [poolId], selection: { kind: 'stale' }, dryRun: false } }, lambdaContext(70_000)))
      .rejects.toMatchObject({ name: 'SliceInputError', message: expect.stringContaining('give config.selection.staleAfterSeconds, config.selection.maxDeviceAgeSeconds or both') });
    await expect(handler({ userPoolIds: [poolId] }, lambdaContext(70_000)))
      .rejects.toMatchObject({ name: 'SliceInputError', message: expect.stringContaining('the execution input must be {"config": {...}}') });
  });

  describe.each([
    ['ListUsers', 'scanDevices(role)'],
    ['AdminListDevices', 'scanDevices(role)'],
    ['AdminForgetDevice', 'sweepDevices(role)'],
  ] as const)('with %s denied', (operation, grant) => {
    afterEach(() => sim.setAccess({}));

    test('fails with SweepSystemicError naming the action and the grant after at most 5 denied calls, and counts a failed run', async () => {
      const denied = sim.seedPool({ region: 'eu-west-1', users: 30, devicesPerUser: 2, maxAgeDays: 1, now: new Date(Date.now() - 100 * 86_400_000) });
      const handler = handlerFor(denied);
      sim.resetStats();
      sim.setAccess({ deny: [operation] });
      let error: any;
      const emf = await emfDuring(async () => {
        error = await handler({
          config: { userPoolIds: [denied], selection: { kind: 'stale', staleAfterSeconds: 30 * 86_400 }, dryRun: false },
        }, lambdaContext(70_000)).catch((e: unknown) => e);
      });

      expect(error.name).toBe('SweepSystemicError');
      expect(error.message).toMatch(new RegExp(`^cognito-idp:${operation} denied on user pool ${denied} \\(AccessDeniedException\\); ` +
        `allow it with UserPoolDeviceGrants\\.fromUserPool\\(pool\\)\\.${grant.replace(/[()]/g, '\\$&')}`));
      const refused = sim.stats.operations[operation].refused;
      expect(refused).toBeGreaterThan(0);
      expect(refused).toBeLessThanOrEqual(5);
      expect(sim.stats.operations.AdminForgetDevice.succeeded).toBe(0);
      expect(emf).toHaveLength(1);
      expect(emf[0]).toMatchObject({ RunsFailed: 1, Errors: refused, DevicesForgotten: 0 });
      expect(emf[0].RunsCompleted).toBeUndefined();
    });
  });

  test('does not start without its allow-list', () => {
    expect(() => loadHandler({ ALLOWED_USER_POOL_IDS: undefined, SWEEP_NAME: SWEEP_NAME }))
      .toThrow(/Environment variable ALLOWED_USER_POOL_IDS is not set/);
  });
});
