/**
 * Where the users of a pool come from, one page at a time: ListUsers pages, or the usernames a
 * `users` selection names (in chunks, without listing the pool). A page knows the cursor position
 * of each of its users.
 */
import type { BudgetedCalls } from '../calls/calls';

/** A resume point inside one pool. */
export interface PoolPosition {
  /** Listed pools: the ListUsers token of the page (absent: the first page). */
  readonly token?: string;
  /** Listed pools: users of that page already done. Named users: index of the first not-done username. */
  readonly done: number;
}

/** A user as the sweep needs it. */
export interface PageUser {
  readonly username: string;
  /** UserStatus when listed; unknown for named users. */
  readonly status?: string;
  /** UserCreateDate (epoch ms) when listed; unknown for named users. */
  readonly createdMs?: number;
}

/** A page of users. */
export interface UserPage {
  readonly users: readonly PageUser[];
  /** Users before this index were done by an earlier slice. */
  readonly first: number;
  /** The position of user `index` (pointing at it as the first not-done user). */
  readonly positionOf: (index: number) => PoolPosition;
  /** The position right after this page; undefined when it is the pool's last page. */
  readonly after: PoolPosition | undefined;
}

/** Same page size as Cognito's maximum Limit, for named users too. */
export const PAGE_SIZE = 60;

/** ListUsers pages from `start`. Only the absence of a token ends the list (pages may be short, even empty). */
export async function* listedUserPages(calls: BudgetedCalls, userPoolId: string, start: PoolPosition): AsyncGenerator<UserPage> {
  let token = start.token;
  let skip = start.done;
  for (;;) {
    const output = await calls.listUsers({
      UserPoolId: userPoolId,
      Limit: PAGE_SIZE,
      // No attributes: the sweep needs only Username and UserStatus, and pages shrink a lot.
      AttributesToGet: [],
      PaginationToken: token,
    });
    const users: PageUser[] = [];
    for (const user of output.Users ?? []) {
      if (user.Username !== undefined) users.push({ username: user.Username, status: user.UserStatus, createdMs: user.UserCreateDate?.getTime() });
    }
    const pageToken = token;
    const next = output.PaginationToken;
    yield {
      users,
      first: Math.min(skip, users.length),
      positionOf: (index) => pageToken === undefined ? { done: index } : { token: pageToken, done: index },
      after: next ? { token: next, done: 0 } : undefined,
    };
    if (!next) return;
    token = next;
    skip = 0;
  }
}

/** The named users from `start.done`, in chunks of PAGE_SIZE. */
export function* namedUserPages(usernames: readonly string[], start: PoolPosition): Generator<UserPage> {
  for (let offset = start.done; offset < usernames.length; offset += PAGE_SIZE) {
    const end = Math.min(usernames.length, offset + PAGE_SIZE);
    yield {
      users: usernames.slice(offset, end).map((username) => ({ username })),
      first: 0,
      positionOf: (index) => ({ done: offset + index }),
      after: end < usernames.length ? { done: end } : undefined,
    };
  }
}
