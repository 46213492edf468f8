import {
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  CognitoIdentityProviderClient,
  InternalErrorException,
  InvalidParameterException,
  ListUsersCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoSimulator, simulatorClient } from './index';

let sim: CognitoSimulator;
let client: CognitoIdentityProviderClient;
let poolId: string;

beforeAll(async () => {
  sim = await CognitoSimulator.start({ timeScale: 1000 });
  client = simulatorClient(sim, { maxAttempts: 1 });
  poolId = sim.seedPool({ region: 'eu-west-1', users: 3, devicesPerUser: 1 });
});
afterEach(() => sim.setFaults({}));
afterAll(async () => {
  client.destroy();
  await sim.stop();
});

test.each<[string, (pool: string) => Promise<unknown>, RegExp]>([
  ['Limit above 60', (pool) => client.send(new ListUsersCommand({ UserPoolId: pool, Limit: 61 })), /less than or equal to 60/],
  ['negative Limit', (pool) => client.send(new AdminListDevicesCommand({ UserPoolId: pool, Username: 'user-000000', Limit: -1 })), /greater than or equal to 0/],
  ['a token that is not one', (pool) => client.send(new ListUsersCommand({ UserPoolId: pool, PaginationToken: 'bm90IGEgdG9rZW4=' })), /pagination token/],
  ['a bad filter', (pool) => client.send(new ListUsersCommand({ UserPoolId: pool, Filter: 'username == x' })), /filter/],
  ['an unfilterable attribute', (pool) => client.send(new ListUsersCommand({ UserPoolId: pool, Filter: 'custom:team = "a"' })), /custom:team/],
  ['a malformed pool id', () => client.send(new ListUsersCommand({ UserPoolId: 'not a pool' })), /userPoolId/],
  ['a missing device key', (pool) => client.send(new AdminGetDeviceCommand({ UserPoolId: pool, Username: 'user-000000', DeviceKey: undefined as never })), /deviceKey.*must not be null/],
])('%s is an InvalidParameterException', async (_name, command, message) => {
  const error = await command(poolId).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InvalidParameterException);
  expect((error as Error).message).toMatch(message);
});

test('a token of another list is rejected', async () => {
  const other = sim.seedPool({ region: 'eu-west-1', users: 5 });
  const { PaginationToken } = await client.send(new ListUsersCommand({ UserPoolId: other, Limit: 1 }));
  await expect(client.send(new ListUsersCommand({ UserPoolId: poolId, PaginationToken }))).rejects.toBeInstanceOf(InvalidParameterException);
});

test('an unknown pool is a ResourceNotFoundException', async () => {
  const error = await client.send(new ListUsersCommand({ UserPoolId: 'eu-west-1_NoSuchPool' })).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ResourceNotFoundException);
  expect((error as Error).message).toBe('User pool eu-west-1_NoSuchPool does not exist.');
});

test('a pool of another Region than the signed one is a ResourceNotFoundException', async () => {
  const us = simulatorClient(sim, { region: 'us-east-1', maxAttempts: 1 });
  await expect(us.send(new ListUsersCommand({ UserPoolId: poolId }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  us.destroy();
});

test('an unknown user is a UserNotFoundException', async () => {
  await expect(client.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'nobody' })))
    .rejects.toBeInstanceOf(UserNotFoundException);
  await expect(client.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'nobody', DeviceKey: 'eu-west-1_0a' })))
    .rejects.toBeInstanceOf(UserNotFoundException);
});

test('an unknown device key, or another user\'s, is a ResourceNotFoundException', async () => {
  const othersKey = sim.devicesOf(poolId, 'user-000001')[0].DeviceKey;
  for (const DeviceKey of ['eu-west-1_0a', othersKey]) {
    const error = await client.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'user-000000', DeviceKey })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toBe('Device does not exist.');
  }
});

test('an injected throttle is a TooManyRequestsException with HTTP 400', async () => {
  sim.setFaults({ throttleRate: 1 });
  const error = await client.send(new ListUsersCommand({ UserPoolId: poolId })).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TooManyRequestsException);
  expect((error as TooManyRequestsException).$metadata.httpStatusCode).toBe(400);
});

test('an injected server error is an InternalErrorException with HTTP 500, retried by the SDK', async () => {
  sim.setFaults({ serverErrorRate: 1 });
  const error = await client.send(new ListUsersCommand({ UserPoolId: poolId })).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InternalErrorException);
  expect((error as InternalErrorException).$metadata.httpStatusCode).toBe(500);

  sim.resetStats();
  const retrying = simulatorClient(sim, { maxAttempts: 3 });
  await expect(retrying.send(new ListUsersCommand({ UserPoolId: poolId }))).rejects.toBeInstanceOf(InternalErrorException);
  expect(sim.stats.operations.ListUsers).toEqual({ calls: 3, succeeded: 0, throttled: 0, errors: 3, refused: 0 });
  retrying.destroy();
});

test('faults can be limited to some operations', async () => {
  sim.setFaults({ throttleRate: 1, operations: ['AdminForgetDevice'] });
  await expect(client.send(new ListUsersCommand({ UserPoolId: poolId }))).resolves.toBeDefined();
  const { DeviceKey } = sim.devicesOf(poolId, 'user-000002')[0];
  await expect(client.send(new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'user-000002', DeviceKey })))
    .rejects.toBeInstanceOf(TooManyRequestsException);
});

test('bad fault and simulator options fail with a message that says what to change', async () => {
  expect(() => sim.setFaults({ throttleRate: 2 })).toThrow('setFaults: throttleRate must be in [0, 1], got 2');
  expect(() => sim.setFaults({ operations: ['ForgetDevice'] })).toThrow(/unknown operation 'ForgetDevice'/);
  await expect(CognitoSimulator.start({ timeScale: 0 })).rejects.toThrow('timeScale must be a positive number');
  await expect(CognitoSimulator.start({ quotas: { UserRead: 5 } as never })).rejects.toThrow(/unknown quota category 'UserRead'/);
  expect(() => sim.seedPool({ region: 'eu-west-1', poolId: 'us-east-1_abc', users: 1 })).toThrow(/must look like 'eu-west-1_/);
  expect(() => sim.seedPool({ region: 'eu-west-1', users: 1, devicesPerUser: { min: 3, max: 1 } })).toThrow(/devicesPerUser/);
});

describe('the wire protocol', () => {
  async function post(target: string | undefined, body: string): Promise<{ status: number; type: string | null; json: { __type: string } }> {
    const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1' };
    if (target) headers['x-amz-target'] = target;
    const res = await fetch(`${sim.endpoint}/`, { method: 'POST', headers, body });
    return { status: res.status, type: res.headers.get('x-amzn-errortype'), json: await res.json() as { __type: string } };
  }

  test('an unknown operation or a missing target is an UnknownOperationException', async () => {
    for (const target of ['AWSCognitoIdentityProviderService.AdminDeleteUser', 'DynamoDB_20120810.Scan', undefined]) {
      const res = await post(target, '{}');
      expect(res).toEqual({ status: 400, type: 'UnknownOperationException', json: expect.objectContaining({ __type: 'UnknownOperationException' }) });
    }
  });

  test('a body that is not a JSON object is a SerializationException', async () => {
    for (const body of ['{not json', '[1]', 'null']) {
      const res = await post('AWSCognitoIdentityProviderService.ListUsers', body);
      expect(res).toEqual({ status: 400, type: 'SerializationException', json: expect.objectContaining({ __type: 'SerializationException' }) });
    }
  });
});
