/** sweepDevices: one call of the engine, over every Region of the given pools at once. */
import { randomUUID } from 'node:crypto';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { onAbort } from './calls/abort-fanout';
import { AccountCredentials } from './calls/account-credentials';
import { BudgetedCalls, CallStats, StopSignals } from './calls/calls';
import { createSweepClient } from './calls/clients';
import { encodeCursor, RegionPosition } from './input/cursor';
import { planSweep } from './input/validate';
import { AuditIntent, AuditRecorder, IntentRecorder } from './pipeline/audit';
import { armDeadline } from './pipeline/deadline';
import { ForgetCap } from './pipeline/forget-cap';
import { intentsOfPools, IntentRecoveryError } from './pipeline/intent-recovery';
import { RegionPlan, RegionResume, StopReason, SweepRun, sweepRegion } from './pipeline/region-sweep';
import { Counters, toPoolReport, zeroCounters } from './pipeline/report';
import { cloudWatchSourceFor, LimiterSet } from './rate/limiter-set';
import { resolveRates } from './rate/rates';
import type { AccountAccess, Grant, PoolStop, QuotaCategory, SweepOptions, SweepProgress, SweepResult } from './types';

/**
 * Quota domains (an account and a Region) swept at once; more wait their turn. Each has its own
 * budget, so domains in parallel go as fast as their quotas allow: the bench's `domainScaling`
 * (8 domains) was 0.47 at 4. The cursor holds one position per domain in progress (tens of bytes).
 */
const MAX_CONCURRENT_REGIONS = 16;
/**
 * Users in flight per Region (each has at most one call in flight): enough to keep the Region's
 * read and write rates busy with calls of up to this latency (Little's law), plus a few. More
 * would only queue at the limiters, and stretch the drain at a deadline.
 */
const LATENCY_HEADROOM_SECONDS = 0.25;
const EXTRA_USERS_IN_FLIGHT = 4;
const MAX_USERS_IN_FLIGHT = 1024;
/**
 * With a write-ahead, each user with forgets first waits for its intents to be durable (a grouped
 * write, a few per second): enough more users in flight to keep the forget rate busy meanwhile.
 */
const INTENT_HEADROOM_SECONDS = 0.5;
/** Between reads of the account's usage (CloudWatch publishes it every few minutes). */
const USAGE_POLL_MS = 60_000;

/**
 * Forgets the devices `options.selection` picks in every pool of `options.userPoolIds`, within
 * the rate budget, until done, capped by `maxForgets`, or stopped by `deadline` (then the result
 * carries a cursor to resume from). Throws SweepInputError on bad options, before any call.
 */
