/**
 * `--audit-log FILE`: the audit records as JSON Lines, appended to FILE (created owner-only, since
 * records name users). Each record is written as the engine commits it, so a crash loses none of
 * the committed ones; flush syncs the file to disk.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'fs';
import { auditLine, AuditRecord, AuditSink } from '../sweep/pipeline/audit';

/** Owner read and write only. */
const OWNER_ONLY = 0o600;

export class AuditLogFile implements AuditSink {
  private readonly fd: number;

  /** Opens (or creates, mode 0600) `path` for appending. */
  constructor(readonly path: string) {
    this.fd = openSync(path, 'a', OWNER_ONLY);
  }

  add(record: AuditRecord): void {
    writeSync(this.fd, auditLine(record));
  }

  async flush(): Promise<void> {
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}
