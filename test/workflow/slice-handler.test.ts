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

  describe('quota domains: plan, domain slices and merge', () => {
    const OWN = '111111111111';
    const OTHER = '210987654321';
    const ROLE = `arn:aws:iam::${OTHER}:role/DeviceSweepAccess`;
    const otherPool = `arn:aws:cognito-idp:us-east-1:${OTHER}:userpool/us-east-1_Other1`;

    function domainHandler(roles?: string) {
      // The plan asks each pool's estimated users, another account's with its role: the simulator's STS (which has no role: no estimate).
      process.env.AWS_ENDPOINT_URL_STS = sim.endpoint;
      process.env.ALLOWED_ACCOUNT_ROLE_ARNS = roles;
      if (roles === undefined) delete process.env.ALLOWED_ACCOUNT_ROLE_ARNS;
      return handlerFor(`${poolId}, us-east-1_Other1`);
    }
    afterEach(() => {
      delete process.env.ALLOWED_ACCOUNT_ROLE_ARNS;
      delete process.env.AWS_ENDPOINT_URL_STS;
    });

    // The pool is seeded in beforeAll: read it when a test runs.
    let config: any;
    beforeEach(() => {
      config = {
        userPoolIds: [poolId, otherPool],
        selection: { kind: 'all' },
        dryRun: true,
        maxForgets: 10,
        accountRoles: [{ accountId: OTHER, roleArn: ROLE }],
      };
    });

    test('plans one item per domain, sorted, each with its pools, role and share; emits no metric', async () => {
      let plan: any;
      const emf = await emfDuring(async () => {
        plan = await domainHandler(ROLE)({ action: 'plan', config, run: { executionName: 'nightly' } }, lambdaContext(70_000));
      });
      expect(plan.domains.map((d: any) => d.domain)).toEqual([
        { key: '/eu-west-1', region: 'eu-west-1' },
        { key: `${OTHER}/us-east-1`, accountId: OTHER, region: 'us-east-1' },
      ]);
      expect(plan.domains[1].config).toMatchObject({ userPoolIds: [otherPool], accountRoles: config.accountRoles });
      expect(plan.domains[0].config.accountRoles).toBeUndefined();
      expect(plan.domains[0].config.maxForgets + plan.domains[1].config.maxForgets).toBe(10);
      expect(emf).toHaveLength(0);
    });

    test('refuses a role outside ALLOWED_ACCOUNT_ROLE_ARNS (unset: none), naming it', async () => {
      await expect(domainHandler()({ action: 'plan', config }, lambdaContext(70_000)))
        .rejects.toMatchObject({ name: 'SliceInputError', message: expect.stringContaining(`${ROLE}, which this workflow may not assume`) });
      await expect(domainHandler('arn:aws:iam::210987654321:role/Other')({ action: 'plan', config }, lambdaContext(70_000)))
        .rejects.toMatchObject({ name: 'SliceInputError', message: expect.stringContaining('allowed: \'arn:aws:iam::210987654321:role/Other\'') });
    });

    test('refuses a pool ARN of another account than the function\'s without a role', async () => {
      const foreign = sim.poolArn(poolId); // the simulator's account, not the function's (111111111111)
      const event = { action: 'plan', config: { ...config, userPoolIds: [foreign], accountRoles: undefined } };
      await expect(domainHandler(ROLE)(event, lambdaContext(70_000)))
        .rejects.toMatchObject({ name: 'SliceInputError', message: expect.stringContaining('and no role is given for that account') });
      expect(foreign).not.toContain(OWN);
    });

    test('a domain\'s slice emits its counts but not the run\'s, and returns its progress with `stopped` when stopped', async () => {
      const handler = domainHandler(ROLE);
      const domain = { key: '/eu-west-1', region: 'eu-west-1' };
      let output: any;
      const emf = await emfDuring(async () => {
        const event = { config: { ...config, userPoolIds: [poolId], accountRoles: undefined, maxForgets: 5 }, domain };
        output = await handler(event, lambdaContext(70_000));
      });
      expect(output).toMatchObject({ done: true, slices: 1 });
      expect(emf[0]).toMatchObject({ UsersScanned: 12 });
      expect(emf[0].RunsCompleted).toBeUndefined();
      expect(emf[0].RunsFailed).toBeUndefined();

      sim.setAccess({ deny: ['ListUsers'] });
      try {
        let answer: any;
        const stopped = await emfDuring(async () => {
          const event = { config: { ...config, userPoolIds: [poolId], accountRoles: undefined }, domain };
          answer = await handler(event, lambdaContext(70_000));
        });
        // Returned, not thrown: the loop's DomainStopped hands this progress to the merge as the domain's partial.
        expect(answer.stopped).toEqual({ error: 'SweepSystemicError', cause: expect.stringContaining('cognito-idp:ListUsers') });
        expect(answer).toMatchObject({ done: false, slices: 1 });
        expect(stopped[0].Errors).toBeGreaterThan(0);
        expect(stopped[0].RunsFailed).toBeUndefined();
      } finally {
        sim.setAccess({});
      }
    });

    test('the merge returns the run\'s output and emits the run\'s metrics once', async () => {
      const report = {
        userPoolId: poolId,
        usersScanned: 12,
        devicesScanned: 3,
        devicesStale: 1,
        devicesForgotten: 1,
        devicesAlreadyGone: 0,
        devicesUndated: 0,
        errors: 0,
        usersSkippedByIndex: 0,
      };
      const progress = { done: true, capped: false, totals: [report], slices: 2, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:10:00.000Z' };
      const cause = JSON.stringify({ errorType: 'SweepSystemicError', errorMessage: 'cannot assume role', trace: [] });
      let output: any;
      const emf = await emfDuring(async () => {
        output = await domainHandler(ROLE)({
          action: 'merge',
          config,
          results: [
            { domain: { key: '/eu-west-1', region: 'eu-west-1' }, progress },
            { domain: { key: `${OTHER}/us-east-1`, accountId: OTHER, region: 'us-east-1' }, failed: { error: 'SweepSystemicError', cause } },
          ],
          toleratedDomainFailures: 0,
        }, lambdaContext(70_000));
      });
      expect(output).toMatchObject({
        done: true, totals: [report], slices: 2, runFailed: true, failure: `1 of 2 quota domains failed: ${OTHER}/us-east-1: cannot assume role`,
      });
      expect(emf).toHaveLength(1);
      expect(emf[0]).toMatchObject({ RunsCompleted: 1, RunsFailed: 1, RunsCapped: 0, DomainsFailed: 1, RunDurationSeconds: 600 });
    });
  });

  test('does not start without its allow-list', () => {
    expect(() => loadHandler({ ALLOWED_USER_POOL_IDS: undefined, SWEEP_NAME: SWEEP_NAME }))
      .toThrow(/Environment variable ALLOWED_USER_POOL_IDS is not set/);
  });
});
