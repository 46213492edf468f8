/** Sweeping one user: list all of their devices, decide each, forget the picked ones. */
import type { BudgetedCalls } from './calls';
import { errorName, isDone, SystemicCallError } from './error-class';
import { SweepStoppedError } from './errors';
import type { ForgetCap } from './forget-cap';
import type { UserOutcome } from './page-tracker';
import { Counters, zeroCounters } from './report';
import { createdAtOf, decideDevice, lastUseOf } from './staleness';
import type { DeviceSelection, SweepLogger } from './types';

/** What sweeping a user of one pool needs. */
export interface UserSweepContext {
  readonly calls: BudgetedCalls;
  readonly userPoolId: string;
  readonly selection: DeviceSelection;
  /** Reference time for staleness (epoch ms), fixed for the whole run. */
  readonly nowMs: number;
  readonly dryRun: boolean;
  readonly onlyRemembered: boolean;
  readonly cap: ForgetCap;
  /** Called when the cap refuses a picked device: the sweep must stop. */
  readonly onCapReached: () => void;
  /** Called after each forget (progress). */
  readonly onForget: () => void;
  readonly logger?: SweepLogger;
}

/** A swept user's outcome, with what the next-check index needs. */
export interface SweptUser extends UserOutcome {
  /**
   * Oldest last use among the user's dated devices that remain (Infinity: none); undefined when
   * the sweep of the user was cut short or failed, so that no entry may be written.
   */
  readonly oldestRemainingUseMs?: number;
  /** Oldest creation date among the devices that remain (Infinity: none); set with `oldestRemainingUseMs`. */
  readonly oldestRemainingCreateMs?: number;
}

interface PickedDevice {
  readonly key: string;
  readonly undated: boolean;
  readonly lastUse: number | undefined;
  readonly created: number | undefined;
}

/** A user the next-check index says is not due: no call, counted as scanned and skipped. */
export function indexSkippedUserOutcome(): UserOutcome {
  const full = zeroCounters();
  full.usersScanned = 1;
  full.usersSkippedByIndex = 1;
  return { finished: true, full, lasting: zeroCounters() };
}

/** A user skipped without any call (UNCONFIRMED): counted as scanned. */
export function skippedUserOutcome(): UserOutcome {
  const full = zeroCounters();
  full.usersScanned = 1;
  return { finished: true, full, lasting: zeroCounters() };
}

/**
 * Sweeps one user; never rejects (failures are counted, a stop yields what was done so far).
 * `priority` is the user's place in the Region's sweep: earlier users' calls go first.
 */
