/** A tag that selects user pools: every pool whose tag `key` has exactly the value `value`. */
export interface UserPoolTag {
  /**
   * The tag key, e.g. `team`. Literal text: it becomes part of the IAM condition key
   * `aws:ResourceTag/<key>`.
   */
  readonly key: string;

  /** The exact tag value, e.g. `payments`; may be a token such as a CloudFormation parameter. */
  readonly value: string;
}
