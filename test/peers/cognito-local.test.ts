/**
 * The engine and the CLI against cognito-local (npm, v5): a second Cognito server nobody here
 * wrote, spoken to through the real AWS SDK client.
 *
 * What cognito-local 5.x implements, read from node_modules/cognito-local/lib/targets, and how it
 * differs from AWS (each difference is asserted below, so an upgrade that closes a gap shows up):
 * - No device operations at all: ConfirmDevice, UpdateDeviceStatus, AdminListDevices and
 *   AdminForgetDevice answer HTTP 500 `CognitoLocal#Unsupported`. Signing in issues tokens but never
 *   NewDeviceMetadata, so no device can be remembered. What is left after a sweep is therefore
 *   checked through the users (ListUsers), and the engine is tested on what cognito-local does
 *   implement: listing users, user statuses, a missing pool's error shape.
 * - ListUsers ignores Limit and PaginationToken: every user comes back in one page without a token
 *   (AWS: at most 60 per page, then a PaginationToken).
 * - No quotas: nothing is ever throttled.
 * - The engine tests take seconds each (their timeouts are generous for a loaded machine): a 500 is a transient failure to the engine (as it is with
 *   AWS), so every refused device listing is retried (3 SDK attempts x 6 engine rounds) first.
 * - Dates are epoch seconds on the wire, as with AWS; a pool it creates gets the id `local_<id>`,
 *   which has no Region, so the pools here are files in its data directory named with AWS-shaped ids.
 */
import {
  AdminCreateUserCommand,
  AdminForgetDeviceCommand,
  AdminInitiateAuthCommand,
  AdminListDevicesCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  ConfirmDeviceCommand,
  CreateUserPoolClientCommand,
  ListUsersCommand,
  SignUpCommand,
  UpdateDeviceStatusCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoLocal, startCognitoLocal } from './cognito-local-server';
import { sweepDevices, SweepLogger } from '../../src/sweep';
import { runCliCaptured } from '../cli/cli-harness';
import { DAY_SECONDS } from '../sweep/fixture';

const POOL = 'eu-west-1_PeerPool1';
const BIG_POOL = 'eu-west-1_PeerPool2';
const MISSING_POOL = 'eu-west-1_NoSuchPool';
const PASSWORD = 'Peer-Passw0rd!';
const CONFIRMED = ['alice', 'bob', 'carol'];
const UNCONFIRMED = ['dave', 'erin'];
/** More than one AWS page of ListUsers (60). */
const BIG_POOL_USERS = 65;
/** High enough that the sweep is not paced by the budget (cognito-local has no quotas). */
/** cognito-local accepts any keys. */
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const FAST = { ratesPerSecond: { UserList: 500, UserResourceRead: 500, UserResourceUpdate: 500 } };

let local: CognitoLocal;
let cognito: CognitoIdentityProviderClient;
let clientId: string;

beforeAll(async () => {
  local = await startCognitoLocal([POOL, BIG_POOL]);
  cognito = new CognitoIdentityProviderClient({ region: 'eu-west-1', endpoint: local.endpoint, credentials: CREDENTIALS });
  const created = await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: POOL, ClientName: 'peer-test' }));
  clientId = created.UserPoolClient!.ClientId!;
  for (const username of CONFIRMED) {
    await cognito.send(new AdminCreateUserCommand({ UserPoolId: POOL, Username: username, TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }));
    await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: POOL, Username: username, Password: PASSWORD, Permanent: true }));
  }
  for (const username of UNCONFIRMED) {
    await cognito.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PASSWORD }));
  }
  for (let i = 0; i < BIG_POOL_USERS; i++) {
    await cognito.send(new AdminCreateUserCommand({ UserPoolId: BIG_POOL, Username: `user${i}`, TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }));
  }
  // Bounds for a loaded machine (startCognitoLocal alone may take up to 120 s); a fast one takes seconds.
}, 240_000);

afterAll(async () => {
  cognito?.destroy();
  await local?.stop();
});

