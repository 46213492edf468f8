/**
 * The whole workflow played locally against the Cognito simulator (and its STS): the plan, the Map
 * over quota domains (every domain's slice loop at once, each account's calls with its role), and
 * the merge. Slices are cut by work done (runLoop's clock), never by the machine's speed.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { S3StandIn } from './s3-stand-in';
import { runWorkflow } from './slice-runner';
import { sweepDevices } from '../../src/sweep';
import { bareUserPoolId } from '../../src/sweep/input/pool-id';
import type { AuditRecord } from '../../src/sweep/pipeline/audit';
import { SweepAccountRole, SweepConfig } from '../../src/workflow/contract';
import { auditObjectKey, S3AuditSink } from '../../src/workflow/runtime/s3-audit-sink';
import { SliceContext } from '../../src/workflow/runtime/slice-logic';
import { DEFAULT_ACCOUNT_ID, useFreshSimulator } from '../sim';
import { deviceKeys, keysWhere, removed, sorted, staleAt } from '../sweep/fixture';

// Slices are cut by work, so a busy machine only makes them slower: allow it.
jest.setTimeout(180_000);

process.env.AWS_ACCESS_KEY_ID = 'test';
process.env.AWS_SECRET_ACCESS_KEY = 'test';

const TIME_SCALE = 50;
const BASE_QUOTAS = { UserList: 30 * TIME_SCALE, UserResourceRead: 50 * TIME_SCALE, UserResourceUpdate: 25 * TIME_SCALE };
const NOW = Date.parse('2026-06-01T00:00:00Z');
const STALE_SECONDS = 90 * 86_400;
const ACCOUNTS = ['210987654321', '310987654321', '410987654321'];
const REGIONS = ['eu-west-1', 'us-east-1'];
const EXTERNAL_ID = 'org-sweep-7';
const EXECUTION = 'nightly-2026-06-01';
/**
 * Per slice: 150 calls answered (10 ms each on the work clock) by the simulator, which all the
 * domains share: each domain's loop takes a few slices.
 */
const SLICE_BUDGET_MS = 1500;
const roleOf = (account: string): string => `arn:aws:iam::${account}:role/DeviceSweepAccess`;

const sim = useFreshSimulator({ timeScale: TIME_SCALE, latencyMs: 1, seed: 23 });

/** 3 accounts x 2 Regions (one pool each, by ARN), and the own account's pools of both Regions (by id, and by ARN). */
function seed(trusted: (account: string) => boolean = () => true): string[] {
  const pool = (region: string, accountId?: string): string =>
    sim.seedPool({ region, users: 24, accountId, devicesPerUser: { min: 0, max: 4 }, maxAgeDays: 365, now: new Date(NOW) });
  const refs = [pool('eu-west-1'), sim.poolArn(pool('us-east-1'))];
  for (const account of ACCOUNTS) for (const region of REGIONS) refs.push(sim.poolArn(pool(region, account)));
  sim.setRoles(ACCOUNTS.filter(trusted).map((a) => ({ roleArn: roleOf(a), externalId: EXTERNAL_ID, sessionNamePrefix: 'cognito-device-sweep-' })));
  return refs;
}

const roles = (): SweepAccountRole[] => ACCOUNTS.map((accountId) => ({ accountId, roleArn: roleOf(accountId), externalId: EXTERNAL_ID }));

function config(refs: string[], fields: Partial<SweepConfig> = {}): SweepConfig {
  return { userPoolIds: refs, selection: { kind: 'stale', staleAfterSeconds: STALE_SECONDS }, dryRun: false, accountRoles: roles(), ...fields };
}

function context(refs: string[], extra: Partial<SliceContext> = {}): Omit<SliceContext, 'remainingTimeMs' | 'clock'> {
  return {
    allowedUserPoolIds: refs.map((ref) => bareUserPoolId(ref)),
    allowedRoleArns: ACCOUNTS.map(roleOf),
    accountId: DEFAULT_ACCOUNT_ID,
    sweep: sweepDevices,
    engineOptions: { endpoint: sim.endpoint, stsEndpoint: sim.endpoint, baseQuotas: BASE_QUOTAS, now: () => NOW },
    ...extra,
  };
}

/** The caller the simulator must see for a pool: its account's role, or the own credentials. */
function callerOf(ref: string): string {
  const account = sim.accountOf(bareUserPoolId(ref));
  return account === DEFAULT_ACCOUNT_ID ? `account:${DEFAULT_ACCOUNT_ID}` : roleOf(account);
}

