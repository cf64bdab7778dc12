import { ApiError } from './api.js';
import type { Copy } from './copy.js';

/** The sentence to show for a failed call: the server's own words when it gave some (API.md). */
export function errorMessage(error: unknown, t: Copy): string {
  if (error instanceof ApiError) {
    if (error.code === 'network') return t.offline;
    if (error.code === 'unknown') return t.serverError(error.status);
    // Said in the reader's language: the server's sentence names a key, which staff cannot act on.
    if (error.code === 'lead_unreadable') return t.unreadableHelp;
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export function isSignedOut(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'signed_out';
}
