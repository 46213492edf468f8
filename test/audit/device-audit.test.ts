import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CognitoDeviceChecks, DeviceAudit, DevicePurge, PurgeSelection, StaleDeviceCleanup } from '../../src';
import { allBuiltInPacks, nagFindings } from '../util/nag';

function stack(): { app: App; stack: Stack; pool: cognito.IUserPool } {
  const app = new App();
  const s = new Stack(app, 'AuditStack', { env: { account: '111111111111', region: 'eu-west-1' } });
  return { app, stack: s, pool: cognito.UserPool.fromUserPoolId(s, 'Pool', 'eu-west-1_AAAAAAAAA') };
}

/** The slice function's role policy statements that name S3 actions. */
function s3Statements(template: Template): Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }> {
  const policies = template.findResources('AWS::IAM::ManagedPolicy');
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement)
    .filter((st: any) => [st.Action].flat().some((a: string) => a.startsWith('s3:')));
}

describe('the bucket DeviceAudit creates', () => {
  test('is S3-managed encrypted, TLS only, versioned, private, expires records, and logs access to its own log bucket', () => {
    const { stack: s } = stack();
    new DeviceAudit(s, 'Audit');
    const template = Template.fromStack(s);

    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: 'records/' },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 400, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' })] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
    expect(JSON.stringify(template.toJSON())).not.toContain('ObjectLockEnabled');
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  test('uses the customer key, Object Lock in governance mode and the retention asked for', () => {
    const { stack: s } = stack();
    const key = new kms.Key(s, 'Key', { enableKeyRotation: true });
    new DeviceAudit(s, 'Audit', { encryptionKey: key, objectLockRetention: Duration.days(365), retention: Duration.days(730) });
    Template.fromStack(s).hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() }, BucketKeyEnabled: true }] },
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } } },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 730 })] },
    });
  });

  test('refuses settings that cannot apply', () => {
    const { stack: s } = stack();
    const bucket = s3.Bucket.fromBucketName(s, 'Mine', 'my-bucket');
    expect(() => new DeviceAudit(s, 'A', { bucket, retention: Duration.days(1) })).toThrow(/apply to a bucket the construct creates/);
    expect(() => new DeviceAudit(s, 'B', { prefix: 'no-slash' })).toThrow(/must end with '\/'/);
  });
});

describe('a sweep with an audit trail', () => {
  test('StaleDeviceCleanup: the slice may put and get objects under its own prefix only, and reads the HMAC key', () => {
    const { stack: s, pool } = stack();
    const audit = new DeviceAudit(s, 'Audit', { hashUsernames: true });
    const cleanup = new StaleDeviceCleanup(s, 'Cleanup', { userPools: [pool], staleAfter: Duration.days(90), audit });
    const template = Template.fromStack(s);

    const statements = s3Statements(template);
    expect(statements).toHaveLength(2);
    expect([statements[0].Action].flat().sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(JSON.stringify(statements[0].Resource)).toContain(`/cognito-device-audit/${cleanup.sweepName}/*`);
    // Listing, on its own prefix only: a missing object is then a 404 (NoSuchKey), not a 403.
    expect(statements[1]).toMatchObject({
      Action: 's3:ListBucket',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^AuditBucket/), 'Arn'] },
      Condition: { StringLike: { 's3:prefix': [`cognito-device-audit/${cleanup.sweepName}/*`] } },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          AUDIT_BUCKET: { Ref: Match.stringLikeRegexp('AuditBucket') },
          AUDIT_PREFIX: 'cognito-device-audit/',
          AUDIT_USERNAME_KEY_SECRET: { Ref: Match.stringLikeRegexp('AuditUsernameKey') },
        }),
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Resource: { Ref: Match.stringLikeRegexp('AuditUsernameKey') },
        })]),
      },
    });
  });

  test('DevicePurge with auditBucket: records go to that bucket, no bucket is created', () => {
    const { stack: s, pool } = stack();
    const bucket = s3.Bucket.fromBucketName(s, 'Mine', 'my-audit-bucket');
    const purge = new DevicePurge(s, 'Purge', { userPool: pool, selection: PurgeSelection.allDevices(), auditBucket: bucket });
    const template = Template.fromStack(s);

    template.resourceCountIs('AWS::S3::Bucket', 0);
    const statements = s3Statements(template);
    expect(statements).toHaveLength(2);
    expect(JSON.stringify(statements[0].Resource)).toContain(`:s3:::my-audit-bucket/cognito-device-audit/${purge.sweepName}/*`);
    expect(JSON.stringify(statements[1].Resource)).toContain(':s3:::my-audit-bucket"');
    expect(statements[1].Condition).toEqual({ StringLike: { 's3:prefix': [`cognito-device-audit/${purge.sweepName}/*`] } });
    expect(() => new StaleDeviceCleanup(s, 'Both', {
      userPools: [pool], staleAfter: Duration.days(9), auditBucket: bucket, audit: new DeviceAudit(s, 'A', { bucket }),
    })).toThrow(/not both/);
  });

  test.each([
    ['defaults', {}],
    ['hashed usernames, a customer key and Object Lock', { hashUsernames: true, objectLockRetention: Duration.days(30) }],
  ])('passes the six cdk-nag packs and CognitoDeviceChecks with zero findings (%s)', (_, options) => {
    const { app, stack: s, pool } = stack();
    const key = 'objectLockRetention' in options ? new kms.Key(s, 'Key', { enableKeyRotation: true }) : undefined;
    const audit = new DeviceAudit(s, 'Audit', { ...options, encryptionKey: key });
    new StaleDeviceCleanup(s, 'Cleanup', { userPools: [pool], staleAfter: Duration.days(90), audit });
    new DevicePurge(s, 'Purge', { userPool: pool, selection: PurgeSelection.allDevices(), audit });

    expect(nagFindings(app, [...allBuiltInPacks(), new CognitoDeviceChecks()])).toEqual([]);
  });
});
