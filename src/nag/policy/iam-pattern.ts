/**
 * IAM's wildcard matching: `*` matches any run of characters (also none), `?` exactly one.
 * Actions compare case-insensitively, resource ARNs case-sensitively, as IAM does.
 */
export function matchesIamPattern(pattern: string, value: string, caseSensitive: boolean): boolean {
  return iamPatternToRegExp(pattern, caseSensitive).test(value);
}

/** True when a pattern contains an IAM wildcard. */
export function hasIamWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

function iamPatternToRegExp(pattern: string, caseSensitive: boolean): RegExp {
  let source = '';
  for (const char of pattern) {
    if (char === '*') {
      source += '[\\s\\S]*';
    } else if (char === '?') {
      source += '[\\s\\S]';
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, caseSensitive ? 'u' : 'iu');
}
