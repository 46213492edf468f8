/**
 * The engine tells each category's limiter when an attempt was answered (ArrivalWindow's causal
 * bound), through the real SDK client against the simulator: every HTTP answer counts (results,
 * throttles, server errors), a network failure does not, and the answer is taken next to the HTTP
 * handler, before the body is deserialized.
 */
import { CognitoIdentityProviderClient, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createSweepClient } from '../../src/sweep';
import { BudgetedCalls, CallStats, Limiters, StopSignals } from '../../src/sweep/calls/calls';
import { AdaptiveRateLimiter } from '../../src/sweep/rate/rate-limiter';
import { CognitoSimulator } from '../sim';

const CREDENTIALS = async (): Promise<{ accessKeyId: string; secretAccessKey: string }> => ({ accessKeyId: 'x', secretAccessKey: 'x' });
const CATEGORIES = ['UserList', 'UserResourceRead', 'UserResourceUpdate'] as const;

interface Harness {
  readonly calls: BudgetedCalls;
  readonly limiters: Limiters;
  /** Grant ids the UserList limiter was told were answered. */
  readonly answered: number[];
  /** Grant ids the UserList limiter handed out. */
  readonly granted: number[];
  /** Grant ids the UserList limiter was told were sent. */
  readonly sent: number[];
}

function harness(client: CognitoIdentityProviderClient): Harness {
  const answered: number[] = [];
  const granted: number[] = [];
  const sent: number[] = [];
  const limiters = Object.fromEntries(CATEGORIES.map((c) => [c, new AdaptiveRateLimiter({ ratePerSecond: 1_000 })])) as unknown as Limiters;
  const list = limiters.UserList;
  const acquire = list.acquire.bind(list);
  jest.spyOn(list, 'acquire').mockImplementation(async (priority) => {
    const grant = await acquire(priority);
    granted.push(grant);
    return grant;
  });
  const send = list.sent.bind(list);
  jest.spyOn(list, 'sent').mockImplementation((grant) => {
    sent.push(grant);
    send(grant);
  });
  const tell = list.answered.bind(list);
  jest.spyOn(list, 'answered').mockImplementation((grant) => {
    answered.push(grant);
    tell(grant);
  });
  const stats: CallStats = { calls: { UserList: 0, UserResourceRead: 0, UserResourceUpdate: 0 }, throttled: 0 };
  const signals = Object.fromEntries(CATEGORIES.map((c) => [c, new AbortController().signal])) as unknown as StopSignals;
  return { calls: new BudgetedCalls(client, limiters, stats, signals, 10, 'eu-west-1'), limiters, answered, granted, sent };
}

let sim: CognitoSimulator;
let client: CognitoIdentityProviderClient;
let pool: string;
beforeAll(async () => {
  sim = await CognitoSimulator.start({ seed: 5 });
  pool = sim.seedPool({ region: 'eu-west-1', users: 5 });
  client = createSweepClient('eu-west-1', { endpoint: sim.endpoint, credentials: CREDENTIALS });
});
afterAll(async () => {
  client.destroy();
  await sim.stop();
});
afterEach(() => sim.setFaults({}));

test('each attempt is told sent and answered once, with its own grant', async () => {
  const h = harness(client);
  await h.calls.listUsers({ UserPoolId: pool });
  await h.calls.listUsers({ UserPoolId: pool });
  expect(h.granted).toHaveLength(2);
  expect(h.sent).toEqual(h.granted);
  expect(h.answered).toEqual(h.granted);
});

test('throttles and server errors are answers too: every attempt, retries included, is told', async () => {
  const h = harness(client);
  const before = sim.stats.operations.ListUsers.calls;
  sim.setFaults({ throttleRate: 0.5, serverErrorRate: 0.2, operations: ['ListUsers'] });
  for (let i = 0; i < 10; i++) await h.calls.listUsers({ UserPoolId: pool });
  // Retries (the engine's for throttles, the SDK's for 5xx) took their own grants.
  expect(h.granted.length).toBeGreaterThan(10);
  expect(h.granted.length).toBe(sim.stats.operations.ListUsers.calls - before);
  expect([...h.answered].sort((a, b) => a - b)).toEqual([...h.granted].sort((a, b) => a - b));
  expect(h.sent).toEqual(h.granted);
});

test('a network failure is not an answer: nothing proves the call got anywhere', async () => {
  const dead = createSweepClient('eu-west-1', { endpoint: 'http://127.0.0.1:9', credentials: CREDENTIALS });
  try {
    const h = harness(dead);
    await expect(h.calls.listUsers({ UserPoolId: pool })).rejects.toThrow();
    expect(h.granted.length).toBeGreaterThan(0);
    expect(h.answered).toEqual([]);
  } finally {
    dead.destroy();
  }
}, 60_000);

test('the token is taken just before signing, the send and the answer next to the HTTP handler', () => {
  const h = harness(client);
  const command = new ListUsersCommand({ UserPoolId: pool });
  // The private helper is what every call uses; the stack's order is the SDK's own.
  (h.calls as unknown as { addBudget: (...a: unknown[]) => void }).addBudget(command, 'UserList', 0, undefined);
  // The client's stack and the command's are concatenated when the command is sent.
  const order = client.middlewareStack.concat(command.middlewareStack).identify();
  const at = (name: string): number => order.findIndex((entry) => entry.startsWith(name));
  expect(at('cognitoDeviceSweepWire')).toBeGreaterThan(at('deserializerMiddleware'));
  expect(at('cognitoDeviceSweepWire')).toBe(order.length - 1);
  // The token is taken inside the retry loop, just before signing.
  expect(at('cognitoDeviceSweepBudget')).toBeGreaterThan(at('retryMiddleware'));
  expect(at('cognitoDeviceSweepBudget')).toBe(at('httpSigningMiddleware') - 1);
});
