/**
 * The revocation Lambda, end to end: each trigger's fixture (test/revocation/fixtures) and direct
 * messages delivered as an SQS batch to the real handler (the esbuild bundle when built, else the
 * handler module), against the simulator through the real AWS SDK client.
 *
 * Fixture sources, one per event: the EventBridge envelope of "AWS API Call via CloudTrail" events
 * (EventBridge user guide, "Events from AWS services": detail-type, source aws.cognito-idp, the
 * CloudTrail record as `detail`); the record's fields (CloudTrail user guide, "CloudTrail record
 * contents": eventName, awsRegion, requestParameters, additionalEventData, errorCode); and what
 * Cognito puts there (Cognito developer guide, "Amazon Cognito information in CloudTrail": it
 * records the user's sub, not the username, for user-specific requests; "Example Amazon Cognito
 * events": hidden values read HIDDEN_DUE_TO_SECURITY_REASONS). The administrator calls' request
 * parameters are their API inputs (UserPoolId, Username; the password of AdminSetUserPassword
 * hidden); GlobalSignOut carries only its (hidden) access token and ConfirmForgotPassword its app
 * client id, so neither names a pool. `${USER_POOL_ID}`, `${SUB}` and `${EVENT_TIME}` are filled
 * in per test.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { CognitoSimulator, SimDevice } from '../sim';
import { sorted } from '../sweep/fixture';
import { builtOr } from '../util/built-artifact';

const FIXTURES = join(__dirname, 'fixtures');
const BUNDLE = join(__dirname, '..', '..', 'assets', 'revocation', 'runtime', 'revoke.lambda', 'index.js');
const MODULE = join(__dirname, '..', '..', 'src', 'revocation', 'runtime', 'revoke.lambda');
// Allowed, but Cognito does not know it (deleted): every revocation there fails. Another Region than the
// fixtures', so it is no candidate for the events that name no pool.
const GONE_POOL = 'us-east-1_Gone00001';

const TRIGGERS: Array<[string, string]> = [
  ['AdminUserGlobalSignOut', 'admin-user-global-sign-out.json'],
  ['AdminDisableUser', 'admin-disable-user.json'],
  ['AdminResetUserPassword', 'admin-reset-user-password.json'],
  ['AdminSetUserPassword', 'admin-set-user-password.json'],
  ['GlobalSignOut', 'global-sign-out.json'],
  ['ConfirmForgotPassword', 'confirm-forgot-password.json'],
];

let sim: CognitoSimulator;
let pool: string;
let otherPool: string;
let handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
let output = '';
const savedEnv = { ...process.env };
let writeSpy: jest.SpyInstance;
let errorSpy: jest.SpyInstance;

beforeAll(async () => {
  sim = await CognitoSimulator.start({ timeScale: 50, seed: 17 });
  pool = sim.seedPool({ region: 'eu-west-1', users: 40, devicesPerUser: { min: 1, max: 4 }, statusMix: { CONFIRMED: 1 }, name: 'revocation' });
  otherPool = sim.seedPool({ region: 'eu-west-1', users: 10, devicesPerUser: { min: 1, max: 2 }, statusMix: { CONFIRMED: 1 }, name: 'not-ours' });
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'eu-west-1',
    ALLOWED_USER_POOL_IDS: `${pool},${GONE_POOL}`,
    SWEEP_NAME: 'RevocationTest',
    RATE_BUDGET: '1',
    // The SDK's own endpoint override (AWS_ENDPOINT_URL): the handler has no test hook of its own.
    AWS_ENDPOINT_URL: sim.endpoint,
    POWERTOOLS_DEV: 'false',
  });
  delete process.env.AWS_PROFILE;
  // Powertools writes info and metrics to stdout, warnings and errors to stderr.
  const capture = (chunk: string | Uint8Array): boolean => {
    output += String(chunk);
    return true;
  };
  writeSpy = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  errorSpy = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  handler = require(builtOr(BUNDLE, MODULE)).handler;
});

afterAll(async () => {
  writeSpy.mockRestore();
  errorSpy.mockRestore();
  process.env = savedEnv;
  await sim.stop();
});

beforeEach(() => {
  output = '';
  sim.resetStats();
});

let serial = 0;
function record(body: unknown, sentAt = Date.now()): SQSRecord {
  const id = `msg-${serial++}`;
  return {
    messageId: id,
    receiptHandle: `handle-${id}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(sentAt), SenderId: 'AIDAEXAMPLE', ApproximateFirstReceiveTimestamp: String(sentAt) },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:revocations',
    awsRegion: 'eu-west-1',
  };
}

function fixture(file: string, values: { USER_POOL_ID?: string; SUB: string; EVENT_TIME?: string }): unknown {
  const text = readFileSync(join(FIXTURES, file), 'utf8')
    .split('${USER_POOL_ID}').join(values.USER_POOL_ID ?? pool)
    .split('${SUB}').join(values.SUB)
    .split('${EVENT_TIME}').join(values.EVENT_TIME ?? new Date().toISOString());
  return JSON.parse(text);
}

function allKeys(poolId: string): string[] {
  return sorted(sim.allDevices(poolId).map((d) => d.device.DeviceKey));
}

function keysOf(poolId: string, username: string): string[] {
  return sorted(sim.devicesOf(poolId, username).map((d) => d.DeviceKey));
}

/** The EMF metric documents the handler printed: name -> values. */
function metrics(): Record<string, number[]> {
  const found: Record<string, number[]> = {};
  for (const line of output.split('\n')) {
    if (!line.includes('"_aws"')) continue;
    const doc = JSON.parse(line);
    for (const { Name } of doc._aws.CloudWatchMetrics[0].Metrics) {
      const value = doc[Name];
      (found[Name] ??= []).push(...(Array.isArray(value) ? value : [value]));
    }
  }
  return found;
}

