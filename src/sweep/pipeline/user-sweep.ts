/** Sweeping one user: list all of their devices, decide each, forget the picked ones. */
import { ageBucketOf, AgeBuckets, countDevice, deviceCountBucketOf } from './age-picture';
import type { AuditedDevice, AuditIntent, AuditOutcome, AuditRecord, AuditRecorder, IntentRecorder } from './audit';
import type { BudgetedCalls } from '../calls/calls';
import { errorName, isDone, SystemicCallError } from '../calls/error-class';
import { SweepStoppedError } from '../errors';
import type { ForgetCap } from './forget-cap';
import type { UserOutcome } from './page-tracker';
import { Counters, zeroCounters } from './report';
import { createdAtOf, decideDevice, deviceNameOf, isRemembered, lastUseOf } from '../input/staleness';
import type { DeviceSelection, SweepLogger } from '../types';

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
  /** Builds audit records; absent: no audit trail. */
  readonly audit?: AuditRecorder;
  /** The sink's write-ahead, when it has one: intents are durable before their forgets. */
  readonly writeAhead?: WriteAhead;
}

/** Makes a user's intended forgets durable before the calls (see AuditIntent). */
export interface WriteAhead {
  readonly intents: IntentRecorder;
  readonly intend: (intents: readonly AuditIntent[]) => Promise<void>;
  /** An intent could not be written: the run must stop, and fail. */
  readonly onFailure: (error: unknown) => void;
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

/** A user the next-check index says is not due: no call, counted as scanned and skipped. */
export function indexSkippedUserOutcome(): UserOutcome {
  const full = zeroCounters();
  full.usersScanned = 1;
  full.usersSkippedByIndex = 1;
  full.ages.usersByDeviceCount.notListed = 1;
  return { finished: true, full, lasting: zeroCounters() };
}

/** A user skipped without any call (UNCONFIRMED): counted as scanned. */
export function skippedUserOutcome(): UserOutcome {
  const full = zeroCounters();
  full.usersScanned = 1;
  full.ages.usersByDeviceCount.notListed = 1;
  return { finished: true, full, lasting: zeroCounters() };
}

/**
 * Sweeps one user; never rejects (failures are counted, a stop yields what was done so far).
 * `priority` is the user's place in the Region's sweep: earlier users' calls go first.
 */
export async function sweepUser(ctx: UserSweepContext, username: string, priority: number): Promise<SweptUser> {
  const full = zeroCounters();
  const lasting = zeroCounters();
  const records: { readonly record: AuditRecord; readonly lasting: boolean }[] = [];
  const finished: UserOutcome = { finished: true, full, lasting, records };
  const interrupted: UserOutcome = { finished: false, full, lasting, records };
  const picked: PickedDevice[] = [];
  let listed = 0;
  const audit = (device: PickedDevice, outcome: AuditOutcome, error?: string): void => {
    if (ctx.audit) records.push({ record: ctx.audit.record(ctx.userPoolId, username, device, outcome, error), lasting: outcome !== 'wouldForget' });
  };
  /** The user is done: they hold what was listed minus what is gone now. */
  const held = (gone: number): UserOutcome => {
    full.usersScanned = 1;
    full.ages.usersByDeviceCount[deviceCountBucketOf(listed - gone)]++;
    return finished;
  };
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
        listed++;
        if (decision.undated) full.devicesUndated++;
        const lastUse = lastUseOf(device);
        const created = createdAtOf(device);
        const age = ageBucketOf(lastUse, ctx.nowMs);
        const remembered = isRemembered(device);
        countDevice(full.ages, age, remembered);
        if (decision.pick && device.DeviceKey !== undefined) {
          full.devicesStale++;
          picked.push({ key: device.DeviceKey, name: deviceNameOf(device), undated: decision.undated, lastUse, created, age, remembered });
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
    if (!isDone(error, 'AdminListDevices')) {
      countError(ctx, full, lasting, 'AdminListDevices', error, username);
      full.ages.usersByDeviceCount.notListed++;
    } else {
      full.ages.usersByDeviceCount.none++;
    }
    return finished;
  }
  let gone = 0;

  // Write-ahead: a kill after a forget but before the sink's flush would lose its record, and the
  // retry would not list the device again. The intent lets the retry find it (intent-recovery.ts).
  // Users wait for it one by one while the others move on; the sink batches concurrent intents.
  const writeAhead = ctx.writeAhead;
  if (writeAhead && !ctx.dryRun && picked.length > 0) {
    try {
      await writeAhead.intend(picked.map((device) => writeAhead.intents.intent(ctx.userPoolId, username, device)));
    } catch (error) {
      writeAhead.onFailure(error);
      return interrupted;
    }
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
      audit(device, 'wouldForget');
      // Not forgotten: the device stays, so its (stale) dates make the user due again at once.
      keep(device.lastUse, device.created);
      continue;
    }
    try {
      await ctx.calls.forgetDevice({ UserPoolId: ctx.userPoolId, Username: username, DeviceKey: device.key }, priority, paces.writes);
      ctx.cap.commit();
      countDone(full, lasting, 'devicesForgotten', device);
      audit(device, 'forgotten');
      gone++;
      ctx.onForget();
    } catch (error) {
      ctx.cap.release();
      if (error instanceof SweepStoppedError) return interrupted;
      if (error instanceof SystemicCallError) return countSystemic(full, lasting, interrupted);
      if (!isDone(error, 'AdminForgetDevice')) {
        countError(ctx, full, lasting, 'AdminForgetDevice', error, username);
        audit(device, 'error', errorName(error));
        keep(device.lastUse, device.created);
      } else if (errorName(error) === 'ResourceNotFoundException') {
        countDone(full, lasting, 'devicesAlreadyGone', device);
        audit(device, 'alreadyGone');
        gone++;
      } else {
        // The user was deleted meanwhile: every device still picked is gone with them, and so are the others.
        for (const left of picked.slice(i)) {
          countDone(full, lasting, 'devicesAlreadyGone', left);
          audit(left, 'alreadyGone');
        }
        return held(listed);
      }
    }
  }
  return { ...held(gone), oldestRemainingUseMs: oldestKept, oldestRemainingCreateMs: oldestCreatedKept };
}

/** A device the selection picked. */
interface PickedDevice extends AuditedDevice {
  readonly undated: boolean;
  readonly created: number | undefined;
  readonly age: keyof AgeBuckets;
  readonly remembered: boolean;
}

/** A picked device is forgotten or gone: a later sweep of this user would not list it again. */
function countDone(full: Counters, lasting: Counters, outcome: 'devicesForgotten' | 'devicesAlreadyGone', device: PickedDevice): void {
  full[outcome]++;
  lasting[outcome]++;
  lasting.devicesScanned++;
  lasting.devicesStale++;
  if (device.undated) lasting.devicesUndated++;
  countDevice(lasting.ages, device.age, device.remembered);
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
