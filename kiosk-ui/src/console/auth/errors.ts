// The gateway's reason from a failed console request, for a message next to the form.
import { ApiError } from '../../lib/api/client.js';

/** `ApiError` messages read "METHOD /path: reason"; the person needs the reason only. */
export function reasonOf(err: unknown): string {
  if (err instanceof ApiError) return err.message.replace(/^[A-Z]+ \/\S*: /, '');
  return err instanceof Error ? err.message : String(err);
}

export function statusOf(err: unknown): number | null {
  return err instanceof ApiError ? err.httpStatus : null;
}
