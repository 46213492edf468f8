import { Duration, Token } from 'aws-cdk-lib';
import { checkStaleAfter } from '../private/sweep-prop-checks';
import type { DeviceSelection } from '../sweep/types';

/** Cognito usernames are at most 128 characters. */
const MAX_USERNAME_LENGTH = 128;

/**
 * Which remembered devices a `DevicePurge` forgets.
 *
 * @example
 * PurgeSelection.staleDevices(Duration.days(30));
 * PurgeSelection.allDevices();
 * PurgeSelection.users(['alice', 'bob']);
 */
export class PurgeSelection {
  /**
   * Most usernames one `PurgeSelection.users` may name. The names travel in the custom resource's
   * properties, and CloudFormation templates and events should stay small; purge more users with
   * several purges or with the `cognito-device-sweep` CLI.
   */
  public static readonly MAX_USERNAMES = 100;

  /**
   * Devices whose last use is older than `staleAfter`.
   *
   * Last use is the device's last authentication, else its last modification, else its creation.
   * Devices that carry none of these dates are never forgotten by this selection.
   *
   * @param staleAfter at least one day
   */
  public static staleDevices(staleAfter: Duration): PurgeSelection {
    checkStaleAfter('PurgeSelection.staleDevices', staleAfter);
    return new PurgeSelection({ kind: 'stale', staleAfterSeconds: staleAfter.toSeconds() });
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
  if (Token.isUnresolved(usernames)) {
    throw new Error('PurgeSelection.users: give the usernames as a literal list, not a token; they are checked at synth time.');
  }
  if (usernames.length === 0) {
    throw new Error('PurgeSelection.users: give at least one username (use PurgeSelection.allDevices() to purge every user).');
  }
  if (usernames.length > PurgeSelection.MAX_USERNAMES) {
    throw new Error(
      `PurgeSelection.users: ${usernames.length} usernames given, at most ${PurgeSelection.MAX_USERNAMES} fit in one purge; ` +
      'split them over several DevicePurge constructs or use the cognito-device-sweep CLI.',
    );
  }
  const seen = new Set<string>();
  usernames.forEach((name, index) => {
    if (Token.isUnresolved(name)) {
      return; // a token (e.g. a parameter) is resolved at deploy time; Cognito checks it then
    }
    if (name.trim().length === 0) {
      throw new Error(`PurgeSelection.users: username #${index + 1} is empty; give the username as Cognito knows it.`);
    }
    if (name.length > MAX_USERNAME_LENGTH) {
      throw new Error(
        `PurgeSelection.users: username #${index + 1} has ${name.length} characters; Cognito usernames have at most ${MAX_USERNAME_LENGTH}.`,
      );
    }
    if (seen.has(name)) {
      throw new Error(`PurgeSelection.users: username "${name}" is listed twice; list each user once.`);
    }
    seen.add(name);
  });
}
