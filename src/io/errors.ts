// The error for unusable input (unreadable file, bad encoding, no header): the one error class, with code `input`.
import { UserError } from '../errors.js';

/** A problem with the user's input: printed without a stack trace, exit status 2 (a UserError with code `input`). */
export class InputError extends UserError {
  constructor(
    message: string,
    /** How to fix it, e.g. "re-run with --encoding windows-1252". */
    hint?: string,
  ) {
    super(message, [], hint, 'input');
    this.name = 'InputError';
  }
}
