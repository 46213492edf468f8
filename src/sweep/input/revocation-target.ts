/**
 * Whose devices a revocation forgets: one user of one pool, named by username or by `sub` (what
 * CloudTrail records). Checked before any call; the `sub` goes into a ListUsers filter, so it must
 * be exactly a UUID (no quote can reach the filter expression).
 */
import { SweepInputError } from '../errors';
import { parseUserPoolId } from './pool-id';
import { usernameProblem } from './rules';

/** One user of one pool: by `username`, or by `sub` (exactly one of them). */
export interface RevocationTarget {
  readonly userPoolId: string;
  /** The username as Cognito knows it (or an alias attribute's value). */
  readonly username?: string;
  /** The user's `sub` attribute (a UUID). */
  readonly sub?: string;
}

const SUB = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a `sub` as Cognito writes it (a UUID). */
export function isSub(value: unknown): value is string {
  return typeof value === 'string' && SUB.test(value);
}

/** Throws SweepInputError saying what is wrong with the target; returns it typed otherwise. */
export function checkRevocationTarget(target: unknown): RevocationTarget {
  if (typeof target !== 'object' || target === null || Array.isArray(target)) {
    throw new SweepInputError('A revocation needs {userPoolId, username} or {userPoolId, sub}.');
  }
  const { userPoolId, username, sub } = target as Record<string, unknown>;
  if (typeof userPoolId !== 'string') throw new SweepInputError('userPoolId must be a user pool id such as "eu-west-1_AbC123".');
  parseUserPoolId(userPoolId);
  if ((username === undefined) === (sub === undefined)) {
    throw new SweepInputError('Name the user by exactly one of username or sub.');
  }
  if (username !== undefined) {
    const problem = usernameProblem('username', username);
    if (problem) throw new SweepInputError(problem);
    return { userPoolId, username: username as string };
  }
  if (!isSub(sub)) throw new SweepInputError('sub must be the user\'s sub attribute, a UUID such as "a1b2c3d4-5678-90ab-cdef-111122223333".');
  return { userPoolId, sub };
}
