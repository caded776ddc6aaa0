// The staff's board-text form as plain data: filled from what the board shows now, turned back into the
// content `POST /api/board/content` takes (Dutch and English; `source` and `updatedAt` are set by the gateway).
import type { BoardContent, BoardLang, Need, Service } from '../../../lib/api/board.js';
import { SERVICES } from '../../board-choices.js';

export const EDITED_LANGS = ['nl', 'en'] as const;
export type EditedLang = (typeof EDITED_LANGS)[number];
export const MAX_REFERRALS = 8;
export const MAX_HOURS = 4;

export interface LangFields {
  situation: string;
  /** One action per line. */
  actions: string;
  outlook: string;
}

export interface BoardForm {
  pointName: string;
  authority: string;
  text: Record<EditedLang, LangFields>;
  referrals: { need: Need; place: Record<EditedLang, string> }[];
  services: Service[];
  hours: { days: number[]; from: string; to: string }[];
}

/** The content's languages this form does not edit (saving the form drops them). */
export function droppedLangs(content: BoardContent | null): BoardLang[] {
  return (content?.languages ?? []).filter((l) => !(EDITED_LANGS as readonly string[]).includes(l));
}

/** The form for the current content (or a blank one with the point's name); languages it drops are listed. */
export function formFromContent(content: BoardContent | null, pointName: string, defaultAuthority: string): { form: BoardForm; dropped: BoardLang[] } {
  const lang = (l: EditedLang): LangFields => {
    const t = content?.text[l];
    return { situation: t?.situation ?? '', actions: (t?.actions ?? []).join('\n'), outlook: t?.outlook ?? '' };
  };
  const form: BoardForm = {
    pointName: content?.point.name ?? pointName,
    authority: content?.source === 'local' ? content.authority : defaultAuthority,
    text: { nl: lang('nl'), en: lang('en') },
    referrals: (content?.referrals ?? []).map((r, i) => ({ need: r.need, place: { nl: content?.text.nl?.places[i] ?? '', en: content?.text.en?.places[i] ?? '' } })),
    services: [...(content?.services ?? [])],
    hours: (content?.openingHours ?? []).map((h) => ({ days: [...h.days], from: h.from, to: h.to })),
  };
  return { form, dropped: droppedLangs(content) };
}

/** The request body for `POST /api/board/content`. The gateway validates it (400 names the first bad field). */
export function contentFromForm(form: BoardForm): Record<string, unknown> {
  const text = (l: EditedLang) => ({
    situation: form.text[l].situation.trim(),
    actions: form.text[l].actions
      .split('\n')
      .map((a) => a.trim())
      .filter(Boolean),
    outlook: form.text[l].outlook.trim(),
    places: form.referrals.map((r) => r.place[l].trim()),
  });
  return {
    point: { name: form.pointName.trim() },
    authority: form.authority.trim(),
    languages: [...EDITED_LANGS],
    text: { nl: text('nl'), en: text('en') },
    referrals: form.referrals.map((r) => ({ need: r.need })),
    services: SERVICES.filter((s) => form.services.includes(s)),
    openingHours: form.hours.map((h) => ({ days: [...h.days].sort((a, b) => a - b), from: h.from, to: h.to })),
  };
}

/** The first language whose action list is empty (the board needs at least one action), or null. */
export function missingActions(form: BoardForm): EditedLang | null {
  return EDITED_LANGS.find((l) => !form.text[l].actions.split('\n').some((a) => a.trim())) ?? null;
}