let userIndex = 0;
/** A user of the pool with devices, not used by another test. */
function nextUser(): { username: string; sub: string } {
  const user = sim.usersOf(pool)[userIndex++];
  expect(user.deviceCount).toBeGreaterThan(0);
  return user;
}

describe.each(TRIGGERS)('%s', (trigger, file) => {
  test(`its fixture (${file}) forgets exactly that user's devices`, async () => {
    const user = nextUser();
    const others = allKeys(pool).filter((k) => !keysOf(pool, user.username).includes(k));
    const otherPoolBefore = allKeys(otherPool);
    const count = keysOf(pool, user.username).length;

    const response = await handler({ Records: [record(fixture(file, { SUB: user.sub }))] });

    expect(response).toEqual({ batchItemFailures: [] });
    expect(keysOf(pool, user.username)).toEqual([]);
    expect(allKeys(pool)).toEqual(others);
    expect(allKeys(otherPool)).toEqual(otherPoolBefore);
    expect(metrics()).toMatchObject({ UsersRevoked: [1], DevicesRevoked: [count], RevocationLatency: [expect.any(Number)] });
    // Structured logs without usernames or subs.
    expect(output).toContain(`"trigger":"${trigger}"`);
    expect(output).not.toContain(user.username);
    expect(output).not.toContain(user.sub);
  });
});

test('a direct message by username, and one by sub, each forget that user\'s devices', async () => {
  const a = nextUser();
  const b = nextUser();
  const rest = allKeys(pool).filter((k) => !keysOf(pool, a.username).includes(k) && !keysOf(pool, b.username).includes(k));

  const response = await handler({ Records: [record({ userPoolId: pool, username: a.username }), record({ userPoolId: pool, sub: b.sub })] });

  expect(response.batchItemFailures).toEqual([]);
  expect(allKeys(pool)).toEqual(rest);
  expect(metrics().UsersRevoked).toEqual([1, 1]);
});

test('an event of another pool, a malformed message and an unknown user change nothing, are reported and not retried', async () => {
  const before = { ours: allKeys(pool), theirs: allKeys(otherPool) };
  const stranger = sim.usersOf(otherPool)[0];

  const response = await handler({
    Records: [
      record(fixture('admin-disable-user.json', { USER_POOL_ID: otherPool, SUB: stranger.sub })),
      record('{"detail-type": "AWS API Call via CloudTrail", "source": "aws.cognito-idp", "detail": "not an object"}'),
      record('not json at all'),
      record({ userPoolId: pool }),
      record({ userPoolId: pool, username: 'nobody-here' }),
      record(fixture('global-sign-out.json', { SUB: '00000000-0000-4000-8000-00000000beef' })),
    ],
  });

  expect(response.batchItemFailures).toEqual([]);
  expect({ ours: allKeys(pool), theirs: allKeys(otherPool) }).toEqual(before);
  expect(sim.stats.operation('AdminForgetDevice').calls).toBe(0);
  expect(metrics().MessagesIgnored).toEqual([1, 1, 1, 1, 1, 1]);
  for (const reason of ['otherPool', 'malformed', 'unknownUser']) expect(output).toContain(`"reason":"${reason}"`);
  expect(output).not.toContain('nobody-here');
});

test('the event of a call Cognito refused (errorCode) changes nothing', async () => {
  const user = nextUser();
  const event = fixture('confirm-forgot-password.json', { SUB: user.sub }) as { detail: Record<string, unknown> };
  event.detail.errorCode = 'CodeMismatchException';
  const before = keysOf(pool, user.username);

  const response = await handler({ Records: [record(event)] });

  expect(response.batchItemFailures).toEqual([]);
  expect(keysOf(pool, user.username)).toEqual(before);
  expect(output).toContain('"reason":"failedCall"');
});

test('a poison message (its revocation fails) is reported as a batch item failure; the others of the batch succeed', async () => {
  const user = nextUser();
  const poison = record({ userPoolId: GONE_POOL, username: 'alice' });

  const response = await handler({ Records: [poison, record({ userPoolId: pool, username: user.username })] });

  expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poison.messageId }] });
  expect(keysOf(pool, user.username)).toEqual([]);
  expect(metrics().RevocationsFailed).toEqual([1]);
});

test('the latency metric runs from the event time to the last device forgotten', async () => {
  const user = nextUser();
  const eventTime = new Date(Date.now() - 60_000).toISOString();

  await handler({ Records: [record(fixture('admin-user-global-sign-out.json', { SUB: user.sub, EVENT_TIME: eventTime }))] });

  // At least the minute the event waited; not a wall-clock bound on the handler itself.
  expect(metrics().RevocationLatency[0]).toBeGreaterThanOrEqual(60_000);
});

test('devices a user remembers with another user\'s sub in the batch: two users at once, each fully revoked', async () => {
  const a = nextUser();
  const b = nextUser();
  sim.addDevice(pool, a.username, extraDevice(1));
  const response = await handler({
    Records: [record(fixture('admin-disable-user.json', { SUB: a.sub })), record(fixture('global-sign-out.json', { SUB: b.sub }))],
  });
  expect(response.batchItemFailures).toEqual([]);
  expect(keysOf(pool, a.username)).toEqual([]);
  expect(keysOf(pool, b.username)).toEqual([]);
});

function extraDevice(n: number): SimDevice {
  return { DeviceKey: `eu-west-1_00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, DeviceAttributes: [], DeviceCreateDate: new Date() };
}
