/**
 * Opaque pagination tokens. A token is base64 of the list it belongs to and the array index to
 * resume at; since users and devices are tombstoned rather than removed, the index stays right
 * while items are deleted.
 */
import { invalidParameter, SimError } from './errors';

interface TokenBody {
  /** Token version. */
  readonly v: 1;
  /** The list the token belongs to (pool id, or pool id + username, plus the filter). */
  readonly s: string;
  /** Index of the next item to examine. */
  readonly i: number;
}

/** Encodes a resume position in the list identified by `scope`. */
export function encodeToken(scope: string, index: number): string {
  const body: TokenBody = { v: 1, s: scope, i: index };
  return Buffer.from(JSON.stringify(body)).toString('base64');
}

/** The resume index of `token`; InvalidParameterException when it is not a token of this list. */
export function decodeToken(token: string, scope: string, length: number): number {
  let body: Partial<TokenBody> | undefined;
  try {
    body = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as Partial<TokenBody>;
  } catch {
    body = undefined;
  }
  if (!body || body.v !== 1 || body.s !== scope || !Number.isInteger(body.i) || body.i! < 0 || body.i! > length) {
    throw badToken();
  }
  return body.i!;
}

function badToken(): SimError {
  return invalidParameter('Invalid pagination token.');
}
