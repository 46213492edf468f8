/**
 * The Cognito operations the simulator answers. Each takes the parsed JSON input and returns the
 * JSON output, or throws a SimError with the service's exception name. Shapes follow the SDK's
 * models (@aws-sdk/client-cognito-identity-provider); dates are epoch seconds.
 */
import { deviceNotFound, invalidParameter, poolNotFound, userNotFound, validationError } from './errors';
import { parseFilter } from './filter';
import { decodeToken, encodeToken } from './pagination';
import { Random } from './random';
import {
  ACCOUNT_ID, deleteUser, DeviceRecord, deviceToWire, PoolRecord, UserRecord, userToWire,
} from './store';
import type { FaultOptions, Operation } from './types';

/** What an operation sees of the simulator. */
export interface OperationContext {
  readonly pools: ReadonlyMap<string, PoolRecord>;
  /** Region the request was signed for (ListUserPools lists only that region's pools). */
  readonly region: string;
  /** Wall-clock time in epoch ms (device and pool dates are real dates). */
  readonly nowMs: number;
  /** Randomness for fault details (short page sizes). */
  readonly rng: Random;
  /** Rolls the dice for a page-shaping or vanishing fault of this operation. */
  fault(name: keyof FaultOptions): boolean;
  /**
   * The caller's limit of a quota category in this account and Region, as GetProvisionedLimit
   * reports it (requests/s, in the simulator's time); undefined for a category it does not know.
   */
  limitOf(category: string): { readonly provisioned: number; readonly free: number } | undefined;
}

export type Input = Record<string, unknown>;
export type Output = Record<string, unknown>;
type Handler = (ctx: OperationContext, input: Input) => Output;

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
const DEVICE_KEY = /^[\w-]+_[0-9a-f-]+$/;

function requiredString(input: Input, member: string, wireName: string, pattern: RegExp, maxLength: number): string {
  const value = input[member];
  if (value === undefined || value === null) throw validationError(wireName, null, 'Member must not be null');
  if (typeof value !== 'string' || value.length < 1 || value.length > maxLength) {
    throw validationError(wireName, value, `Member must have length between 1 and ${maxLength}`);
  }
  if (!pattern.test(value)) throw validationError(wireName, value, `Member must satisfy regular expression pattern: ${pattern.source}`);
  return value;
}

function optionalString(input: Input, member: string, wireName: string, maxLength: number): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length < 1 || value.length > maxLength) {
    throw validationError(wireName, value, `Member must have length between 1 and ${maxLength}`);
  }
  return value;
}

/** Reads a 0..60 page size; 0 and absent both mean 60, as Cognito treats them. */
function pageLimit(input: Input, member: string, wireName: string): number {
  const value = input[member];
  if (value === undefined || value === null) return 60;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw validationError(wireName, value, 'Member must be an integer');
  if (value > 60) throw validationError(wireName, value, 'Member must have value less than or equal to 60');
  if (value < 0) throw validationError(wireName, value, 'Member must have value greater than or equal to 0');
  return value === 0 ? 60 : value;
}

function pool(ctx: OperationContext, input: Input): PoolRecord {
  const id = requiredString(input, 'UserPoolId', 'userPoolId', POOL_ID, 55);
  const found = ctx.pools.get(id);
  if (!found) throw poolNotFound(id);
  return found;
}

/**
 * The user an admin operation names. As the AdminListDevices reference says for `Username`: the
 * username, or, where the username is not an alias attribute (always so here: simulated pools have
 * no alias attributes), the `sub` of a local user; a federated user (EXTERNAL_PROVIDER) only by
 * username. The sub lookup scans the pool: simulated pools for revocation tests are small.
 */
function user(p: PoolRecord, input: Input): UserRecord {
  const name = requiredString(input, 'Username', 'username', USERNAME, 128);
  const found = p.byUsername.get(name) ?? p.users.find((u) => !u.deleted && u.sub === name && u.status !== 'EXTERNAL_PROVIDER');
  if (!found) throw userNotFound();
  return found;
}

