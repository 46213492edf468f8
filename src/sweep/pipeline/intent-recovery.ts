/**
 * Resolving the intents a killed attempt left behind (see AuditIntent). Runs before the Region's
 * sweep forgets anything, with one AdminListDevices per intended user (every page) through the
 * Region's limiters: an intended device that is gone was forgotten by the killed attempt and is
 * recorded `forgotten` with `recovered: true`; a device still there is left to the sweep, which
 * decides it again (and writes its own intent first). A user gone altogether makes their intents
 * `alreadyGone` (the retry cannot tell the killed attempt's forget from the deletion).
 *
 * Resolving first, rather than as the sweep meets the users, keeps it independent of how far this
 * attempt gets (its deadline, the cap, the next-check index, a stopped pool): nothing is carried
 * to the next slice. The price is one extra device listing per intended user, paid only by a retry.
 */
import type { AuditIntent, AuditRecord, IntentRecorder } from './audit';
import { deviceIdentity } from './audit';
import type { Counters } from './report';
import type { BudgetedCalls } from '../calls/calls';
import { isDone } from '../calls/error-class';

/** The intents among `intents` that belong to one quota domain's pools. */
export function intentsOfPools(intents: readonly AuditIntent[], userPoolIds: readonly string[]): AuditIntent[] {
  return intents.filter((intent) => userPoolIds.includes(intent.userPoolId));
}

/** What resolving needs from the Region's sweep. */
export interface IntentRecoveryContext {
  readonly calls: BudgetedCalls;
  readonly intents: IntentRecorder;
  readonly counters: ReadonlyMap<string, Counters>;
  /** Takes each resolving record (a lasting outcome: it goes to the sink at once). */
  readonly add: (record: AuditRecord) => void;
  /** Counts a recovered forget against maxForgets. */
  readonly countForget: () => void;
  /** Users resolved at once. */
  readonly usersInFlight: number;
  /** Next call priority of the Region (earlier users' calls go first). */
  readonly order: { next: number };
}

/** A listing that failed for good: the intents stay unresolved, so this attempt must not succeed. */
export class IntentRecoveryError extends Error {
  constructor(readonly unresolved: number, cause: unknown) {
    super(`Could not resolve ${unresolved} audit intent(s) of an earlier attempt: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'IntentRecoveryError';
  }
}

/** Resolves `intents` (of this Region's pools); rejects with IntentRecoveryError if any user could not be listed. */
export async function recoverIntents(ctx: IntentRecoveryContext, intents: readonly AuditIntent[]): Promise<void> {
  const users = new Map<string, { userPoolId: string; username: string; intents: Map<string, AuditIntent> }>();
  for (const intent of intents) {
    const username = ctx.intents.usernameOf(intent);
    const key = JSON.stringify([intent.userPoolId, username]);
    const user = users.get(key) ?? { userPoolId: intent.userPoolId, username, intents: new Map<string, AuditIntent>() };
    // Two attempts may have intended the same device: one record.
    user.intents.set(deviceIdentity(intent), intent);
    users.set(key, user);
  }
  const queue = [...users.values()];
  let failure: unknown;
  let failed = 0;
  const worker = async (): Promise<void> => {
    for (let user = queue.shift(); user; user = queue.shift()) {
      try {
        await resolveUser(ctx, user.userPoolId, user.username, [...user.intents.values()]);
      } catch (error) {
        failure ??= error;
        failed += user.intents.size;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(ctx.usersInFlight, queue.length) }, worker));
  if (failure !== undefined) throw new IntentRecoveryError(failed, failure);
}

async function resolveUser(ctx: IntentRecoveryContext, userPoolId: string, username: string, intents: readonly AuditIntent[]): Promise<void> {
  const priority = ctx.order.next++;
  const pace = ctx.calls.userPaces().reads;
  const present = new Set<string>();
  let userGone = false;
  try {
    let token: string | undefined;
    do {
      const page = await ctx.calls.listDevices({ UserPoolId: userPoolId, Username: username, Limit: 60, PaginationToken: token }, priority, pace);
      for (const device of page.Devices ?? []) if (device.DeviceKey !== undefined) present.add(device.DeviceKey);
      token = page.PaginationToken;
    } while (token);
  } catch (error) {
    if (!isDone(error, 'AdminListDevices')) throw error;
    userGone = true;
  }
  const counters = ctx.counters.get(userPoolId)!;
  for (const intent of intents) {
    if (present.has(intent.deviceKey)) continue;
    const outcome = userGone ? 'alreadyGone' : 'forgotten';
    ctx.add(ctx.intents.resolution(intent, outcome));
    // The killed attempt's counts were lost with it: its forget counts (and against maxForgets).
    // Its listing does not (the device's remembered status, which the age picture needs, is gone).
    if (outcome === 'forgotten') {
      counters.devicesForgotten++;
      ctx.countForget();
    } else {
      counters.devicesAlreadyGone++;
    }
  }
}
