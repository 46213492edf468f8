/**
 * The session names the central sweep uses when it assumes a `DeviceSweepAccessRole`: the prefix
 * the role's trust policy requires (`sts:RoleSessionName`), and the check of a custom prefix. Plain
 * TypeScript in the engine, which names its sessions with it; the construct imports it from here.
 */

/**
 * The prefix of every session name the library's sweeps give STS AssumeRole
 * (`cognito-device-sweep-<run>`). A `DeviceSweepAccessRole` trusts sessions with this prefix only,
 * so CloudTrail shows which sessions in the target account were the sweep's.
 */
export const SWEEP_SESSION_NAME_PREFIX = 'cognito-device-sweep-';

/** STS role session names: 2 to 64 of these characters. */
const SESSION_NAME_CHARACTERS = /^[\w+=,.@-]+$/;

/**
 * The longest prefix accepted: it leaves 32 of the 64 characters of a session name to the sweep's
 * own suffix (a run or execution name), so two runs never share a session name.
 */
export const MAX_SESSION_NAME_PREFIX_LENGTH = 32;

/** Why `prefix` cannot be a session-name prefix, or undefined when it can. */
export function sessionNamePrefixProblem(prop: string, prefix: string): string | undefined {
  if (prefix.length === 0) {
    return `${prop} is empty; leave it out to use '${SWEEP_SESSION_NAME_PREFIX}', or give the prefix your sweep's sessions use.`;
  }
  if (prefix.length > MAX_SESSION_NAME_PREFIX_LENGTH) {
    return `${prop} '${prefix}' is ${prefix.length} characters; use at most ${MAX_SESSION_NAME_PREFIX_LENGTH}, ` +
      'so that a session name (64 characters at most) has room for the run\'s own suffix.';
  }
  if (!SESSION_NAME_CHARACTERS.test(prefix)) {
    return `${prop} '${prefix}' has characters STS does not accept in a role session name ` +
      '(allowed: letters, digits and _ + = , . @ -; no wildcards: the trust policy adds the * itself).';
  }
  return undefined;
}
