/**
 * The slice's audit sink: every record of one slice in ONE S3 object, under a key derived from the
 * run and the slice's place in it, so a retried slice (same input) writes the same key. Flushing
 * first reads what an earlier attempt of the slice wrote there and keeps it: devices that attempt
 * forgot are not listed again by the retry, so overwriting alone would drop their records.
 *
 * A hard kill (a Lambda timeout, a crash) loses the records not yet flushed, so the sink also keeps
 * a write-ahead log of intended forgets next to the record object (intent-log.ts); the retry reads
 * it back through `unresolved()` and the engine resolves what the killed attempt may have done.
 */
import { createHash } from 'crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { IntentLog, IntentLogOptions } from './intent-log';
import type { SweepDomain } from '../contract';
import { parseLines, readObject } from './s3-objects';
import { auditLine, AuditIntent, AuditRecord, AuditSink, deviceIdentity } from '../../sweep/pipeline/audit';

/** Where a slice writes. */
export interface AuditObjectLocation {
  readonly bucket: string;
  readonly key: string;
}

/**
 * The object key of one slice: `${prefix}${sweepName}/${executionName}/slice-000042-<hash>.jsonl`,
 * where the hash is of the cursor the slice starts from (none for the first). A retry of the slice
 * gets the same input, so the same key; execution names are unique per state machine. A slice of a
 * quota domain's loop writes under its domain's folder, `.../${executionName}/210987654321-eu-west-1/slice-...`
 * (`own-eu-west-1` for the workflow's own account): parallel domains number their slices alike and
 * start from no cursor alike, so they must never share a key (its intent log follows its key).
 */
export function auditObjectKey(
  prefix: string, sweepName: string, executionName: string, slice: number, cursor: string | undefined, domain?: SweepDomain,
): string {
  const start = createHash('sha256').update(cursor ?? '').digest('hex').slice(0, 16);
  const folder = domain ? `${domainFolder(domain)}/` : '';
  return `${prefix}${sweepName}/${executionName}/${folder}slice-${String(slice).padStart(6, '0')}-${start}.jsonl`;
}

/** The key segment of a quota domain: `<account>-<region>`, `own-<region>` for the workflow's own credentials. */
export function domainFolder(domain: SweepDomain): string {
  return `${domain.accountId ?? 'own'}-${domain.region}`;
}

/** What earlier attempts of the slice left: their flushed records and their intents. */
interface EarlierAttempts {
  readonly records: readonly AuditRecord[];
  readonly intents: readonly AuditIntent[];
}

export class S3AuditSink implements AuditSink {
  private readonly records: AuditRecord[] = [];
  private readonly seen = new Set<string>();
  private earlier?: Promise<EarlierAttempts>;
  private earlierMerged = false;
  private readonly log: IntentLog;

  constructor(private readonly client: S3Client, readonly location: AuditObjectLocation, options: IntentLogOptions = {}) {
    this.log = new IntentLog(client, location, options);
  }

  add(record: AuditRecord): void {
    const identity = identityOf(record);
    if (this.seen.has(identity)) return;
    this.seen.add(identity);
    this.records.push(record);
  }

  /** Writes every record of the slice so far (an earlier attempt's first) as one object. */
  async flush(): Promise<void> {
    const earlier = await this.readEarlier();
    if (!this.earlierMerged) {
      // The earlier attempt's records go first; a record this attempt repeats (a dry run's) is kept once.
      const mine = this.records.splice(0);
      this.seen.clear();
      for (const record of [...earlier.records, ...mine]) this.add(record);
      this.earlierMerged = true;
    }
    await this.client.send(new PutObjectCommand({
      Bucket: this.location.bucket,
      Key: this.location.key,
      Body: this.records.map(auditLine).join(''),
      ContentType: 'application/x-ndjson',
    }));
  }

  /** Group-committed to the slice's intent log; resolves once durable. */
  async intend(intents: readonly AuditIntent[]): Promise<void> {
    // New segments go after the earlier attempts', which must stay readable.
    await this.readEarlier();
    await this.log.append(intents);
  }

  /** The earlier attempts' intents with no flushed outcome record (any outcome settles one). */
  async unresolved(): Promise<readonly AuditIntent[]> {
    const earlier = await this.readEarlier();
    const recorded = new Set(earlier.records.map(deviceIdentity));
    return earlier.intents.filter((intent) => !recorded.has(deviceIdentity(intent)));
  }

  private readEarlier(): Promise<EarlierAttempts> {
    this.earlier ??= Promise.all([this.readRecords(), this.log.readEarlier()]).then(([records, intents]) => ({ records, intents }));
    // A failed read is tried again by the next call.
    this.earlier.catch(() => {
      this.earlier = undefined;
    });
    return this.earlier;
  }

  private async readRecords(): Promise<AuditRecord[]> {
    const text = await readObject(this.client, this.location.bucket, this.location.key);
    return parseLines(text ?? '');
  }
}

/** One decision about one device: the same device decided the same way is one record. */
function identityOf(record: AuditRecord): string {
  return JSON.stringify([record.runId, record.userPoolId, record.username ?? record.usernameHmac, record.deviceKey, record.outcome]);
}

