// What the gateway already knew when it rendered the page (status and board content), handed to the app
// in a JSON data block so the first render matches the server's HTML and needs no request. A data block
// is not executed, so the gateway's Content-Security-Policy (no inline scripts) stays as it is.
import type { BoardContent } from '../lib/api/board.js';
import type { StatusData } from '../lib/api/types.js';

export const INITIAL_ID = 'ns-initial';

export interface InitialData {
  status: StatusData | null;
  /** Absent when the page did not carry content (the app then reads it). */
  content?: BoardContent | null;
}

/** The `<script type="application/json">` element; `<` is escaped so no text can close the element. */
export function initialScript(data: InitialData): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `<script type="application/json" id="${INITIAL_ID}">${json}</script>`;
}

export function readInitial(doc: Pick<Document, 'getElementById'>): InitialData | null {
  const text = doc.getElementById(INITIAL_ID)?.textContent;
  if (!text) return null;
  try {
    const data = JSON.parse(text) as InitialData;
    return typeof data === 'object' && data !== null && 'status' in data ? data : null;
  } catch {
    return null;
  }
}
