import { hasIamWildcard, matchesIamPattern } from './iam-pattern';

/** Field values used where a pattern leaves a field to a wildcard. */
const FALLBACK_PARTITION = 'aws';
const FALLBACK_REGION = 'us-east-1';
const FALLBACK_ACCOUNT = '123456789012';
/**
 * The part of a made-up pool id after `<region>`: shaped like a real one (`_` and nine letters and
 * digits, so `?????????` matches it) but one no real pattern names, so only wildcards can match it.
 */
const PROBE_POOL_ID_SUFFIX = '_q0Q0q0Q0q';

/**
 * True when a resource pattern matches every user pool of (at least) one account and Region:
 * `*`, `arn:aws:cognito-idp:*`, `arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/*`,
 * `.../userpool/eu-west-1_*` and the like. An exact pool ARN (literal or a reference) is not, nor is
 * a prefix of one pool id (`userpool/eu-west-1_AbC*`), nor an ARN of another service.
 *
 * How: build the ARN of a made-up pool that sits in the partition, Region and account the pattern
 * itself names (opaque references included, so `${AWS::Region}` matches itself), and see whether the
 * pattern matches that ARN. Only a wildcard where the pool id goes can match the made-up id.
 *
 * @param pattern a pattern from `ResourcePatternReader`, opaque references as marker characters
 */
export function coversAllUserPools(pattern: string): boolean {
  if (!hasIamWildcard(pattern)) {
    return false;
  }
  const fields = pattern.split(':');
  const partition = concreteField(fields[1], FALLBACK_PARTITION);
  const region = concreteField(fields[3], FALLBACK_REGION);
  const account = concreteField(fields[4], FALLBACK_ACCOUNT);
  if (partition === '' || region === '' || account === '') {
    // No user pool has an empty partition, Region or account.
    return false;
  }
  const probe = `arn:${partition}:cognito-idp:${region}:${account}:userpool/${region}${PROBE_POOL_ID_SUFFIX}`;
  return matchesIamPattern(pattern, probe, true);
}

/** A value the ARN field pattern matches: the field itself if it is literal, else the fallback if it fits. */
function concreteField(field: string | undefined, fallback: string): string {
  if (field === undefined || matchesIamPattern(field, fallback, true)) {
    return fallback;
  }
  if (!hasIamWildcard(field)) {
    return field;
  }
  return field.replace(/\*/g, '').replace(/\?/g, 'x');
}
