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
  /** 1 per run that finished with errors (or a failed quota domain), or whose input the slice refused. */
  RUNS_FAILED = 'RunsFailed',
  /** 1 per run stopped by its `maxForgets` cap. */
  RUNS_CAPPED = 'RunsCapped',
  /** 1 per run that reached its end (capped or not). */
  RUNS_COMPLETED = 'RunsCompleted',
  /** Seconds from a run's first slice start to its last slice end, once per finished run. */
  RUN_DURATION = 'RunDurationSeconds',
  /** Quota domains (account and Region) whose slice loop failed, once per finished run (0 when none did). */
  DOMAINS_FAILED = 'DomainsFailed',
  /** Devices last used less than 7 days ago (each slice's own share of the run's age picture). */
  DEVICES_LAST_USED_UNDER_7_DAYS = 'DevicesLastUsedUnder7Days',
  /** Devices last used 7 to 30 days ago. */
  DEVICES_LAST_USED_7_TO_30_DAYS = 'DevicesLastUsed7To30Days',
  /** Devices last used 30 to 90 days ago. */
  DEVICES_LAST_USED_30_TO_90_DAYS = 'DevicesLastUsed30To90Days',
  /** Devices last used 90 to 180 days ago. */
  DEVICES_LAST_USED_90_TO_180_DAYS = 'DevicesLastUsed90To180Days',
  /** Devices last used 180 to 365 days ago. */
  DEVICES_LAST_USED_180_TO_365_DAYS = 'DevicesLastUsed180To365Days',
  /** Devices last used more than 365 days ago. */
  DEVICES_LAST_USED_OVER_365_DAYS = 'DevicesLastUsedOver365Days',
  /** Devices with no date at all (never picked by a dated rule). */
  DEVICES_UNDATED = 'DevicesUndated',
  /** Remembered devices among those scanned. */
  DEVICES_REMEMBERED = 'DevicesRemembered',
  /** Users holding no device after the run. */
  USERS_HOLDING_NO_DEVICE = 'UsersHoldingNoDevice',
  /** Users holding 1 device after the run. */
  USERS_HOLDING_1_DEVICE = 'UsersHolding1Device',
  /** Users holding 2 devices after the run. */
  USERS_HOLDING_2_DEVICES = 'UsersHolding2Devices',
  /** Users holding 3 to 5 devices after the run. */
  USERS_HOLDING_3_TO_5_DEVICES = 'UsersHolding3To5Devices',
  /** Users holding 6 or more devices after the run. */
  USERS_HOLDING_6_OR_MORE_DEVICES = 'UsersHolding6OrMoreDevices',
}