/** The stale devices of each pool, before the run. */
function staleSets(refs: string[]): Map<string, Set<string>> {
  return new Map(refs.map((ref) => [ref, keysWhere(sim.allDevices(bareUserPoolId(ref)), staleAt(NOW, STALE_SECONDS))]));
}

function devicesNow(refs: string[]): Map<string, Set<string>> {
  return new Map(refs.map((ref) => [ref, deviceKeys(sim, bareUserPoolId(ref))]));
}

test('3 accounts x 2 Regions and the own account: exactly the stale devices go, each domain with its own credentials', async () => {
  const refs = seed();
  const expected = staleSets(refs);
  const before = devicesNow(refs);

  const { plan, loops, output, runMetrics } = await runWorkflow(sim, config(refs), context(refs), SLICE_BUDGET_MS, { executionName: EXECUTION });

  expect(plan.domains.map((d) => d.domain.key)).toEqual([
    '/eu-west-1', '/us-east-1', ...ACCOUNTS.flatMap((a) => REGIONS.map((r) => `${a}/${r}`)),
  ]);
  const after = devicesNow(refs);
  for (const ref of refs) {
    expect(sorted(removed(before.get(ref)!, after.get(ref)!))).toEqual(sorted(expected.get(ref)!));
    expect(output.totals.find((t) => t.userPoolId === ref)?.devicesForgotten).toBe(expected.get(ref)!.size);
  }
  expect(output).toMatchObject({ done: true, capped: false, failedDomains: [], runFailed: false, domains: plan.domains.map((d) => d.domain.key) });
  expect(output.failure).toBeUndefined();
  expect(output.totals.map((t) => t.userPoolId).sort()).toEqual([...refs].sort());
  // Cut by work: some domain needed more than one slice, and the output counts them all.
  expect(Math.max(...[...loops.values()].map((l) => l.outcomes.length))).toBeGreaterThan(1);
  expect(output.slices).toBe([...loops.values()].reduce((n, l) => n + l.outcomes.length, 0));

  // Each pool was called by its account's role (the own account's by the own credentials), and nothing was denied.
  for (const [caller, pools] of sim.callsByCaller()) {
    for (const poolId of pools.keys()) expect(callerOf(refs.find((r) => bareUserPoolId(r) === poolId)!)).toBe(caller);
  }
  expect([...sim.callsByCaller().keys()].sort()).toEqual([`account:${DEFAULT_ACCOUNT_ID}`, ...ACCOUNTS.map(roleOf)].sort());
  expect(sim.stats.operations.ListUsers.refused + sim.stats.operations.AdminListDevices.refused).toBe(0);
  expect(new Set(sim.sessions.map((s) => s.sessionName))).toEqual(new Set([`cognito-device-sweep-${EXECUTION}`]));

  // The domains' slices report no run; the merge reports it once.
  for (const loop of loops.values()) expect(loop.outcomes.every((o) => o.domain !== undefined)).toBe(true);
  expect(runMetrics).toEqual(expect.arrayContaining([
    { name: 'RunsCompleted', value: 1 }, { name: 'RunsFailed', value: 0 }, { name: 'DomainsFailed', value: 0 },
  ]));
});

