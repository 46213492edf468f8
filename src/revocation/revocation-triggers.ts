/** Which Cognito API calls start a revocation (each on unless turned off). */
export interface RevocationTriggers {
  /**
   * An administrator signed the user out everywhere (AdminUserGlobalSignOut). Tokens are revoked,
   * remembered devices are not: without this, the next phished password still skips MFA.
   * @default true
   */
  readonly adminUserGlobalSignOut?: boolean;
  /**
   * The user signed out of every device themselves (GlobalSignOut, with their access token).
   * @default true
   */
  readonly globalSignOut?: boolean;
  /** An administrator disabled the user (AdminDisableUser). @default true */
  readonly adminDisableUser?: boolean;
  /** An administrator reset the user's password (AdminResetUserPassword). @default true */
  readonly adminResetUserPassword?: boolean;
  /** An administrator set the user's password (AdminSetUserPassword). @default true */
  readonly adminSetUserPassword?: boolean;
  /** The user confirmed a forgotten-password reset (ConfirmForgotPassword). @default true */
  readonly confirmForgotPassword?: boolean;
}
