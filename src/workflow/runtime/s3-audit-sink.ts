/**
 * The slice's audit sink: every record of one slice in ONE S3 object, under a key derived from the
 * run and the slice's place in it, so a retried slice (same input) writes the same key. Flushing
 * first reads what an earlier attempt of the slice wrote there and keeps it: devices that attempt
 * forgot are not listed again by the retry, so overwriting alone would drop their records.
 */
import { createHash } from 'crypto';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { auditLine, AuditRecord, AuditSink } from '../../sweep/pipeline/audit';

/** Where a slice writes. */
export interface AuditObjectLocation {
  readonly bucket: string;
  readonly key: string;
}

/**
 * The object key of one slice: `${prefix}${sweepName}/${executionName}/slice-000042-<hash>.jsonl`,
 * where the hash is of the cursor the slice starts from (none for the first). A retry of the slice
 * gets the same input, so the same key; execution names are unique per state machine.
 */
export function auditObjectKey(prefix: string, sweepName: string, executionName: string, slice: number, cursor: string | undefined): string {
  const start = createHash('sha256').update(cursor ?? '').digest('hex').slice(0, 16);
  return `${prefix}${sweepName}/${executionName}/slice-${String(slice).padStart(6, '0')}-${start}.jsonl`;
}

export class S3AuditSink implements AuditSink {
  private readonly records: AuditRecord[] = [];
  private readonly seen = new Set<string>();
  private earlierAttemptRead = false;

  constructor(private readonly client: S3Client, readonly location: AuditObjectLocation) {}

  add(record: AuditRecord): void {
    const identity = identityOf(record);
    if (this.seen.has(identity)) return;
    this.seen.add(identity);
    this.records.push(record);
  }

  /** Writes every record of the slice so far (an earlier attempt's first) as one object. */
  async flush(): Promise<void> {
    if (!this.earlierAttemptRead) {
      const earlier = await this.readEarlierAttempt();
      // The earlier attempt's records go first; a record this attempt repeats (a dry run's) is kept once.
      const mine = this.records.splice(0);
      this.seen.clear();
      for (const record of [...earlier, ...mine]) this.add(record);
      this.earlierAttemptRead = true;
    }
    await this.client.send(new PutObjectCommand({
      Bucket: this.location.bucket,
      Key: this.location.key,
      Body: this.records.map(auditLine).join(''),
      ContentType: 'application/x-ndjson',
    }));
  }

  private async readEarlierAttempt(): Promise<AuditRecord[]> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.location.key }));
      const text = (await object.Body?.transformToString('utf-8')) ?? '';
      return text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as AuditRecord);
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return [];
      throw error;
    }
  }
}

/** One decision about one device: the same device decided the same way is one record. */
function identityOf(record: AuditRecord): string {
  return JSON.stringify([record.runId, record.userPoolId, record.username ?? record.usernameHmac, record.deviceKey, record.outcome]);
}