test('a missing role and a deleted pool fail their domains only; the others finish, and the output names the failures', async () => {
  const untrusted = ACCOUNTS[1];
  const refs = seed((a) => a !== untrusted);
  // A pool of the last account that is gone (deleted since the run was configured), beside that domain's live pool.
  const gone = `arn:aws:cognito-idp:us-east-1:${ACCOUNTS[2]}:userpool/us-east-1_Deleted9`;
  const all = [...refs, gone];
  const expected = staleSets(refs);
  const before = devicesNow(refs);

  const { output, runMetrics } = await runWorkflow(sim, config(all), context(all), SLICE_BUDGET_MS, {
    executionName: EXECUTION, toleratedDomainFailures: 1,
  });

  const failedKeys = [`${untrusted}/eu-west-1`, `${untrusted}/us-east-1`, `${ACCOUNTS[2]}/us-east-1`];
  expect(output.failedDomains.map((f) => f.domain)).toEqual(failedKeys);
  expect(output.failedDomains.map((f) => f.error)).toEqual(['SweepSystemicError', 'SweepSystemicError', 'SweepSystemicError']);
  expect(output.failedDomains[0].cause).toMatch(new RegExp(`^cannot assume role ${roleOf(untrusted)} for the pools of account ${untrusted} \\(sts:AssumeRole: AccessDenied\\)`));
  expect(output.failedDomains[2].cause).toMatch(/^user pool \S*us-east-1_Deleted9 does not exist in Region us-east-1 \(ListUsers: ResourceNotFoundException\)/);
  expect(output.failure).toMatch(new RegExp(`^3 of 8 quota domains failed: ${untrusted}/eu-west-1: cannot assume role .*; ${ACCOUNTS[2]}/us-east-1: .*us-east-1_Deleted9 does not exist`));
  expect(output.runFailed).toBe(true);

  // Every other domain swept to the end: exactly its stale devices gone.
  const failedPools = new Set(all.filter((ref) => failedKeys.some((key) => {
    const [account, region] = key.split('/');
    return ref.includes(`:${region}:${account}:`);
  })));
  const after = devicesNow(refs);
  for (const ref of refs.filter((r) => !failedPools.has(r))) {
    expect(sorted(removed(before.get(ref)!, after.get(ref)!))).toEqual(sorted(expected.get(ref)!));
  }
  // The deleted pool's domain swept its live pool up to the stop: those counts are the run's too (its
  // partial), the stopping slice's included. The untrusted account's domains stopped in their first
  // slice, before any call to Cognito: their partials name the pool, stopped, with nothing done.
  const partial = output.failedDomains[2].partial!;
  expect(partial.slices).toBeGreaterThan(0);
  for (const f of output.failedDomains.slice(0, 2)) {
    expect(f.partial!.slices).toBe(1);
    expect(f.partial!.totals.map((t) => [t.stopped?.reason, t.usersScanned, t.devicesForgotten])).toEqual([['role-not-assumable', 0, 0]]);
  }
  const partialPools = partial.totals.map((t) => t.userPoolId);
  expect(partialPools.sort()).toEqual(all.filter((r) => r.includes(`:us-east-1:${ACCOUNTS[2]}:`)).sort());
  expect(partial.totals.find((t) => t.userPoolId === gone)?.stopped?.reason).toBe('pool-not-found');
  expect(output.totals.map((t) => t.userPoolId).sort()).toEqual(all.sort());
  for (const ref of refs.filter((r) => partialPools.includes(r))) {
    const forgotten = output.totals.find((t) => t.userPoolId === ref)!.devicesForgotten;
    expect(forgotten).toBe(partial.totals.find((t) => t.userPoolId === ref)!.devicesForgotten);
    expect(forgotten).toBeGreaterThan(0);
    expect(forgotten).toBe(removed(before.get(ref)!, after.get(ref)!).size);
  }
  // The untrusted account's pools were never called (STS refused first).
  for (const ref of refs.filter((r) => r.includes(`:${untrusted}:`))) expect(before.get(ref)).toEqual(after.get(ref));
  expect(runMetrics).toEqual(expect.arrayContaining([{ name: 'RunsFailed', value: 1 }, { name: 'DomainsFailed', value: 3 }]));
});

