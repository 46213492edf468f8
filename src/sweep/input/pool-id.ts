/** User pool ids carry their Region: `eu-west-1_AbC123`. */
import { SweepInputError } from '../errors';

/** A Region name: eu-west-1, us-gov-west-1, ap-southeast-5. */
const REGION = /[a-z]{2}(?:-[a-z]+)+-\d+/;
const REGION_NAME = new RegExp(`^${REGION.source}$`);
/** `${region}_${id}`, as the Cognito API pattern `[\w-]+_[0-9a-zA-Z]+` with a Region-shaped prefix. */
const USER_POOL_ID = new RegExp(`^(${REGION.source})_[0-9a-zA-Z]+$`);

/** Whether `name` has the shape of an AWS Region name (the prefix of a pool id). */
export function isRegionName(name: string): boolean {
  return REGION_NAME.test(name);
}

/** The Region of a user pool id, e.g. `eu-west-1` for `eu-west-1_AbC123`; throws SweepInputError otherwise. */
export function parseUserPoolId(id: string): { region: string; userPoolId: string } {
  const match = typeof id === 'string' && id.length <= 55 ? USER_POOL_ID.exec(id) : null;
  if (!match) {
    throw new SweepInputError(
      `Invalid user pool id ${JSON.stringify(id)}: expected "<region>_<id>", e.g. "eu-west-1_AbC123" (the Region is taken from the id).`,
    );
  }
  return { region: match[1], userPoolId: id };
}

/** `arn:<partition>:cognito-idp:<region>:<account>:userpool/<pool id>`. */
const USER_POOL_ARN = /^arn:(aws[a-z-]*):cognito-idp:([a-z0-9-]+):(\d{12}):userpool\/(.+)$/;

/** A pool as `userPoolIds` may name it: its id, or its ARN (which also names its account). */
export interface UserPoolRef {
  /** The Region the pool's id names: the one its devices are administered in (a replica's ARN names its own). */
  readonly region: string;
  /** The bare pool id, as the Cognito API takes it. */
  readonly userPoolId: string;
  /** The account the ARN names; undefined for a bare id. */
  readonly accountId?: string;
}

/** Whether `ref` is a pool ARN rather than a bare id (no check of its shape). */
export function isUserPoolArn(ref: string): boolean {
  return typeof ref === 'string' && ref.startsWith('arn:');
}

/**
 * A pool id (`eu-west-1_AbC123`) or ARN (`arn:aws:cognito-idp:eu-west-1:210987654321:userpool/eu-west-1_AbC123`);
 * throws SweepInputError otherwise. The Region is always the id's (a replica's ARN names the
 * replica's Region, while device administration belongs on the primary, in the id's Region).
 */
export function parseUserPoolRef(ref: string): UserPoolRef {
  if (!isUserPoolArn(ref)) return parseUserPoolId(ref);
  const match = ref.length <= 2048 ? USER_POOL_ARN.exec(ref) : null;
  if (!match || !isRegionName(match[2]) || !USER_POOL_ID.test(match[4])) {
    throw new SweepInputError(
      `Invalid user pool ARN ${JSON.stringify(ref)}: expected "arn:aws:cognito-idp:<region>:<account>:userpool/<region>_<id>", ` +
      'e.g. "arn:aws:cognito-idp:eu-west-1:210987654321:userpool/eu-west-1_AbC123".',
    );
  }
  return { region: parseUserPoolId(match[4]).region, userPoolId: match[4], accountId: match[3] };
}

/** The bare pool id of a pool id or ARN, for the Cognito API (no check: `parseUserPoolRef` has checked it). */
export function bareUserPoolId<T extends string | undefined>(ref: T): T {
  if (ref === undefined || !isUserPoolArn(ref)) return ref;
  const slash = ref.lastIndexOf('/');
  return (slash < 0 ? ref : ref.slice(slash + 1)) as T;
}