function device(u: UserRecord, input: Input): DeviceRecord {
  const key = requiredString(input, 'DeviceKey', 'deviceKey', DEVICE_KEY, 55);
  const found = u.devices.find((d) => d.key === key && !d.deleted);
  if (!found) throw deviceNotFound();
  return found;
}

/**
 * One page of a tombstoned array, starting at `start`: up to `max` live matching items, and the
 * index of the next live matching item (or `items.length` when there is none, i.e. no token).
 */
function page<T>(items: readonly T[], start: number, max: number, keep: (item: T) => boolean): { found: T[]; next: number } {
  const found: T[] = [];
  let i = start;
  while (i < items.length && found.length < max) {
    const item = items[i++];
    if (keep(item)) found.push(item);
  }
  // Look ahead so the last page carries no token (only the absence of a token ends a list).
  while (i < items.length && !keep(items[i])) i++;
  return { found, next: i };
}

/** How many items this page may return: Limit, or fewer when a short-page fault fires. */
function pageSize(ctx: OperationContext, limit: number): number {
  return limit > 1 && ctx.fault('shortPageRate') ? ctx.rng.int(1, limit - 1) : limit;
}

const listUsers: Handler = (ctx, input) => {
  const p = pool(ctx, input);
  const limit = pageLimit(input, 'Limit', 'limit');
  const filter = optionalString(input, 'Filter', 'filter', 256);
  const keep = filter === undefined ? (u: UserRecord) => !u.deleted : ((f) => (u: UserRecord) => !u.deleted && f(u))(parseFilter(filter));
  const attributesToGet = input.AttributesToGet;
  if (attributesToGet !== undefined && attributesToGet !== null
    && (!Array.isArray(attributesToGet) || attributesToGet.some((a) => typeof a !== 'string'))) {
    throw validationError('attributesToGet', attributesToGet, 'Member must be a list of attribute names');
  }
  const scope = `${p.id}|users|${filter ?? ''}`;
  const token = optionalString(input, 'PaginationToken', 'paginationToken', 4096);
  const start = token === undefined ? 0 : decodeToken(token, scope, p.users.length);

  if (ctx.fault('emptyPageRate')) return { Users: [], PaginationToken: encodeToken(scope, start) };
  const { found, next } = page(p.users, start, pageSize(ctx, limit), keep);
  const out: Output = { Users: found.map((u) => userToWire(u, (attributesToGet ?? undefined) as string[] | undefined)) };
  if (next < p.users.length) out.PaginationToken = encodeToken(scope, next);
  for (const u of found) if (ctx.fault('vanishUserRate')) deleteUser(p, u);
  return out;
};

const adminListDevices: Handler = (ctx, input) => {
  const p = pool(ctx, input);
  const u = user(p, input);
  const limit = pageLimit(input, 'Limit', 'limit');
  // The sub tells apart a user deleted and re-created under the same name.
  const scope = `${p.id}|devices|${u.username}|${u.sub}`;
  const token = optionalString(input, 'PaginationToken', 'paginationToken', 4096);
  const start = token === undefined ? 0 : decodeToken(token, scope, u.devices.length);

  if (ctx.fault('emptyPageRate')) return { Devices: [], PaginationToken: encodeToken(scope, start) };
  const { found, next } = page(u.devices, start, pageSize(ctx, limit), (d) => !d.deleted);
  const out: Output = { Devices: found.map(deviceToWire) };
  if (next < u.devices.length) out.PaginationToken = encodeToken(scope, next);
  for (const d of found) if (ctx.fault('vanishDeviceRate')) d.deleted = true;
  return out;
};

const adminForgetDevice: Handler = (ctx, input) => {
  const d = device(user(pool(ctx, input), input), input);
  d.deleted = true;
  return {};
};

const adminGetDevice: Handler = (ctx, input) => {
  const d = device(user(pool(ctx, input), input), input);
  return { Device: deviceToWire(d) };
};

