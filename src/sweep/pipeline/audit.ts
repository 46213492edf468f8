/**
 * The audit trail: one record per device decision that changes something (or would, in a dry run),
 * written as versioned JSON Lines by a sink the caller supplies (a file for the CLI, one S3 object
 * per slice for the workflow, later the revocation queue's consumer).
 */
import { createHmac } from 'node:crypto';
import { sealUsername, unsealUsername } from './username-seal';
import type { DeviceSelection } from '../input/device-selection';

/** Bumped on any change a reader could notice (a field renamed, removed or re-typed). Added fields keep it. */
export const AUDIT_SCHEMA_VERSION = 1;

/** Which rule picked the device. `revocation` is reserved for DeviceRevocation. */
export type AuditRule = DeviceSelection['kind'] | 'revocation';

/** What became of the device. */
export type AuditOutcome = 'forgotten' | 'alreadyGone' | 'error' | 'wouldForget';

/** One line of the audit trail. */
export interface AuditRecord {
  readonly schemaVersion: typeof AUDIT_SCHEMA_VERSION;
  /** ISO time of the decision's outcome. */
  readonly time: string;
  /** The run (every slice of a workflow execution shares it). */
  readonly runId: string;
  readonly userPoolId: string;
  /** The username; absent when `usernameHmac` replaces it. */
  readonly username?: string;
  /** Hex HMAC-SHA256 of the username under the audit key; absent without a key. */
  readonly usernameHmac?: string;
  readonly deviceKey: string;
  /** The `device_name` attribute, when the device has one. */
  readonly deviceName?: string;
  /** ISO last use (authenticated, else modified, else created); absent for an undated device. */
  readonly lastUse?: string;
  readonly rule: AuditRule;
  readonly outcome: AuditOutcome;
  /** The error's name, for outcome `error`. */
  readonly error?: string;
  /**
   * True when a retry confirmed the outcome of a forget that an earlier, killed attempt intended
   * (see AuditIntent): the device was gone when the retry looked. Absent otherwise.
   */
  readonly recovered?: true;
}

/**
 * A forget the engine is about to make (write-ahead): the `forgotten` record it will produce, made
 * durable before the call, so that a retry of a killed attempt can tell which devices that attempt
 * may have forgotten. With a username key, the username is sealed (AES-GCM under a key derived from
 * it) rather than dropped: the retry must list the user's devices to resolve the intent.
 */
export interface AuditIntent extends AuditRecord {
  /** The username sealed under the audit key, when records carry only its HMAC. */
  readonly sealedUsername?: string;
}

/**
 * Where audit records go. `add` takes a record and must not block; `flush` makes every record
 * added so far durable. The engine awaits `flush` before it returns a result (and so before a
 * cursor moves past the users of those records), and tries it before rethrowing a failure.
 */
export interface AuditSink {
  add(record: AuditRecord): void;
  flush(): Promise<void>;
  /**
   * Optional write-ahead: resolves once `intents` are durable. The engine awaits it before it forgets
   * the intended devices of a user (never in a dry run). A sink without it (a file, memory) cannot
   * lose records to a kill that the engine survives, and needs none.
   */
  intend?(intents: readonly AuditIntent[]): Promise<void>;
  /**
   * Optional, with `intend`: the intents earlier attempts of the same work (a retried slice) made
   * durable without a durable outcome record. The engine asks once, before its first call, and
   * resolves them (intent-recovery.ts) before it forgets anything.
   */
  unresolved?(): Promise<readonly AuditIntent[]>;
}

/** The engine's audit option. */
export interface AuditOptions {
  readonly sink: AuditSink;
  /** Key of the username HMAC: when given, records carry `usernameHmac` instead of the username. @default usernames in clear */
  readonly usernameKey?: string | Uint8Array;
}

/** What the engine knows of a device when it records a decision. */
export interface AuditedDevice {
  readonly key: string;
  readonly name?: string;
  readonly lastUse?: number;
}

/** Builds the records of one run: fixed run id, rule and username hashing. */
export class AuditRecorder {
  constructor(
    private readonly runId: string,
    private readonly rule: AuditRule,
    private readonly usernameKey: string | Uint8Array | undefined,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The record of one device decision. */
  record(userPoolId: string, username: string, device: AuditedDevice, outcome: AuditOutcome, error?: string): AuditRecord {
    return {
      schemaVersion: AUDIT_SCHEMA_VERSION,
      time: new Date(this.clock()).toISOString(),
      runId: this.runId,
      userPoolId,
      ...(this.usernameKey === undefined ? { username } : { usernameHmac: usernameHmac(this.usernameKey, username) }),
      deviceKey: device.key,
      ...(device.name === undefined ? {} : { deviceName: device.name }),
      ...(device.lastUse === undefined ? {} : { lastUse: new Date(device.lastUse).toISOString() }),
      rule: this.rule,
      outcome,
      ...(error === undefined ? {} : { error }),
    };
  }
}

/** Builds intents and their resolutions, with the recorder's run, rule and key. */
export class IntentRecorder {
  constructor(
    private readonly recorder: AuditRecorder,
    private readonly usernameKey: string | Uint8Array | undefined,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The intent to forget `device` of `username`. */
  intent(userPoolId: string, username: string, device: AuditedDevice): AuditIntent {
    const record = this.recorder.record(userPoolId, username, device, 'forgotten');
    return this.usernameKey === undefined ? record : { ...record, sealedUsername: sealUsername(this.usernameKey, username) };
  }

  /** The username an intent is about. @throws when sealed under another key */
  usernameOf(intent: AuditIntent): string {
    if (intent.username !== undefined) return intent.username;
    if (intent.sealedUsername === undefined || this.usernameKey === undefined) throw new Error('The intent names no username this run can read.');
    return unsealUsername(this.usernameKey, intent.sealedUsername);
  }

  /** The record resolving an intent a retry found settled: the intent's fields, now, `recovered`. */
  resolution(intent: AuditIntent, outcome: 'forgotten' | 'alreadyGone'): AuditRecord {
    const { sealedUsername: _sealed, time: _time, outcome: _outcome, ...fields } = intent;
    return { ...fields, time: new Date(this.clock()).toISOString(), outcome, recovered: true };
  }
}

/** One device of one user in one run, whatever became of it: an intent and its outcome record share it. */
export function deviceIdentity(record: AuditRecord): string {
  return JSON.stringify([record.runId, record.userPoolId, record.username ?? record.usernameHmac, record.deviceKey]);
}

/** Hex HMAC-SHA256 of `username` under `key`: an auditor with the key can find one user's records. */
export function usernameHmac(key: string | Uint8Array, username: string): string {
  return createHmac('sha256', key).update(username, 'utf8').digest('hex');
}

/** One JSON Lines line (with its newline). */
export function auditLine(record: AuditRecord): string {
  return `${JSON.stringify(record)}\n`;
}
