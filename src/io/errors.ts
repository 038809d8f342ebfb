// The error type for unusable input (unreadable file, bad encoding, no header): reported without a stack trace.

/** A problem with the user's input or usage: printed without a stack trace, exit code 2. */
export class InputError extends Error {
  constructor(
    message: string,
    /** How to fix it, e.g. "re-run with --encoding windows-1252". */
    public hint?: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}
