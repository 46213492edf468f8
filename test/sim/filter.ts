/**
 * ListUsers' Filter: `attribute = "value"` (exact) or `attribute ^= "value"` (prefix), one
 * attribute, as Cognito documents it.
 */
import { invalidParameter } from './errors';
import { filterValue, UserRecord } from './store';

/** The attributes Cognito lets ListUsers filter on. */
const FILTERABLE = new Set([
  'username', 'email', 'phone_number', 'name', 'given_name', 'family_name',
  'preferred_username', 'cognito:user_status', 'status', 'sub',
]);

const FILTER = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

/** A compiled filter. */
export type UserPredicate = (u: UserRecord) => boolean;

/** Parses a Filter expression; InvalidParameterException for anything Cognito would reject. */
export function parseFilter(filter: string): UserPredicate {
  const m = FILTER.exec(filter);
  if (!m) throw invalidParameter(`Error while parsing filter: '${filter}'. Expected: attribute = "value" or attribute ^= "value".`);
  const [, attribute, op, raw] = m;
  if (!FILTERABLE.has(attribute)) throw invalidParameter(`Invalid search attribute: ${attribute}`);
  const value = raw.replace(/\\(.)/g, '$1');
  if (op === '=') return (u) => filterValue(u, attribute) === value;
  return (u) => filterValue(u, attribute)?.startsWith(value) ?? false;
}
