import type { IConstruct } from 'constructs';

/**
 * The error a construct throws at synth time for a setting that cannot work. Every construct of the
 * library starts its messages the same way, with its construct path (which says which of several
 * purges or cleanups it is); a static factory that has no construct yet passes its own name
 * (`PurgeSelection.users`).
 *
 * @param where the construct, or the name of the method that was given the setting
 * @param message one sentence that starts with the setting's name and says what to change
 */
export function validationError(where: IConstruct | string, message: string): Error {
  const prefix = typeof where === 'string' ? where : where.node.path;
  return new Error(`${prefix}: ${message}`);
}
