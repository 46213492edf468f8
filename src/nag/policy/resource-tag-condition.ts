import { isRecord } from './resource-patterns';

const RESOURCE_TAG_KEY_PREFIX = 'aws:resourcetag/';

/**
 * True when a statement's `Condition` limits it to resources carrying a tag: some positive comparison
 * (`StringEquals`, `StringLike`, `ForAnyValue:StringEquals` ...) on an `aws:ResourceTag/<key>` key.
 *
 * Comparisons that also pass when the tag is absent do not count: `...IfExists`, negated operators
 * (`StringNotEquals` passes for every untagged pool), `ForAllValues:` (true on a missing key) and
 * `Null` (only says whether the tag exists).
 */
export function isScopedByResourceTag(condition: unknown): boolean {
  if (!isRecord(condition)) {
    return false;
  }
  return Object.entries(condition).some(([operator, comparisons]) =>
    isPositiveOperator(operator) &&
    isRecord(comparisons) &&
    Object.keys(comparisons).some((key) => key.toLowerCase().startsWith(RESOURCE_TAG_KEY_PREFIX)),
  );
}

function isPositiveOperator(operator: string): boolean {
  const name = operator.toLowerCase().replace(/^foranyvalue:/, '');
  return !name.startsWith('forallvalues:')
    && !name.endsWith('ifexists')
    && !name.includes('not')
    && name !== 'null';
}
