/** The cdk-nag findings the audit trail's own resources keep by design, each with its reason. */
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { acknowledgeInEveryPack, acknowledgeOnResource, PackRule } from '../private/nag-packs';

const REPLICATION: PackRule = { rule: 'S3BucketReplicationEnabled', packs: ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321'] };
const DEFAULT_KMS: PackRule = { rule: 'S3DefaultEncryptionKMS', packs: ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'] };
const SECRET_ROTATION: PackRule = { rule: 'SecretsManagerRotationEnabled', packs: ['HIPAA.Security', 'NIST.800.53.R5'] };
const SECRET_KMS: PackRule = { rule: 'SecretsManagerUsingKMSKey', packs: ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'] };
const DEFAULT_LOCK = 'NIST.800.53.R4-S3BucketDefaultLockEnabled';

/** The buckets a `DeviceAudit` created. */
export function acknowledgeAuditBucketFindings(records: s3.Bucket, accessLogs: s3.Bucket, customerKey: boolean, objectLock: boolean): void {
  const replication = 'Replication needs a second Region, bucket and role that only the operator can choose; the records stay ' +
    'versioned (and Object-Locked on request) here. Pass a replicated bucket of your own as `bucket` for a second copy.';
  acknowledgeInEveryPack(records, REPLICATION, replication);
  acknowledgeInEveryPack(accessLogs, REPLICATION, replication);
  if (!customerKey) {
    acknowledgeInEveryPack(records, DEFAULT_KMS,
      'S3-managed encryption (SSE-S3) is the default so the bucket needs no key policy; set encryptionKey for a customer managed KMS key.');
  }
  acknowledgeInEveryPack(accessLogs, DEFAULT_KMS,
    'S3 delivers server access logs only to a target bucket encrypted with S3-managed keys (SSE-S3), not SSE-KMS.');
  if (!objectLock) {
    acknowledgeOnResource(records, DEFAULT_LOCK,
      'Object Lock is opt-in (objectLockRetention): once on, a bucket cannot turn it off, so the operator decides; records are versioned meanwhile.');
  }
  acknowledgeOnResource(accessLogs, DEFAULT_LOCK,
    'The access logs of the audit bucket are versioned and expire by lifecycle; Object Lock on them would block that expiry.');
}

/** The HMAC key secret a `DeviceAudit` created. */
export function acknowledgeUsernameKeyFindings(secret: secretsmanager.Secret): void {
  const rotation = 'The key pseudonymizes usernames in audit records; rotating it would stop an auditor from linking one ' +
    'user\'s records across the rotation. Pass a secret of your own as usernameKey to rotate on your terms.';
  acknowledgeOnResource(secret, 'AwsSolutions-SMG4', rotation);
  acknowledgeInEveryPack(secret, SECRET_ROTATION, rotation);
  acknowledgeInEveryPack(secret, SECRET_KMS,
    'Encrypted with the AWS managed key aws/secretsmanager, readable only through the grant to the slice; pass a secret under your own key as usernameKey.');
}