export async function sweepDevices(options: SweepOptions): Promise<SweepResult> {
  const plan = planSweep(options);
  // A dry run forgets nothing: it neither writes intents nor resolves any.
  const writeAhead = options.audit?.sink.intend && !options.dryRun;
  // Read before anything is armed: what earlier, killed attempts of this work intended (see intent-recovery.ts).
  const unresolved: readonly AuditIntent[] = writeAhead ? (await options.audit!.sink.unresolved?.()) ?? [] : [];
  const startedAt = new Date();
  // Stopping happens in steps. Any stop ends new work: no new page, no new user. A soft deadline
  // stop lets the users in flight finish; the hard stop just before the deadline, and maxForgets,
  // also cancel the device listings waiting for a token; only the hard stop cancels waiting
  // forgets (maxForgets is reached only once no forget is left in flight).
  const dispatch = new AbortController();
  const reads = new AbortController();
  const forgets = new AbortController();
  let stopReason: StopReason | undefined;
  const stop = (reason: StopReason, hard = false): void => {
    stopReason ??= reason;
    dispatch.abort();
    if (hard || reason === 'capped') reads.abort();
    if (hard) forgets.abort();
  };
  const signals: StopSignals = { UserList: dispatch.signal, UserResourceRead: reads.signal, UserResourceUpdate: forgets.signal };
  const deadline = armDeadline(options.deadline, (hard) => stop('deadline', hard), options.deadlineClock);
  // An injected deadline clock is read at each call start (once the grant settles: a stop aborts
  // the limiters) and after each answer, wherever the work that moves it is counted.
  const checkDeadline = options.deadlineClock ? () => queueMicrotask(() => deadline.check()) : undefined;
  const onGrant = checkDeadline
    ? (grant: Grant) => {
      options.onGrant?.(grant);
      checkDeadline();
    }
    : options.onGrant;
  // The caller's signal (Ctrl-C) and a systemic error of the whole run stop at once, like the hard
  // deadline stop: nothing new, calls waiting for a token are not sent, calls in flight finish.
  const unsubscribeCaller = options.signal ? onAbort(options.signal, () => stop('interrupted', true)) : () => {};
  if (options.signal?.aborted) stop('interrupted', true);
  let runStop: PoolStop | undefined;
  const stoppedPools = new Map<string, PoolStop>();
  const finishedPools = new Set<string>();

  const counters = new Map<string, Counters>(options.userPoolIds.map((id) => [id, zeroCounters()]));
  const stats: CallStats = { calls: zeroCalls(), throttled: 0 };
  const snapshot = (): SweepProgress => ({
    pools: [...counters].map(([id, c]) => toPoolReport(id, c, stoppedPools.get(id))),
    throttled: stats.throttled,
    calls: { ...stats.calls },
  });
  const cap = new ForgetCap(options.maxForgets, plan.cursor?.forgets ?? 0, forgets.signal);
  const runId = options.runId ?? randomUUID();
  const accountCredentials = new AccountCredentials({ runId, stsEndpoint: options.stsEndpoint, profile: options.profile, logger: options.logger });
  let auditFailure: { readonly error: unknown } | undefined;
  const recorder = options.audit && new AuditRecorder(runId, options.selection.kind, options.audit.usernameKey);
  const run: SweepRun = {
    selection: options.selection,
    usernames: plan.usernames,
    nowMs: plan.cursor?.nowMs ?? (options.now ?? Date.now)(),
    dryRun: options.dryRun ?? false,
    onlyRemembered: options.onlyRemembered ?? false,
    excluded: new Set(options.excludeUsernames ?? []),
    nextCheckIndex: options.nextCheckIndex,
    cap,
    signal: dispatch.signal,
    stopReason: () => stopReason,
    stop,
    stopSystemic: (poolStop) => {
      runStop ??= poolStop;
      stop('systemic', true);
    },
    stoppedPools,
    finishedPools,
    counters,
    progress: progressEmitter(options, snapshot),
    logger: options.logger,
    audit: options.audit && recorder && {
      recorder,
      sink: options.audit.sink,
      writeAhead: writeAhead ? {
        intents: new IntentRecorder(recorder, options.audit.usernameKey),
        unresolved,
        fail: (error) => {
          auditFailure ??= { error };
          stop('interrupted', true);
        },
      } : undefined,
    },
  };

  const usersInFlightAt = (read: number, update: number) => Math.min(MAX_USERS_IN_FLIGHT,
    Math.ceil((read + update) * LATENCY_HEADROOM_SECONDS + (writeAhead ? update * INTENT_HEADROOM_SECONDS : 0)) + EXTRA_USERS_IN_FLIGHT);
  // A domain's real budget is known once its limits are read (readProvisionedLimits): until then,
  // sockets for the most users a domain may have in flight (an unused socket costs nothing).
  const readsLimits = options.rateBudget?.readProvisionedLimits === true;
  const socketsPerClient = (readsLimits ? MAX_USERS_IN_FLIGHT : usersInFlightAt(plan.rates.UserResourceRead, plan.rates.UserResourceUpdate)) + 2;
  const createdClients: CognitoIdentityProviderClient[] = [];
  const ends = new Map<string, RegionResume | undefined>();
  const limiterSet = new LimiterSet(plan.rates, signals, options.followAccountUsage ? {
    quotas: resolveRates({ ...options.rateBudget, fraction: 1, ratesPerSecond: undefined }),
    sourceFor: options.usageSourceFor ?? cloudWatchSourceFor,
    intervalMs: USAGE_POLL_MS,
    logger: options.logger,
  } : undefined, onGrant, options.rateBudget?.readProvisionedLimits ? { budget: options.rateBudget, logger: options.logger } : undefined);
  try {
    // One unit of work per quota domain: a Region, with the default credentials or one account's role.
    const work = plan.regions
      .map((domain) => ({ ...domain, start: startOf(domain.key, plan.cursor?.regions) }))
      .filter((r) => r.start !== undefined);
    await forEachConcurrently(work, MAX_CONCURRENT_REGIONS, async ({ key, region, role, userPoolIds, start }) => {
      if (dispatch.signal.aborted) {
        // Intents left unresolved here would be lost to the next slice (another object): fail instead.
        const left = intentsOfPools(unresolved, userPoolIds).length;
        if (left > 0) run.audit?.writeAhead?.fail(new IntentRecoveryError(left, 'the run stopped before resolving them'));
        ends.set(key, start);
        return;
      }
      const access: AccountAccess | undefined = role && {
        accountId: role.accountId,
        roleArn: role.roleArn,
        credentials: accountCredentials.for(role, region),
      };
      let client = access ? options.clientFor?.(region, access) : options.clientFor?.(region);
      if (!client) {
        // One socket per user in flight plus the ListUsers read-ahead: no call waits for a connection.
        client = createSweepClient(region, {
          endpoint: options.endpoint,
          maxSockets: socketsPerClient,
          profile: options.profile,
          credentials: access?.credentials,
        });
        createdClients.push(client);
      }
      // Keyed by the Region the client calls, not the one the pool ids name, and by the role's account,
      // whose usage (followAccountUsage) is read with the same role.
      const limiters = await limiterSet.of(client, access);
      // Users in flight from this domain's own budget, which is its real limit's share when read.
      const usersInFlight = usersInFlightAt(limiters.UserResourceRead.budget, limiters.UserResourceUpdate.budget);
      const regionPlan: RegionPlan = {
        region,
        userPoolIds,
        // Messages name the Region the client calls (--region may differ from the pool id's).
        calls: new BudgetedCalls(client, limiters, stats, signals, plan.perUserRate, await clientRegion(client, region), checkDeadline),
        usersInFlight,
      };
      ends.set(key, await sweepRegion(run, regionPlan, start!));
    });
    // An intent that could not be written or resolved: no cursor may pass it; the caller retries.
    if (auditFailure) throw auditFailure.error;
  } catch (error) {
    // Forgets already made must not lose their records, even when the run fails.
    await options.audit?.sink.flush().catch((flushError: unknown) => {
      options.logger?.warn('Writing the audit records of a failed run failed too', { message: String(flushError) });
    });
    throw error;
  } finally {
    // Every Region's calls are settled; the run's signals outlive its limiters.
    limiterSet.close();
    deadline.dispose();
    unsubscribeCaller();
    for (const client of createdClients) client.destroy();
  }

  const capped = cap.reached;
  const unfinished = new Map<string, RegionPosition>();
  for (const [region, end] of ends) {
    if (end) unfinished.set(region, { pool: end.pool, token: end.position.token, done: end.position.done });
  }
  let cursor: string | undefined;
  if (!capped && unfinished.size > 0) {
    const encoded = encodeCursor({ nowMs: run.nowMs, forgets: cap.total, regions: unfinished }, plan.cursorContext);
    cursor = encoded.cursor;
    if (encoded.restartedRegions.length > 0) {
      options.logger?.warn('Page tokens too long for the cursor: these Regions resume at the start of their current pool', {
        regions: encoded.restartedRegions,
      });
    }
  }
  if (runStop) {
    // Every pool the run-wide stop left unfinished is stopped for the same reason.
    for (const id of options.userPoolIds) if (!finishedPools.has(id) && !stoppedPools.has(id)) stoppedPools.set(id, runStop);
  }
  // The records of every committed user are durable before the cursor that passes them is handed back.
  await options.audit?.sink.flush();
  const final = snapshot();
  const firstStop = runStop ?? stoppedPools.values().next().value;
  return {
    done: cursor === undefined,
    cursor,
    capped,
    pools: final.pools,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    calls: final.calls,
    throttled: final.throttled,
    ratesPerSecond: { ...plan.rates },
    ...(firstStop ? { stopped: firstStop } : {}),
    interrupted: stopReason === 'interrupted',
  };
}