test('a domain that forgets some devices and then fails: what it forgot is in the run\'s totals and its partial', async () => {
  const refs = seed();
  const target = `${ACCOUNTS[0]}/eu-west-1`;
  const targetRef = refs.find((r) => r.includes(`:eu-west-1:${ACCOUNTS[0]}:`))!;
  const targetPool = bareUserPoolId(targetRef);
  const before = devicesNow(refs);
  let denied = false;

  // Once a slice of the target domain has forgotten devices and the loop goes on, IAM denies its pool: the next slice fails.
  const { output, results } = await runWorkflow(sim, config(refs), context(refs), SLICE_BUDGET_MS, {
    executionName: EXECUTION,
    toleratedDomainFailures: 1,
    afterSlice: (domain, progress) => {
      const forgotten = progress.totals.reduce((n, t) => n + t.devicesForgotten, 0);
      if (domain.key === target && !progress.done && forgotten > 0 && !denied) {
        denied = true;
        sim.setAccess({ deny: ['ListUsers', 'AdminListDevices', 'AdminForgetDevice'], denyPools: [targetPool] });
      }
    },
  });

  expect(denied).toBe(true);
  expect(output.failedDomains.map((f) => f.domain)).toEqual([target]);
  expect(output.runFailed).toBe(false);
  const gone = removed(before.get(targetRef)!, devicesNow([targetRef]).get(targetRef)!).size;
  expect(gone).toBeGreaterThan(0);
  // The devices its slices forgot before the failure: in the run's totals, and in the failed domain's partial.
  expect(output.totals.find((t) => t.userPoolId === targetRef)?.devicesForgotten).toBe(gone);
  const partial = output.failedDomains[0].partial!;
  expect(partial.totals.map((t) => [t.userPoolId, t.devicesForgotten])).toEqual([[targetRef, gone]]);
  expect(partial.slices).toBeGreaterThan(0);
  expect(results.find((r) => r.domain.key === target)?.partial?.slices).toBe(partial.slices);
  // Every pool is in the totals, and what they say was forgotten is what went.
  expect(output.totals.map((t) => t.userPoolId).sort()).toEqual([...refs].sort());
  const after = devicesNow(refs);
  for (const ref of refs) {
    expect(output.totals.find((t) => t.userPoolId === ref)?.devicesForgotten).toBe(removed(before.get(ref)!, after.get(ref)!).size);
  }
});

test('a slice that sweeps one pool of its domain while another is denied: the domain fails, and what that slice forgot counts', async () => {
  const refs = seed();
  const target = `${ACCOUNTS[0]}/eu-west-1`;
  const deniedRef = refs.find((r) => r.includes(`:eu-west-1:${ACCOUNTS[0]}:`))!;
  // A second pool of the target domain, after the denied one: the same slices sweep both.
  const extra = sim.poolArn(sim.seedPool({
    region: 'eu-west-1', users: 24, accountId: ACCOUNTS[0], devicesPerUser: { min: 1, max: 4 }, maxAgeDays: 365, now: new Date(NOW),
  }));
  const all = [...refs, extra];
  sim.setAccess({ deny: ['ListUsers', 'AdminListDevices', 'AdminForgetDevice'], denyPools: [bareUserPoolId(deniedRef)] });
  const before = devicesNow(all);

  const { output, results } = await runWorkflow(sim, config(all), context(all), SLICE_BUDGET_MS, {
    executionName: EXECUTION, toleratedDomainFailures: 1,
  });

  expect(output.failedDomains.map((f) => [f.domain, f.error])).toEqual([[target, 'SweepSystemicError']]);
  expect(output.failedDomains[0].cause).toContain('cognito-idp:ListUsers');
  expect(output.runFailed).toBe(false);
  // No slice of the target domain ever succeeded: before, its partial was empty and these forgets were lost.
  const gone = removed(before.get(extra)!, devicesNow([extra]).get(extra)!).size;
  expect(gone).toBeGreaterThan(0);
  expect(output.totals.find((t) => t.userPoolId === extra)?.devicesForgotten).toBe(gone);
  const partial = output.failedDomains[0].partial!;
  expect(partial.totals.map((t) => [t.userPoolId, t.devicesForgotten, t.stopped?.reason])).toEqual([
    [deniedRef, 0, 'access-denied'], [extra, gone, undefined],
  ]);
  expect(partial.slices).toBeGreaterThan(0);
  expect(results.find((r) => r.domain.key === target)?.partial?.stopped?.error).toBe('SweepSystemicError');
  const after = devicesNow(all);
  for (const ref of all) {
    expect(output.totals.find((t) => t.userPoolId === ref)?.devicesForgotten).toBe(removed(before.get(ref)!, after.get(ref)!).size);
  }
});

