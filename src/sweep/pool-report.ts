/**
 * What a sweep reports per pool. Plain types without SDK imports: the workflow contract, which the
 * constructs' published .d.ts reach, names them.
 */
import type { AgePicture } from './pipeline/age-picture';

/** Per-pool outcome counters. */
export interface PoolReport {
  readonly userPoolId: string;
  /** Users handled: listed (or named) and not excluded, including those skipped cheaply (UNCONFIRMED, vanished, missing). */
  readonly usersScanned: number;
  /** Devices returned by AdminListDevices. */
  readonly devicesScanned: number;
  /** Devices the selection picked: what was (or, in a dry run, would have been) forgotten. */
  readonly devicesStale: number;
  /** Devices AdminForgetDevice forgot. */
  readonly devicesForgotten: number;
  /** Picked devices that were already gone when forgotten (ResourceNotFoundException / UserNotFoundException). */
  readonly devicesAlreadyGone: number;
  /** Devices without any date (never picked by the staleness rule). */
  readonly devicesUndated: number;
  /** Non-retryable failures (a user's devices could not be listed, a device could not be forgotten, a pool could not be listed). */
  readonly errors: number;
  /** Users (also in usersScanned) whose devices were not listed because the next-check index said none could be stale yet. */
  readonly usersSkippedByIndex: number;
  /**
   * Devices by age of last use at the run's reference time (remembered or not; adds up to
   * devicesScanned), and users by the devices they hold after the run (adds up to usersScanned).
   * Every report the engine makes has it; progress saved before it existed does not.
   */
  readonly ages?: AgePicture;
}

/** A pool's counters, and whether an error stopped it. */
export interface PoolResult extends PoolReport {
  /** Set when the pool was stopped by an error no retry can fix (its users from the cursor on were not swept). @default not stopped */
  readonly stopped?: PoolStop;
}

/** Why a pool was stopped: an error that no retry in this run can fix. */
export type PoolStopReason =
  /** IAM denied a call (AccessDeniedException, NotAuthorizedException). */
  | 'access-denied'
  /** The credentials were refused (expired, unknown, mis-signed). */
  | 'credentials-rejected'
  /** No credentials were found at all. */
  | 'no-credentials'
  /** The pool does not exist in the Region called. */
  | 'pool-not-found'
  /** InvalidUserPoolConfigurationException. */
  | 'pool-misconfigured'
  /** The endpoint could not be reached after the SDK's retries. */
  | 'endpoint-unreachable'
  /** The role of the pool's account could not be assumed (STS refused AssumeRole): every pool of that account stops. */
  | 'role-not-assumable';

/** A pool (or run) stopped by an error no retry can fix. */
export interface PoolStop {
  readonly reason: PoolStopReason;
  /** One line: what failed and what fixes it. */
  readonly message: string;
}
