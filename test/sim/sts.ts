/**
 * The simulator's accounts and STS (issue 19): roles that exist in an account and whom they trust,
 * AssumeRole in the query protocol the SDK's STS client speaks (form POST `Action=AssumeRole`, XML
 * answer), and the sessions it issued: their access key ids map a signed request to its account.
 */
import { randomBytes } from 'node:crypto';
import { SimError } from './errors';

/** The account every pool is in and every caller signs as unless told otherwise (the one of the denial messages). */
export const DEFAULT_ACCOUNT_ID = '123456789012';

/** A role STS can issue sessions of. */
export interface SimRole {
  /** `arn:aws:iam::<account>:role/<name>`: the sessions' calls are that account's. */
  readonly roleArn: string;
  /** The ExternalId the trust policy requires. @default none required */
  readonly externalId?: string;
  /** The prefix the trust policy requires of the session name. @default any name */
  readonly sessionNamePrefix?: string;
  /** Accounts whose principals the role trusts. @default the default account */
  readonly trustedAccounts?: readonly string[];
}

/** A session STS issued. */
export interface SimSession {
  readonly accessKeyId: string;
  readonly accountId: string;
  readonly roleArn: string;
  readonly sessionName: string;
  /** Epoch ms (Date.now) at which its credentials expire. */
  readonly expiresMs: number;
}

/** Who signed a request. */
export interface SimCaller {
  readonly accountId: string;
  /** The assumed role's ARN, or undefined for the default credentials. */
  readonly roleArn?: string;
  readonly session?: SimSession;
}

/** The account of a role ARN. */
export function accountOfRole(roleArn: string): string | undefined {
  return /^arn:aws[a-z-]*:iam::(\d{12}):role\//.exec(roleArn)?.[1];
}

/** The access key id of a SigV4 Authorization header. */
export function accessKeyOf(authorization: string | undefined): string | undefined {
  return authorization ? /Credential=([^/]+)\//.exec(authorization)?.[1] : undefined;
}

/** STS's query-protocol error (HTTP 403 for AccessDenied). */
export class StsError extends SimError {}

/** The roles and the sessions of a simulator. */
export class SimSts {
  private roles = new Map<string, SimRole>();
  private readonly sessions = new Map<string, SimSession>();
  /** AssumeRole calls answered, and refused. */
  readonly counts = { calls: 0, refused: 0 };

  /**
   * @param lifetimeSeconds how long issued credentials live (their Expiration); undefined: the
   *   requested DurationSeconds (default 3600)
   */
  constructor(private readonly lifetimeSeconds?: number) {}

  /** Replaces the roles. */
  setRoles(roles: readonly SimRole[]): void {
    for (const role of roles) if (!accountOfRole(role.roleArn)) throw new Error(`setRoles: '${role.roleArn}' is not a role ARN`);
    this.roles = new Map(roles.map((r) => [r.roleArn, r]));
  }

  /** The caller of a request signed with `accessKeyId`. */
  callerOf(accessKeyId: string | undefined): SimCaller {
    const session = accessKeyId === undefined ? undefined : this.sessions.get(accessKeyId);
    return session ? { accountId: session.accountId, roleArn: session.roleArn, session } : { accountId: DEFAULT_ACCOUNT_ID };
  }

  /** Every session issued so far. */
  get issued(): SimSession[] {
    return [...this.sessions.values()];
  }

  /** Answers an AssumeRole request (form fields) from `caller`: the XML body, or a refusal. */
  assumeRole(form: URLSearchParams, caller: SimCaller): string | SimError {
    this.counts.calls++;
    const roleArn = form.get('RoleArn') ?? '';
    const sessionName = form.get('RoleSessionName') ?? '';
    const role = this.roles.get(roleArn);
    const principal = caller.roleArn
      ? `arn:aws:sts::${caller.accountId}:assumed-role/${caller.roleArn.split('/').pop()}/${caller.session!.sessionName}`
      : `arn:aws:iam::${caller.accountId}:user/sweeper`;
    const trusted = role !== undefined &&
      (role.trustedAccounts ?? [DEFAULT_ACCOUNT_ID]).includes(caller.accountId) &&
      (role.externalId === undefined || form.get('ExternalId') === role.externalId) &&
      (role.sessionNamePrefix === undefined || sessionName.startsWith(role.sessionNamePrefix));
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
      this.counts.refused++;
      return new StsError('ValidationError', `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint`, 400);
    }
    if (!trusted) {
      this.counts.refused++;
      return new StsError('AccessDenied', `User: ${principal} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
    }
    const accountId = accountOfRole(roleArn)!;
    const seconds = this.lifetimeSeconds ?? Number(form.get('DurationSeconds') ?? 3600);
    const session: SimSession = {
      accessKeyId: `ASIASIM${randomBytes(6).toString('hex').toUpperCase()}`,
      accountId,
      roleArn,
      sessionName,
      expiresMs: Date.now() + seconds * 1000,
    };
    this.sessions.set(session.accessKeyId, session);
    const roleName = roleArn.split('/').pop();
    return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>AROASIM${accountId}:${sessionName}</AssumedRoleId>
      <Arn>arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${session.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${randomBytes(20).toString('base64')}</SecretAccessKey>
      <SessionToken>${randomBytes(32).toString('base64')}</SessionToken>
      <Expiration>${new Date(session.expiresMs).toISOString()}</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>sim-sts-${this.counts.calls}</RequestId></ResponseMetadata>
</AssumeRoleResponse>`;
  }
}

/** STS's query-protocol error document. */
export function stsErrorXml(error: SimError): string {
  const escaped = error.message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>${error.type}</Code><Message>${escaped}</Message></Error>
  <RequestId>sim-sts-error</RequestId>
</ErrorResponse>`;
}