const adminUpdateDeviceStatus: Handler = (ctx, input) => {
  const d = device(user(pool(ctx, input), input), input);
  const status = input.DeviceRememberedStatus;
  if (status !== undefined && status !== null) {
    if (status !== 'remembered' && status !== 'not_remembered') {
      throw validationError('deviceRememberedStatus', status, 'Member must satisfy enum value set: [remembered, not_remembered]');
    }
    d.remembered = status;
  }
  d.modifiedMs = ctx.nowMs;
  return {};
};

function arnOf(p: PoolRecord): string {
  return `arn:aws:cognito-idp:${p.region}:${ACCOUNT_ID}:userpool/${p.id}`;
}

const describeUserPool: Handler = (ctx, input) => {
  const p = pool(ctx, input);
  return {
    UserPool: {
      Id: p.id,
      Name: p.name,
      Arn: arnOf(p),
      Status: 'Enabled',
      CreationDate: p.createdMs / 1000,
      LastModifiedDate: p.createdMs / 1000,
      EstimatedNumberOfUsers: p.byUsername.size,
      MfaConfiguration: 'OFF',
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: true },
      LambdaConfig: {},
    },
  };
};

const listUserPools: Handler = (ctx, input) => {
  const max = input.MaxResults;
  if (max === undefined || max === null) throw validationError('maxResults', null, 'Member must not be null');
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 60) {
    throw validationError('maxResults', max, 'Member must have value between 1 and 60');
  }
  const pools = [...ctx.pools.values()].filter((p) => p.region === ctx.region);
  const scope = `pools|${ctx.region}`;
  const token = optionalString(input, 'NextToken', 'nextToken', 4096);
  const start = token === undefined ? 0 : decodeToken(token, scope, pools.length);
  const found = pools.slice(start, start + max);
  const out: Output = {
    UserPools: found.map((p) => ({
      Id: p.id,
      Name: p.name,
      LambdaConfig: {},
      Status: 'Enabled',
      CreationDate: p.createdMs / 1000,
      LastModifiedDate: p.createdMs / 1000,
    })),
  };
  if (start + max < pools.length) out.NextToken = encodeToken(scope, start + max);
  return out;
};

/**
 * GetProvisionedLimit: `{ LimitDefinition: { LimitClass: 'API_CATEGORY', Attributes: { Category } } }`
 * -> `{ Limit: { LimitDefinition, ProvisionedLimitValue, FreeLimitValue } }` for the caller's account
 * and Region. What Cognito answers for a category that cannot be raised is not documented: the
 * simulator answers its default as both values.
 */
const getProvisionedLimit: Handler = (ctx, input) => {
  const definition = input.LimitDefinition;
  if (definition === undefined || definition === null) throw validationError('limitDefinition', null, 'Member must not be null');
  if (typeof definition !== 'object' || Array.isArray(definition)) throw validationError('limitDefinition', definition, 'Member must be a structure');
  const { LimitClass: limitClass, Attributes: attributes } = definition as Input;
  if (limitClass !== 'API_CATEGORY') {
    throw validationError('limitDefinition.limitClass', limitClass ?? null, 'Member must satisfy enum value set: [API_CATEGORY]');
  }
  if (attributes === undefined || attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) {
    throw validationError('limitDefinition.attributes', attributes ?? null, 'Member must not be null');
  }
  const category = (attributes as Input).Category;
  const limit = typeof category === 'string' ? ctx.limitOf(category) : undefined;
  if (!limit) throw invalidParameter(`Unknown API category: ${String(category)}`);
  return {
    Limit: {
      LimitDefinition: { LimitClass: limitClass, Attributes: { ...(attributes as Record<string, string>) } },
      ProvisionedLimitValue: limit.provisioned,
      FreeLimitValue: limit.free,
    },
  };
};

/** Every operation the simulator answers, by X-Amz-Target operation name. */
export const HANDLERS: Readonly<Record<Operation, Handler>> = {
  ListUsers: listUsers,
  AdminListDevices: adminListDevices,
  AdminForgetDevice: adminForgetDevice,
  AdminGetDevice: adminGetDevice,
  AdminUpdateDeviceStatus: adminUpdateDeviceStatus,
  DescribeUserPool: describeUserPool,
  ListUserPools: listUserPools,
  GetProvisionedLimit: getProvisionedLimit,
};
