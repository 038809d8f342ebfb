// The error for unusable input (unreadable file, bad encoding, no header), and file-system errors in words.
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

/**
 * A file-system error in words for a message: "permission denied", "no space left on the device". ENOENT is "no
 * such file" for a file read, "no such directory" for one written (`writing`: the file itself is being created).
 */
export function describeFsError(e: unknown, writing = false): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return writing ? 'no such directory' : 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  if (code === 'ENOSPC') return 'no space left on the device';
  if (code === 'EDQUOT') return 'disk quota exceeded';
  if (code === 'EFBIG') return 'the file is too large for the file system';
  if (code === 'EIO') return 'input/output error';
  if (code === 'EROFS') return 'read-only file system';
  return (e as Error).message;
}
