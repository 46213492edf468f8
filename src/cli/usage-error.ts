/**
 * Bad command-line input. The CLI prints its message as ONE line on stderr and exits with status 2
 * before any call to Cognito, so the message must say what to change.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
