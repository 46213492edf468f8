/**
 * The key a pool's entries are filed under in the next-check index. A pool may be named by its id,
 * its primary's ARN or a Multi-Region replica's ARN (which names the replica's Region but keeps the
 * primary's id): all three are the same pool with the same users and devices, so all three must
 * find the same entries. The canonical key is the bare pool id, whose prefix is the primary's
 * Region (`us-east-1_AbC123`): the form earlier versions already used for pools named by id, so
 * those entries need no migration. Pool ids are random past the Region, so one index shared by
 * pools of several accounts does not mix them up in practice.
 */
import { bareUserPoolId, isUserPoolArn } from '../input/pool-id';

/** The canonical key of a pool named by id or by any of its ARNs. */
export function indexKeyOf(poolRef: string): string {
  return bareUserPoolId(poolRef);
}

/**
 * The key earlier versions filed a pool named by an ARN under: the ARN exactly as given. Undefined
 * for a bare id (its key never changed).
 */
export function legacyIndexKeyOf(poolRef: string): string | undefined {
  return isUserPoolArn(poolRef) ? poolRef : undefined;
}
