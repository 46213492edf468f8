import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledgeAuditBucketFindings, acknowledgeUsernameKeyFindings } from './audit-nag';
import { SliceEnvironmentVariables } from '../workflow/contract';

/** Properties of a `DeviceAudit`. */
export interface DeviceAuditProps {
  /**
   * The bucket the records go to. Its encryption, versioning, retention and access logging are
   * then yours; the construct only grants writes under `prefix`.
   * @default a bucket the construct creates: encrypted, TLS only, versioned, public access blocked, with a lifecycle rule and server access logs
   */
  readonly bucket?: s3.IBucket;
  /**
   * Key prefix of every record object; each sweep writes under `${prefix}${sweepName}/`.
   * @default 'cognito-device-audit/'
   */
  readonly prefix?: string;
  /**
   * Customer managed key of a bucket the construct creates.
   * @default S3-managed encryption (SSE-S3)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * How long records of a created bucket are kept (current versions expire then; replaced versions
   * after 30 days).
   * @default Duration.days(400)
   */
  readonly retention?: Duration;
  /**
   * Object Lock (governance mode) on a created bucket, with this default retention: records cannot
   * be deleted or overwritten before it ends, except by a principal allowed to bypass governance.
   * @default no Object Lock
   */
  readonly objectLockRetention?: Duration;
  /**
   * Record a keyed HMAC-SHA256 of each username instead of the username (records then hold no
   * personal data; with the key an auditor can still find one user's records).
   * @default false
   */
  readonly hashUsernames?: boolean;
  /**
   * The Secrets Manager secret whose string is the HMAC key, when `hashUsernames` is on.
   * @default a secret the construct creates (a random 64-character string)
   */
  readonly usernameKey?: secretsmanager.ISecret;
  /**
   * What happens to a created bucket (and its access log bucket) when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Default key prefix. */
const DEFAULT_PREFIX = 'cognito-device-audit/';

/**
 * Where the device sweeps write their audit trail: one JSON Lines record per device forgotten (or,
 * in a dry run, that would be), one S3 object per workflow slice. Pass it to `StaleDeviceCleanup`
 * or `DevicePurge` as `audit`; several sweeps may share one. The records' schema is versioned
 * (see the README, with an Athena table definition).
 *
 * @example
 * declare const pool: cognito.IUserPool;
 * const audit = new DeviceAudit(this, 'Audit', { hashUsernames: true });
 * new StaleDeviceCleanup(this, 'Cleanup', { userPools: [pool], staleAfter: Duration.days(90), audit });
 */
export class DeviceAudit extends Construct {
  /** The bucket of the records. */
  public readonly bucket: s3.IBucket;
  /** Key prefix of the records (ends with `/`, or is empty). */
  public readonly prefix: string;
  /** The server access log bucket, when the construct created the records' bucket. */
  public readonly accessLogBucket?: s3.IBucket;
  /** The HMAC key secret, when usernames are hashed. */
  public readonly usernameKey?: secretsmanager.ISecret;

  /**
   * @param scope the construct to define this one in
   * @param id the construct id, unique within `scope`
   * @param props where records go and how the bucket is kept
   */
  constructor(scope: Construct, id: string, props: DeviceAuditProps = {}) {
    super(scope, id);
    this.prefix = props.prefix ?? DEFAULT_PREFIX;
    if (this.prefix !== '' && !/^[\w!\-.*'()/]+\/$/.test(this.prefix)) {
      throw new Error(`${this.node.path}: prefix '${this.prefix}' must end with '/' and use only letters, digits and !-_.*'()/ (or be empty).`);
    }
    if (props.bucket && (props.encryptionKey || props.retention || props.objectLockRetention || props.removalPolicy)) {
      throw new Error(`${this.node.path}: encryptionKey, retention, objectLockRetention and removalPolicy apply to a bucket the construct creates; configure your own bucket yourself.`);
    }
    if (props.usernameKey && !props.hashUsernames) {
      throw new Error(`${this.node.path}: usernameKey is given but hashUsernames is off; turn it on, or leave the key out.`);
    }
    if (props.bucket) {
      this.bucket = props.bucket;
    } else {
      const created = this.createBuckets(props);
      this.bucket = created.records;
      this.accessLogBucket = created.accessLogs;
    }
    if (props.hashUsernames) {
      if (props.usernameKey) {
        this.usernameKey = props.usernameKey;
      } else {
        const secret = new secretsmanager.Secret(this, 'UsernameKey', {
          description: `HMAC key of the usernames in the Cognito device audit records of ${this.node.path}`,
          generateSecretString: { passwordLength: 64, excludePunctuation: true },
          // Records hashed under it stay linkable only while it exists.
          removalPolicy: RemovalPolicy.RETAIN,
        });
        acknowledgeUsernameKeyFindings(secret);
        this.usernameKey = secret;
      }
    }
  }

  /**
   * Lets `fn` write the records of the sweep `sweepName` and sets its environment: s3:PutObject,
   * and s3:GetObject (a retried slice keeps its first attempt's records and resolves its intents), on
   * `${prefix}${sweepName}/*` only; s3:ListBucket limited to that prefix, so that reading an object
   * no attempt wrote yet is answered 404 (S3 answers 403 to a caller that may not list); the bucket
   * key's use; reading the HMAC key. Returns the objects' ARN pattern.
   * @internal
   */
  public _bindSlice(fn: lambda.Function, sweepName: string): string {
    const objects = this.bucket.arnForObjects(`${this.prefix}${sweepName}/*`);
    fn.addEnvironment(SliceEnvironmentVariables.AUDIT_BUCKET, this.bucket.bucketName);
    fn.addEnvironment(SliceEnvironmentVariables.AUDIT_PREFIX, this.prefix);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: [objects] }));
    // Without it, the first attempt's probe for an earlier attempt's object gets AccessDenied, not NoSuchKey.
    fn.addToRolePolicy(new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [this.bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${this.prefix}${sweepName}/*`] } },
    }));
    if (this.bucket.encryptionKey) {
      // Exactly what SSE-KMS needs to write (a data key) and read back an object; no wildcard actions.
      fn.addToRolePolicy(new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.bucket.encryptionKey.keyArn],
      }));
    }
    if (this.usernameKey) {
      fn.addEnvironment(SliceEnvironmentVariables.AUDIT_USERNAME_KEY_SECRET, this.usernameKey.secretArn);
      this.usernameKey.grantRead(fn);
    }
    return objects;
  }

  private createBuckets(props: DeviceAuditProps): { records: s3.Bucket; accessLogs: s3.Bucket } {
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const common = {
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      removalPolicy,
    };
    // Access logs go to their own bucket (S3 delivers them with SSE-S3 only).
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...common,
      encryption: s3.BucketEncryption.S3_MANAGED,
      lifecycleRules: [{ expiration: props.retention ?? Duration.days(400), noncurrentVersionExpiration: Duration.days(30) }],
    });
    const records = new s3.Bucket(this, 'Bucket', {
      ...common,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: props.encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: props.encryptionKey ? true : undefined,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'records/',
      lifecycleRules: [{ expiration: props.retention ?? Duration.days(400), noncurrentVersionExpiration: Duration.days(30) }],
      objectLockEnabled: props.objectLockRetention ? true : undefined,
      objectLockDefaultRetention: props.objectLockRetention ? s3.ObjectLockRetention.governance(props.objectLockRetention) : undefined,
    });
    acknowledgeAuditBucketFindings(records, accessLogs, props.encryptionKey !== undefined, props.objectLockRetention !== undefined);
    return { records, accessLogs };
  }
}
