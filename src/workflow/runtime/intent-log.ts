/**
 * The write-ahead log of one slice's intended forgets (see AuditIntent), in S3 next to the slice's
 * record object: `_slice-000042-<hash>.intents-0000.jsonl`, `-0001`, ... Intents queued while a PUT
 * is in flight go together in the next PUT (group commit), and PUTs start at most every
 * `minPutIntervalMs`, so the cost is a few PUTs per second whatever the forget rate. A segment is
 * rewritten whole (S3 has no append) until it holds `segmentIntents` intents, then the next one
 * starts: PUT sizes stay bounded however long the slice. Segments are never overwritten by a later
 * attempt (it numbers on after the ones it found), so a retry of a retry still sees them all.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AuditObjectLocation } from './s3-audit-sink';
import { parseLines, readObject } from './s3-objects';
import type { AuditIntent } from '../../sweep/pipeline/audit';

/** Tuning of the intent log. */
export interface IntentLogOptions {
  /** Least time between the starts of two PUTs. @default 250 (at most 4 PUTs a second) */
  readonly minPutIntervalMs?: number;
  /** Intents per segment before the next one starts. @default 500 */
  readonly segmentIntents?: number;
}

/**
 * The key of segment `n` of the intent log of the slice writing `recordKey`. The leading underscore
 * hides it from Athena (which skips objects named `_...` or `.`), and its lines wrap each intent in
 * `{"intent": ...}`, so a query over the audit prefix never reads an intent as a record either way.
 */
export function intentSegmentKey(recordKey: string, n: number): string {
  const slash = recordKey.lastIndexOf('/') + 1;
  const name = recordKey.slice(slash).replace(/\.jsonl$/, '');
  return `${recordKey.slice(0, slash)}_${name}.intents-${String(n).padStart(4, '0')}.jsonl`;
}

/** One line of the log. */
interface IntentLine {
  readonly intent: AuditIntent;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class IntentLog {
  private segment = 0;
  private lines: string[] = [];
  private queued: string[] = [];
  private waiters: Waiter[] = [];
  private writing = false;
  private lastPutAt = -Infinity;
  private readonly minPutIntervalMs: number;
  private readonly segmentIntents: number;

  constructor(private readonly client: S3Client, private readonly location: AuditObjectLocation, options: IntentLogOptions = {}) {
    this.minPutIntervalMs = options.minPutIntervalMs ?? 250;
    this.segmentIntents = options.segmentIntents ?? 500;
  }

  /** Every intent earlier attempts wrote; this log's own segments follow theirs. Call once, before `append`. */
  async readEarlier(): Promise<AuditIntent[]> {
    const intents: AuditIntent[] = [];
    for (let n = 0; ; n++) {
      const text = await readObject(this.client, this.location.bucket, intentSegmentKey(this.location.key, n));
      if (text === undefined) {
        this.segment = n;
        return intents;
      }
      intents.push(...parseLines<IntentLine>(text).map((line) => line.intent));
    }
  }

  /** Resolves once `intents` are durable (in the PUT that follows the one in flight). */
  append(intents: readonly AuditIntent[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push(...intents.map((intent) => `${JSON.stringify({ intent } satisfies IntentLine)}\n`));
      this.waiters.push({ resolve, reject });
      void this.writeNext();
    });
  }

  private async writeNext(): Promise<void> {
    if (this.writing || this.waiters.length === 0) return;
    this.writing = true;
    const wait = this.lastPutAt + this.minPutIntervalMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const waiters = this.waiters.splice(0);
    const batch = this.queued.splice(0);
    const kept = this.lines.length;
    this.lines.push(...batch);
    this.lastPutAt = Date.now();
    try {
      await this.client.send(new PutObjectCommand({
        Bucket: this.location.bucket,
        Key: intentSegmentKey(this.location.key, this.segment),
        Body: this.lines.join(''),
        ContentType: 'application/x-ndjson',
      }));
      if (this.lines.length >= this.segmentIntents) {
        this.segment++;
        this.lines = [];
      }
      for (const waiter of waiters) waiter.resolve();
    } catch (error) {
      // Not durable: those forgets are not made, and their intents are not rewritten.
      this.lines.length = kept;
      for (const waiter of waiters) waiter.reject(error);
    } finally {
      this.writing = false;
      void this.writeNext();
    }
  }
}
