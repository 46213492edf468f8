import type { CliOptions } from './options';
import { scaledQuotas } from '../sweep';
import { PER_USER_RATE } from '../sweep/rate/user-pace';
import type { SweepOptions } from '../sweep/types';

/** The engine options of a CLI run, except the callbacks (clients, progress, logger) that runCli adds. */
export function toSweepOptions(options: CliOptions): SweepOptions {
  return {
    userPoolIds: [...options.userPoolIds],
    ...(options.accountRoles.length > 0 ? { accountRoles: [...options.accountRoles] } : {}),
    ...(options.stsEndpointUrl === undefined ? {} : { stsEndpoint: options.stsEndpointUrl }),
    // The profile's credentials also assume the --assume-role roles.
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    selection: options.selection,
    dryRun: options.dryRun,
    maxForgets: options.maxForgets,
    rateBudget: {
      fraction: options.rateBudget,
      // quotaScale is 1 against AWS; a time-scaled simulator has quotas that many times higher.
      baseQuotas: scaledQuotas(options.quotaScale),
      perUserRatePerSecond: PER_USER_RATE * options.quotaScale,
    },
  };
}
