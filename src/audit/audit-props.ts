import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DeviceAudit } from './device-audit';
import { validationError } from '../private/validation-error';

/** The audit options every sweep construct takes. */
export interface AuditProps {
  readonly audit?: DeviceAudit;
  readonly auditBucket?: s3.IBucket;
}

/** The audit trail a sweep construct writes to: `audit`, or one on `auditBucket`, or none. */
export function resolveAudit(scope: Construct, props: AuditProps): DeviceAudit | undefined {
  if (props.audit && props.auditBucket) {
    throw validationError(scope, 'give audit or auditBucket, not both (a DeviceAudit names its own bucket).');
  }
  return props.audit ?? (props.auditBucket ? new DeviceAudit(scope, 'Audit', { bucket: props.auditBucket }) : undefined);
}