/** The Region a client calls (its configured one), or `fallback` if it cannot say. */
async function clientRegion(client: CognitoIdentityProviderClient, fallback: string): Promise<string> {
  try {
    const region = client.config.region;
    return (typeof region === 'function' ? await region() : region) ?? fallback;
  } catch {
    return fallback;
  }
}

function zeroCalls(): Record<QuotaCategory, number> {
  return { UserList: 0, UserResourceRead: 0, UserResourceUpdate: 0 };
}

/** Where a Region starts: from the cursor (absent from it = finished), or at its first pool. */
function startOf(region: string, resumed: ReadonlyMap<string, RegionPosition> | undefined): RegionResume | undefined {
  if (!resumed) return { pool: 0, position: { done: 0 } };
  const position = resumed.get(region);
  if (!position) return undefined;
  return { pool: position.pool, position: position.token === undefined ? { done: position.done } : { token: position.token, done: position.done } };
}

/** Progress callback that never breaks the sweep. */
function progressEmitter(options: SweepOptions, snapshot: () => SweepProgress): () => void {
  const onProgress = options.onProgress;
  if (!onProgress) return () => {};
  let warned = false;
  return () => {
    try {
      onProgress(snapshot());
    } catch (error) {
      if (!warned) options.logger?.warn('onProgress threw; progress errors are ignored', { message: String(error) });
      warned = true;
    }
  };
}

/** Runs `task` over `items`, at most `limit` at once; waits for all before reporting a failure. */
async function forEachConcurrently<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]);
  };
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) throw failure.reason;
}