async function usersOf(userPoolId: string): Promise<Record<string, string>> {
  const { Users } = await cognito.send(new ListUsersCommand({ UserPoolId: userPoolId }));
  return Object.fromEntries((Users ?? []).map((u) => [u.Username!, u.UserStatus!]));
}

async function failureOf(call: Promise<unknown>): Promise<{ name: string; status?: number }> {
  try {
    await call;
  } catch (error) {
    return { name: (error as Error).name, status: (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded');
}

function recordingLogger(): SweepLogger & { readonly warnings: Array<Record<string, unknown>> } {
  const warnings: Array<Record<string, unknown>> = [];
  return { warnings, info: () => undefined, warn: (message, extra) => warnings.push({ message, ...extra }) };
}

describe('what cognito-local offers', () => {
  test('the pool holds the users we made, with the statuses Cognito gives them', async () => {
    expect(await usersOf(POOL)).toEqual({ alice: 'CONFIRMED', bob: 'CONFIRMED', carol: 'CONFIRMED', dave: 'UNCONFIRMED', erin: 'UNCONFIRMED' });
  });

  test('signing in issues tokens but no device key, and every device operation is unsupported', async () => {
    const auth = await cognito.send(new AdminInitiateAuthCommand({
      UserPoolId: POOL, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'alice', PASSWORD },
    }));
    expect(auth.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    // AWS returns NewDeviceMetadata here when the pool remembers devices; cognito-local never does.
    expect(auth.AuthenticationResult?.NewDeviceMetadata).toBeUndefined();
    const accessToken = auth.AuthenticationResult!.AccessToken!;
    const deviceKey = 'eu-west-1_00000000-0000-0000-0000-000000000000';
    const deviceCalls = {
      ConfirmDevice: new ConfirmDeviceCommand({ AccessToken: accessToken, DeviceKey: deviceKey }),
      UpdateDeviceStatus: new UpdateDeviceStatusCommand({ AccessToken: accessToken, DeviceKey: deviceKey, DeviceRememberedStatus: 'remembered' }),
      AdminListDevices: new AdminListDevicesCommand({ UserPoolId: POOL, Username: 'alice', Limit: 60 }),
      AdminForgetDevice: new AdminForgetDeviceCommand({ UserPoolId: POOL, Username: 'alice', DeviceKey: deviceKey }),
    };
    // maxAttempts 1: a 500 is retryable, and the answer will not change.
    const once = new CognitoIdentityProviderClient({ region: 'eu-west-1', endpoint: local.endpoint, maxAttempts: 1, credentials: CREDENTIALS });
    try {
      const answers: Record<string, unknown> = {};
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      for (const [operation, command] of Object.entries(deviceCalls)) answers[operation] = await failureOf(once.send(command as any));
      const unsupported = { name: 'Unsupported', status: 500 };
      expect(answers).toEqual(Object.fromEntries(Object.keys(deviceCalls).map((operation) => [operation, unsupported])));
    } finally {
      once.destroy();
    }
  });

  test('ListUsers ignores Limit: one page, no token (AWS would page at 60)', async () => {
    const page = await cognito.send(new ListUsersCommand({ UserPoolId: BIG_POOL, Limit: 60 }));
    expect(page.Users).toHaveLength(BIG_POOL_USERS);
    expect(page.PaginationToken).toBeUndefined();
  });

  test('a missing pool is ResourceNotFoundException, as with AWS', async () => {
    expect(await failureOf(cognito.send(new ListUsersCommand({ UserPoolId: MISSING_POOL })))).toEqual({ name: 'ResourceNotFoundException', status: 400 });
  });
});

describe('the engine against cognito-local', () => {
  test('lists every user, skips UNCONFIRMED ones without a call, and counts each unanswerable device listing as an error', async () => {
    const logger = recordingLogger();
    const result = await sweepDevices({
      userPoolIds: [POOL],
      selection: { kind: 'stale', staleAfterSeconds: 90 * DAY_SECONDS },
      rateBudget: FAST,
      endpoint: local.endpoint,
      logger,
    });
    expect(result.done).toBe(true);
    expect(result.pools).toEqual([expect.objectContaining({
      userPoolId: POOL, usersScanned: 5, devicesScanned: 0, devicesStale: 0, devicesForgotten: 0, errors: CONFIRMED.length,
    })]);
    expect(result.calls).toEqual({ UserList: 1, UserResourceRead: 0, UserResourceUpdate: 0 });
    expect(result.throttled).toBe(0);
    // Only the confirmed users' devices were asked for; the unconfirmed ones cost no call.
    const failed = logger.warnings.filter((w) => w.operation === 'AdminListDevices');
    expect(failed).toHaveLength(CONFIRMED.length);
    for (const warning of failed) expect(warning).toMatchObject({ userPoolId: POOL, error: 'Unsupported' });
    expect(await usersOf(POOL)).toEqual({ alice: 'CONFIRMED', bob: 'CONFIRMED', carol: 'CONFIRMED', dave: 'UNCONFIRMED', erin: 'UNCONFIRMED' });
  }, 180_000);

  test('a missing pool stops with one error and one line naming it; the other pools are still swept', async () => {
    const logger = recordingLogger();
    const result = await sweepDevices({
      userPoolIds: [MISSING_POOL, BIG_POOL],
      selection: { kind: 'all' },
      dryRun: true,
      rateBudget: FAST,
      endpoint: local.endpoint,
      logger,
    });
    const byPool = Object.fromEntries(result.pools.map((p) => [p.userPoolId, p]));
    expect(byPool[MISSING_POOL]).toMatchObject({ usersScanned: 0, errors: 1, stopped: { reason: 'pool-not-found' } });
    expect(byPool[MISSING_POOL].stopped?.message).toContain(`user pool ${MISSING_POOL} does not exist`);
    // AdminCreateUser leaves users in FORCE_CHANGE_PASSWORD: each is listed and its devices asked for.
    expect(byPool[BIG_POOL]).toMatchObject({ usersScanned: BIG_POOL_USERS, devicesScanned: 0, errors: BIG_POOL_USERS });
  }, 180_000);
  test('named users are asked for without listing the pool; each refusal counts, even for a user that does not exist', async () => {
    const result = await sweepDevices({
      userPoolIds: [POOL],
      selection: { kind: 'users', usernames: ['alice', 'dave', 'nobody'] },
      rateBudget: FAST,
      endpoint: local.endpoint,
    });
    // cognito-local answers Unsupported before it looks the user up, so even 'nobody' is an error
    // here; AWS would answer UserNotFoundException, which the engine counts as nothing to do.
    expect(result.pools).toEqual([expect.objectContaining({ usersScanned: 3, devicesScanned: 0, errors: 3 })]);
    expect(result.calls).toEqual({ UserList: 0, UserResourceRead: 0, UserResourceUpdate: 0 });
  }, 180_000);
});

describe('the CLI against cognito-local', () => {
  test('a real (not dry) run reports the users it saw in its JSON document, exits 1 for the errors, and leaves every user in place', async () => {
    const run = await runCliCaptured(['--user-pool-id', POOL, '--stale-after', '90d', '--json', '--endpoint-url', local.endpoint], {
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ dryRun: false, staleAfterSeconds: 90 * DAY_SECONDS, capped: false });
    expect(report.pools).toEqual([
      expect.objectContaining({ userPoolId: POOL, usersScanned: 5, devicesScanned: 0, devicesForgotten: 0, errors: CONFIRMED.length }),
    ]);
    expect(run.stderr).toContain(`finished with ${CONFIRMED.length} error(s) counted`);
    expect(run.stderr).toContain('Unsupported');
    expect(await usersOf(POOL)).toEqual({ alice: 'CONFIRMED', bob: 'CONFIRMED', carol: 'CONFIRMED', dave: 'UNCONFIRMED', erin: 'UNCONFIRMED' });
  }, 180_000);
});