test('maxForgets: the run never forgets more than the cap; domains with a share of 0 make no call', async () => {
  const refs = seed();
  const before = devicesNow(refs);
  const cap = 5;

  const { plan, output } = await runWorkflow(sim, config(refs, { maxForgets: cap }), context(refs, {
    estimateUsers: async (ids) => new Map(ids.map((id) => [id, sim.usersOf(bareUserPoolId(id)).length])),
  }), SLICE_BUDGET_MS, { executionName: EXECUTION });

  const shares = plan.domains.map((d) => d.config.maxForgets!);
  expect(shares.reduce((a, b) => a + b, 0)).toBe(cap);
  const after = devicesNow(refs);
  const gone = refs.reduce((n, ref) => n + removed(before.get(ref)!, after.get(ref)!).size, 0);
  const forgotten = output.totals.reduce((n, t) => n + t.devicesForgotten, 0);
  expect(gone).toBe(forgotten);
  expect(forgotten).toBeLessThanOrEqual(cap);
  expect(output.capped).toBe(true);
  for (const item of plan.domains) {
    const domainForgotten = output.totals.filter((t) => item.config.userPoolIds.includes(t.userPoolId)).reduce((n, t) => n + t.devicesForgotten, 0);
    expect(domainForgotten).toBeLessThanOrEqual(item.config.maxForgets!);
  }
  // 5 forgets over 8 domains: 3 domains get nothing; their pools are reported (zero counts) and never called.
  const idle = plan.domains.filter((d) => d.config.maxForgets === 0).flatMap((d) => d.config.userPoolIds);
  expect(idle).toHaveLength(3);
  const called = new Set([...sim.callsByCaller().values()].flatMap((pools) => [...pools.keys()]));
  for (const ref of idle) {
    expect(called.has(bareUserPoolId(ref))).toBe(false);
    expect(output.totals.find((t) => t.userPoolId === ref)).toMatchObject({ usersScanned: 0, devicesForgotten: 0 });
  }
});

describe('the audit trail of parallel domains', () => {
  test('a domain\'s slice objects are in its own folder; without a domain, the key is as before', () => {
    expect(auditObjectKey('p/', 'nightly', 'e1', 1, undefined)).toBe('p/nightly/e1/slice-000001-e3b0c44298fc1c14.jsonl');
    expect(auditObjectKey('p/', 'nightly', 'e1', 1, undefined, { key: '/eu-west-1', region: 'eu-west-1' }))
      .toBe('p/nightly/e1/own-eu-west-1/slice-000001-e3b0c44298fc1c14.jsonl');
    expect(auditObjectKey('p/', 'nightly', 'e1', 1, undefined, { key: `${ACCOUNTS[0]}/eu-west-1`, accountId: ACCOUNTS[0], region: 'eu-west-1' }))
      .toBe(`p/nightly/e1/${ACCOUNTS[0]}-eu-west-1/slice-000001-e3b0c44298fc1c14.jsonl`);
  });

  let s3: S3StandIn;
  let client: S3Client;
  beforeEach(async () => {
    s3 = await S3StandIn.start();
    client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  });
  afterEach(async () => {
    client.destroy();
    await s3.stop();
  });

  test('each domain writes its own objects, and the records name every forgotten device once', async () => {
    const refs = seed();
    const keysByDomain = new Map<string, Set<string>>();
    const { output } = await runWorkflow(sim, config(refs), context(refs, {
      audit: {
        sinkFor: (execution, slice, cursor, domain) => {
          const key = auditObjectKey('audit/', 'nightly', execution, slice, cursor, domain);
          const keys = keysByDomain.get(domain!.key) ?? new Set<string>();
          keysByDomain.set(domain!.key, keys.add(key));
          return new S3AuditSink(client, { bucket: 'b', key }, { minPutIntervalMs: 0 });
        },
      },
    }), SLICE_BUDGET_MS, { executionName: EXECUTION });

    expect(keysByDomain.size).toBe(8);
    const owners = new Map<string, string>();
    for (const [domain, keys] of keysByDomain) {
      for (const key of keys) {
        expect(owners.get(key)).toBeUndefined();
        owners.set(key, domain);
      }
    }
    expect(keysByDomain.get(`${ACCOUNTS[0]}/eu-west-1`)).toContain(`audit/nightly/${EXECUTION}/${ACCOUNTS[0]}-eu-west-1/slice-000001-e3b0c44298fc1c14.jsonl`);
    expect(keysByDomain.get('/eu-west-1')).toContain(`audit/nightly/${EXECUTION}/own-eu-west-1/slice-000001-e3b0c44298fc1c14.jsonl`);
    const records = [...s3.objects].filter(([key]) => !key.includes('/_slice-'))
      .flatMap(([, text]) => text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as AuditRecord));
    const forgotten = records.filter((r) => r.outcome === 'forgotten');
    expect(forgotten).toHaveLength(output.totals.reduce((n, t) => n + t.devicesForgotten, 0));
    expect(new Set(forgotten.map((r) => `${r.userPoolId}/${r.deviceKey}`)).size).toBe(forgotten.length);
  });
});
