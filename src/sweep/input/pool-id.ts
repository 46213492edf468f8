/** User pool ids carry their Region: `eu-west-1_AbC123`. */
import { SweepInputError } from '../errors';

/** A Region name: eu-west-1, us-gov-west-1, ap-southeast-5. */
const REGION = /[a-z]{2}(?:-[a-z]+)+-\d+/;
const REGION_NAME = new RegExp(`^${REGION.source}$`);
/** `${region}_${id}`, as the Cognito API pattern `[\w-]+_[0-9a-zA-Z]+` with a Region-shaped prefix. */
const USER_POOL_ID = new RegExp(`^(${REGION.source})_[0-9a-zA-Z]+$`);

/** Whether `name` has the shape of an AWS Region name (the prefix of a pool id). */
export function isRegionName(name: string): boolean {
  return REGION_NAME.test(name);
}

/** The Region of a user pool id, e.g. `eu-west-1` for `eu-west-1_AbC123`; throws SweepInputError otherwise. */
export function parseUserPoolId(id: string): { region: string; userPoolId: string } {
  const match = typeof id === 'string' && id.length <= 55 ? USER_POOL_ID.exec(id) : null;
  if (!match) {
    throw new SweepInputError(
      `Invalid user pool id ${JSON.stringify(id)}: expected "<region>_<id>", e.g. "eu-west-1_AbC123" (the Region is taken from the id).`,
    );
  }
  return { region: match[1], userPoolId: id };
}
