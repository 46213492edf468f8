import { Duration, Token } from 'aws-cdk-lib';
import { validateDatedRules, validateMaxDeviceAge, validateUsernames as validateUsernameList } from '../private/sweep-prop-checks';
import type { DeviceSelection } from '../sweep/input/device-selection';
import { MAX_USERNAMES } from '../sweep/input/rules';

/** Options of `PurgeSelection.staleDevices`. */
export interface StaleDevicesOptions {
  /**
   * Also forget devices created longer ago than this, however recently used (a trust lifetime).
   * At least one day.
   * @default - no trust lifetime: staleness alone decides
   */
  readonly maxDeviceAge?: Duration;
}

/**
 * Which remembered devices a `DevicePurge` forgets.
 *
 * @example
 * PurgeSelection.staleDevices(Duration.days(30));
 * PurgeSelection.staleDevices(Duration.days(30), { maxDeviceAge: Duration.days(365) });
 * PurgeSelection.devicesOlderThan(Duration.days(90));
 * PurgeSelection.allDevices();
 * PurgeSelection.users(['alice', 'bob']);
 */
export class PurgeSelection {
  /**
   * Most usernames one `PurgeSelection.users` may name. The names travel in the custom resource's
   * properties, and CloudFormation templates and events should stay small; purge more users with
   * several purges or with the `cognito-device-sweep` CLI.
   */
  public static readonly MAX_USERNAMES = MAX_USERNAMES;

  /**
   * Devices whose last use is older than `staleAfter`.
   *
   * Last use is the device's last authentication, else its last modification, else its creation.
   * Devices that carry none of these dates are never forgotten by this selection.
   *
   * With `options.maxDeviceAge`, devices created longer ago than that are forgotten too (either
   * rule picks a device).
   *
   * @param staleAfter at least one day
   * @param options a trust lifetime to apply as well
   */
  public static staleDevices(staleAfter: Duration, options: StaleDevicesOptions = {}): PurgeSelection {
    validateDatedRules('PurgeSelection.staleDevices', staleAfter, options.maxDeviceAge);
    return new PurgeSelection({
      kind: 'stale',
      staleAfterSeconds: staleAfter.toSeconds(),
      ...(options.maxDeviceAge === undefined ? {} : { maxDeviceAgeSeconds: options.maxDeviceAge.toSeconds() }),
    });
  }

  /**
   * Devices created longer ago than `maxDeviceAge`, however recently used: the end of a trust
   * lifetime, after which users pass MFA again on every device. Devices without a creation date
   * are never forgotten by this selection.
   *
   * @param maxDeviceAge at least one day
   */
  public static devicesOlderThan(maxDeviceAge: Duration): PurgeSelection {
    validateMaxDeviceAge('PurgeSelection.devicesOlderThan', maxDeviceAge);
    return new PurgeSelection({ kind: 'stale', maxDeviceAgeSeconds: maxDeviceAge.toSeconds() });
  }

  /** Every remembered device of every user of the pool. */
  public static allDevices(): PurgeSelection {
    return new PurgeSelection({ kind: 'all' });
  }

  /**
   * Every remembered device of the named users. A name the pool does not know is counted as
   * already gone, not as an error.
   *
   * @param usernames 1 to 100 usernames, as Cognito knows them (the `username`, not an alias)
   */
  public static users(usernames: string[]): PurgeSelection {
    validateUsernames(usernames);
    return new PurgeSelection({ kind: 'users', usernames: [...usernames] });
  }

  private constructor(private readonly selection: DeviceSelection) {}

  /**
   * The selection in the sweep workflow's execution input.
   *
   * @internal
   */
  public _toSweepSelection(): DeviceSelection {
    return this.selection;
  }
}

function validateUsernames(usernames: string[]): void {
  if (usernames.length === 0 && !Token.isUnresolved(usernames)) {
    throw new Error('PurgeSelection.users: give at least one username (use PurgeSelection.allDevices() to purge every user).');
  }
  // Count, emptiness and length: the rule every layer applies (sweep/input/rules).
  validateUsernameList('PurgeSelection.users', 'usernames', usernames);
  const seen = new Set<string>();
  for (const name of usernames) {
    if (!Token.isUnresolved(name) && seen.has(name)) {
      throw new Error(`PurgeSelection.users: username "${name}" is listed twice; list each user once.`);
    }
    seen.add(name);
  }
}
