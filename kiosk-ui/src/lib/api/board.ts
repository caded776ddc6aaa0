// The board's current content (`GET /api/board/content`) as the resident screens read it, and the choice of
// which language's words to show. Contract: edge-gateway/src/board/content.ts (BoardContentSchema).
import { ApiError, unwrap, type FetchLike } from './client.js';
import type { Lang } from '../i18n/strings.js';

/** Languages the board's content can carry (no Ukrainian board font yet: Ukrainian readers get a fallback). */
export type BoardLang = 'nl' | 'en' | 'ar' | 'pl' | 'tr';
export type Need = 'shelter' | 'first-aid' | 'water' | 'food' | 'contact' | 'emergency' | 'medication' | 'information';
export type Service = 'information' | 'charging' | 'first-aid' | 'water' | 'shelter' | 'contact' | 'emergency-report' | 'help-desk';

export interface BoardText {
  situation: string;
  actions: string[];
  outlook: string;
  /** Place per referral, same order as `referrals`. */
  places: string[];
}

export interface BoardContent {
  point: { name: string };
  authority: string;
  source: 'coordinator' | 'local';
  /** ISO date-time with offset. */
  updatedAt: string;
  languages: BoardLang[];
  text: Partial<Record<BoardLang, BoardText>>;
  referrals: { need: Need }[];
  services: Service[];
  openingHours: { days: number[]; from: string; to: string }[];
  charging?: { enabled: boolean; portsFree: number; portsTotal: number; queue: number };
}

export interface ChosenText {
  text: BoardText;
  /** The language of `text`; differs from the reader's when that language has no text. */
  lang: BoardLang;
  fallback: boolean;
}

/**
 * The reader's language when the content has it; else English (NL-Alert's second language, read by more
 * newcomers than Dutch), else Dutch (always present: the board's first language), else whatever there is.
 */
export function chooseText(content: Pick<BoardContent, 'text' | 'languages'>, lang: Lang): ChosenText | null {
  const order = [lang, 'en', 'nl', ...content.languages, ...Object.keys(content.text)];
  for (const l of order) {
    const text = content.text[l as BoardLang];
    if (text) return { text, lang: l as BoardLang, fallback: l !== lang };
  }
  return null;
}

export async function fetchBoardContent(opts: { base?: string; fetch?: FetchLike; signal?: AbortSignal } = {}): Promise<BoardContent | null> {
  const doFetch: FetchLike = opts.fetch ?? ((url, init) => fetch(url, init));
  const path = '/api/board/content';
  let res: Response;
  try {
    res = await doFetch((opts.base ?? '') + path, { ...(opts.signal ? { signal: opts.signal } : {}), headers: { Accept: 'application/json' } });
  } catch (err) {
    throw new ApiError(`GET ${path}: no answer from the gateway`, 0, { cause: err });
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch (err) {
    throw new ApiError(`GET ${path}: reply is not JSON (HTTP ${res.status})`, res.status, { cause: err });
  }
  return unwrap<{ content: BoardContent | null }>(body, path, res.status).content;
}