export async function sweepUser(ctx: UserSweepContext, username: string, priority: number): Promise<SweptUser> {
  const full = zeroCounters();
  const lasting = zeroCounters();
  const finished: UserOutcome = { finished: true, full, lasting };
  const interrupted: UserOutcome = { finished: false, full, lasting };
  const picked: PickedDevice[] = [];
  // Oldest last use of the dated devices left alone, whatever their remembered status (onlyRemembered
  // runs must still see a not-remembered device that later becomes remembered).
  let oldestKept = Infinity;
  let oldestCreatedKept = Infinity;
  const keep = (lastUse: number | undefined, created: number | undefined): void => {
    if (lastUse !== undefined) oldestKept = Math.min(oldestKept, lastUse);
    if (created !== undefined) oldestCreatedKept = Math.min(oldestCreatedKept, created);
  };
  const paces = ctx.calls.userPaces();

  // List every page before forgetting: forgetting while paging could shift the pages under the token.
  try {
    let token: string | undefined;
    do {
      const input = { UserPoolId: ctx.userPoolId, Username: username, Limit: 60, PaginationToken: token };
      const page = await ctx.calls.listDevices(input, priority, paces.reads);
      for (const device of page.Devices ?? []) {
        const decision = decideDevice(device, ctx.selection, ctx.nowMs, ctx.onlyRemembered);
        full.devicesScanned++;
        if (decision.undated) full.devicesUndated++;
        const lastUse = lastUseOf(device);
        const created = createdAtOf(device);
        if (decision.pick && device.DeviceKey !== undefined) {
          full.devicesStale++;
          picked.push({ key: device.DeviceKey, undated: decision.undated, lastUse, created });
        } else {
          keep(lastUse, created);
        }
      }
      token = page.PaginationToken;
    } while (token);
  } catch (error) {
    if (error instanceof SweepStoppedError) return interrupted;
    if (error instanceof SystemicCallError) return countSystemic(full, lasting, interrupted);
    full.usersScanned = 1;
    // The user was deleted meanwhile (or, for named users, never existed): nothing left to forget.
    if (!isDone(error, 'AdminListDevices')) countError(ctx, full, lasting, 'AdminListDevices', error, username);
    return finished;
  }

  for (let i = 0; i < picked.length; i++) {
    const device = picked[i];
    let reserved: boolean;
    try {
      reserved = await ctx.cap.reserve();
    } catch (error) {
      if (error instanceof SweepStoppedError) return interrupted;
      throw error;
    }
    if (!reserved) {
      ctx.onCapReached();
      return interrupted;
    }
    if (ctx.dryRun) {
      ctx.cap.commit();
      // Not forgotten: the device stays, so its (stale) dates make the user due again at once.
      keep(device.lastUse, device.created);
      continue;
    }
    try {
      await ctx.calls.forgetDevice({ UserPoolId: ctx.userPoolId, Username: username, DeviceKey: device.key }, priority, paces.writes);
      ctx.cap.commit();
      countDone(full, lasting, 'devicesForgotten', device.undated);
      ctx.onForget();
    } catch (error) {
      ctx.cap.release();
      if (error instanceof SweepStoppedError) return interrupted;
      if (error instanceof SystemicCallError) return countSystemic(full, lasting, interrupted);
      if (!isDone(error, 'AdminForgetDevice')) {
        countError(ctx, full, lasting, 'AdminForgetDevice', error, username);
        keep(device.lastUse, device.created);
      } else if (errorName(error) === 'ResourceNotFoundException') {
        countDone(full, lasting, 'devicesAlreadyGone', device.undated);
      } else {
        // The user was deleted meanwhile: every device still picked is gone with them.
        for (const gone of picked.slice(i)) countDone(full, lasting, 'devicesAlreadyGone', gone.undated);
        full.usersScanned = 1;
        return finished;
      }
    }
  }
  full.usersScanned = 1;
  return { ...finished, oldestRemainingUseMs: oldestKept, oldestRemainingCreateMs: oldestCreatedKept };
}

/** A picked device is forgotten or gone: a later sweep of this user would not list it again. */
function countDone(full: Counters, lasting: Counters, outcome: 'devicesForgotten' | 'devicesAlreadyGone', undated: boolean): void {
  full[outcome]++;
  lasting[outcome]++;
  lasting.devicesScanned++;
  lasting.devicesStale++;
  if (undated) lasting.devicesUndated++;
}

/**
 * A call that can never succeed stopped the pool (which logs why, once): the failure is counted, and
 * the user stays not done, so the cursor points at them and a run with the cause fixed sweeps them.
 */
function countSystemic(full: Counters, lasting: Counters, interrupted: UserOutcome): UserOutcome {
  full.errors++;
  lasting.errors++;
  return interrupted;
}

function countError(ctx: UserSweepContext, full: Counters, lasting: Counters, operation: string, error: unknown, username: string): void {
  full.errors++;
  lasting.errors++;
  // Usernames may be personal data (emails), and Cognito's validation messages quote them: keep them out of logs.
  const message = (error instanceof Error ? error.message : String(error)).split(username).join('<username>');
  ctx.logger?.warn('Device sweep call failed; the sweep continues', {
    userPoolId: ctx.userPoolId,
    operation,
    error: errorName(error),
    requestId: (error as { $metadata?: { requestId?: string } }).$metadata?.requestId,
    message,
  });
}
