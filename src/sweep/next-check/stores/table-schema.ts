/**
 * The DynamoDB table of the next-check index: shared by the store (runtime) and the construct
 * that creates the table (synth time), so both name the same attributes. No imports on purpose.
 */

/** Partition key (string): the user pool id, so entries of one pool can never answer for another. */
export const INDEX_PARTITION_KEY = 'userPoolId';
/** Sort key (string): the username. */
export const INDEX_SORT_KEY = 'username';
/** Number, epoch ms: the entry's bound (NextCheckEntry.oldestUseMs). */
export const INDEX_BOUND_ATTRIBUTE = 'oldestUseMs';
/** Number, epoch ms: the creation bound (NextCheckEntry.oldestCreateMs); absent in older items. */
export const INDEX_CREATE_BOUND_ATTRIBUTE = 'oldestCreateMs';
/** Number, epoch seconds: DynamoDB's TTL deletes the entries of users that vanished after this. */
export const INDEX_TTL_ATTRIBUTE = 'expiresAt';
/** Number: the item format; items of another format are ignored (their users are swept in full). */
export const INDEX_FORMAT_ATTRIBUTE = 'v';
export const INDEX_ITEM_FORMAT = 1;
/** The environment variable that gives the slice Lambda the table's name. */
export const INDEX_TABLE_ENV = 'NEXT_CHECK_TABLE';
