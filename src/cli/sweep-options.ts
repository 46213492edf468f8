import type { CliOptions } from './options';
import { scaledQuotas } from '../sweep';
import { ADJUSTABLE_CATEGORIES } from '../sweep/rate/provisioned-limits';
import { PER_USER_RATE } from '../sweep/rate/user-pace';
import type { QuotaCategory, SweepOptions } from '../sweep/types';

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
      baseQuotas: baseQuotas(options),
      perUserRatePerSecond: PER_USER_RATE * options.quotaScale,
      ...(options.readProvisionedLimits ? { readProvisionedLimits: true } : {}),
    },
  };
}

/**
 * The documented quotas (times quotaScale), except those read from the account with
 * --read-provisioned-limits: an explicit base quota would win over the limit read (a time-scaled
 * simulator reports its limits scaled, as its buckets run).
 */
function baseQuotas(options: CliOptions): Partial<Record<QuotaCategory, number>> {
  const quotas: Partial<Record<QuotaCategory, number>> = scaledQuotas(options.quotaScale);
  if (options.readProvisionedLimits) for (const category of ADJUSTABLE_CATEGORIES) delete quotas[category];
  return quotas;
}
