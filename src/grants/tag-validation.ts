import { Token } from 'aws-cdk-lib';

// IAM tag keys and values: letters, digits, white space and `_ . : / = + - @` (IAM User Guide, tags).
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_TAG_KEY_LENGTH = 128;
const MAX_TAG_VALUE_LENGTH = 256;

/**
 * Throws a clear synth-time error for a tag key or value that can never match a user pool's tag.
 * The key becomes part of a JSON key in the policy (`aws:ResourceTag/<key>`), which CloudFormation
 * cannot resolve, so a token key is refused; a token value (e.g. a parameter) is left to deploy time.
 */
export function validateTag(tagKey: string, tagValue: string): void {
  if (Token.isUnresolved(tagKey)) {
    throw new Error(
      'UserPoolDeviceGrants.fromTaggedUserPools: tagKey is a token (a parameter, attribute or other deploy-time value); ' +
      'it becomes part of the IAM condition key aws:ResourceTag/<tagKey>, which must be known at synth time. ' +
      'Give the tag key as literal text; the tag value may be a token.',
    );
  }
  if (tagKey.trim().length === 0) {
    throw new Error('UserPoolDeviceGrants.fromTaggedUserPools: tagKey must not be empty.');
  }
  if (tagKey.length > MAX_TAG_KEY_LENGTH) {
    throw new Error(`UserPoolDeviceGrants.fromTaggedUserPools: tagKey '${tagKey}' is longer than ${MAX_TAG_KEY_LENGTH} characters.`);
  }
  if (!TAG_CHARACTERS.test(tagKey)) {
    throw new Error(
      `UserPoolDeviceGrants.fromTaggedUserPools: tagKey '${tagKey}' has characters a tag key cannot have ` +
      '(allowed: letters, digits, spaces and _ . : / = + - @).',
    );
  }
  if (tagKey.toLowerCase().startsWith('aws:')) {
    throw new Error(`UserPoolDeviceGrants.fromTaggedUserPools: tagKey '${tagKey}' uses the reserved 'aws:' prefix; user tags cannot.`);
  }
  if (!Token.isUnresolved(tagValue)) {
    if (tagValue.trim().length === 0) {
      throw new Error(
        'UserPoolDeviceGrants.fromTaggedUserPools: tagValue must not be empty ' +
        '(an empty value would match every pool that merely has the key).',
      );
    }
    if (tagValue.length > MAX_TAG_VALUE_LENGTH) {
      throw new Error(`UserPoolDeviceGrants.fromTaggedUserPools: tagValue is longer than ${MAX_TAG_VALUE_LENGTH} characters.`);
    }
    if (!TAG_CHARACTERS.test(tagValue)) {
      throw new Error(
        `UserPoolDeviceGrants.fromTaggedUserPools: tagValue '${tagValue}' has characters a tag value cannot have ` +
        '(allowed: letters, digits, spaces and _ . : / = + - @).',
      );
    }
  }
}
