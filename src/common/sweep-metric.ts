/**
 * The metrics the sweep's slice Lambda publishes, in namespace `CognitoDeviceSweep` with the
 * dimension `SweepName`. Pass one to `metricSweep()` of `DevicePurge` or `StaleDeviceCleanup`.
 * Plain TypeScript: the slice Lambda emits exactly these names.
 */
export enum SweepMetric {
  /** Users listed (or named) and not excluded. */
  USERS_SCANNED = 'UsersScanned',
  /** Devices returned by AdminListDevices. */
  DEVICES_SCANNED = 'DevicesScanned',
  /** Devices the selection picked (forgotten, or in a dry run: would be forgotten). */
  DEVICES_STALE = 'DevicesStale',
  /** Devices forgotten (in a dry run: none). */
  DEVICES_FORGOTTEN = 'DevicesForgotten',
  /** Picked devices (or their users) that were already gone when forgotten. */
  DEVICES_ALREADY_GONE = 'DevicesAlreadyGone',
  /** Calls that failed for good (a user's devices not listed, a device not forgotten). */
  ERRORS = 'Errors',
  /** Users whose devices were not listed because the next-check index showed none could be stale yet. */
  USERS_SKIPPED_BY_INDEX = 'UsersSkippedByIndex',
  /** Calls Cognito throttled (each was retried). */
  THROTTLED = 'Throttled',
  /** 1 per run that finished with errors, or whose input the slice refused. */
  RUNS_FAILED = 'RunsFailed',
  /** 1 per run stopped by its `maxForgets` cap. */
  RUNS_CAPPED = 'RunsCapped',
  /** 1 per run that reached its end (capped or not). */
  RUNS_COMPLETED = 'RunsCompleted',
}
