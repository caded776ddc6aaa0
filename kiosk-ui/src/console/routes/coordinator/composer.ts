// The broadcast composer's form and its translation into board content (the gateway's BoardContentSchema,
// edge-gateway/src/board/content.ts): Dutch always, English optional; one action per line; one place per
// referral in each language. Problems are found here, before the gateway signs anything, and named by field.
import type { BoardLang, Need, Service } from '../../../lib/api/board.js';
import type { BoardContentInput, CapDraft } from '../../../lib/api/coordinator.js';

/** The gateway's limits (BoardContentSchema). */
export const LIMITS = { text: 600, actions: 12, referrals: 8, authority: 80, pointName: 80 } as const;

export interface LangText {
  situation: string;
  /** One action per line. */
  actions: string;
  outlook: string;
}

export interface Referral {
  need: Need;
  place: { nl: string; en: string };
}

export interface ComposerForm {
  authority: string;
  /** Name shown as the point's name on the board. */
  pointName: string;
  english: boolean;
  text: { nl: LangText; en: LangText };
  referrals: Referral[];
  services: Service[];
}

export type Target = { kind: 'all' } | { kind: 'point'; point: string } | { kind: 'group'; points: string[] };

export type FieldError = { field: string; problem: 'required' | 'too-long' | 'too-many' | 'none-selected' };

export const emptyLang = (): LangText => ({ situation: '', actions: '', outlook: '' });

export function emptyForm(authority = ''): ComposerForm {
  return { authority, pointName: '', english: true, text: { nl: emptyLang(), en: emptyLang() }, referrals: [], services: ['information'] };
}

const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** Every problem of the form (empty when it can be sent), in the order the fields appear. */
export function validate(form: ComposerForm, target: Target): FieldError[] {
  const errs: FieldError[] = [];
  const need = (field: string, v: string, max: number) => {
    if (!v.trim()) errs.push({ field, problem: 'required' });
    else if (v.trim().length > max) errs.push({ field, problem: 'too-long' });
  };
  need('authority', form.authority, LIMITS.authority);
  need('pointName', form.pointName, LIMITS.pointName);
  for (const lang of languages(form)) {
    const t = form.text[lang];
    need(`${lang}.situation`, t.situation, LIMITS.text);
    const acts = lines(t.actions);
    if (acts.length === 0) errs.push({ field: `${lang}.actions`, problem: 'required' });
    else if (acts.length > LIMITS.actions) errs.push({ field: `${lang}.actions`, problem: 'too-many' });
    else if (acts.some((a) => a.length > LIMITS.text)) errs.push({ field: `${lang}.actions`, problem: 'too-long' });
    need(`${lang}.outlook`, t.outlook, LIMITS.text);
    form.referrals.forEach((r, i) => need(`${lang}.place.${i}`, r.place[lang], LIMITS.text));
  }
  if (form.referrals.length > LIMITS.referrals) errs.push({ field: 'referrals', problem: 'too-many' });
  if (target.kind === 'point' && !target.point) errs.push({ field: 'target', problem: 'none-selected' });
  if (target.kind === 'group' && target.points.length === 0) errs.push({ field: 'target', problem: 'none-selected' });
  return errs;
}

export function languages(form: ComposerForm): ('nl' | 'en')[] {
  return form.english ? ['nl', 'en'] : ['nl'];
}

/** Board content for the gateway (source and updatedAt are set there). Call after `validate` found nothing. */
export function toContent(form: ComposerForm): BoardContentInput {
  const langs = languages(form);
  const text: BoardContentInput['text'] = {};
  for (const lang of langs) {
    const t = form.text[lang];
    text[lang] = { situation: t.situation.trim(), actions: lines(t.actions), outlook: t.outlook.trim(), places: form.referrals.map((r) => r.place[lang].trim()) };
  }
  return {
    point: { name: form.pointName.trim() },
    authority: form.authority.trim(),
    source: 'coordinator',
    languages: langs,
    text,
    referrals: form.referrals.map((r) => ({ need: r.need })),
    services: [...form.services],
  };
}

/** The gateway's target for the request body. */
export function toTarget(target: Target): 'all' | { point: string } | { points: string[] } {
  if (target.kind === 'all') return 'all';
  if (target.kind === 'point') return { point: target.point };
  return { points: [...new Set(target.points)] };
}

/** The points a target reaches, from the points the coordinator knows. */
export function targetPoints(target: Target, known: readonly string[]): string[] {
  if (target.kind === 'all') return [...known];
  if (target.kind === 'point') return target.point ? [target.point] : [];
  return [...new Set(target.points)];
}

/** Fills the form from board content (a template or a CAP draft), keeping what the content does not carry. */
export function fromContent(form: ComposerForm, c: Pick<BoardContentInput, 'text' | 'referrals'> & Partial<Pick<BoardContentInput, 'authority' | 'services' | 'point'>>): ComposerForm {
  const lang = (l: BoardLang): LangText => {
    const t = c.text[l];
    return t ? { situation: t.situation, actions: t.actions.join('\n'), outlook: t.outlook } : emptyLang();
  };
  const refs = c.referrals ?? [];
  return {
    authority: c.authority ?? form.authority,
    pointName: c.point?.name ?? form.pointName,
    english: Boolean(c.text.en),
    text: { nl: lang('nl'), en: lang('en') },
    referrals: refs.map((r, i) => ({ need: r.need, place: { nl: c.text.nl?.places?.[i] ?? '', en: c.text.en?.places?.[i] ?? '' } })),
    services: c.services ? [...c.services] : form.services,
  };
}

/** A CAP draft as the form's starting point; the point name stays the operator's. */
export function fromCapDraft(form: ComposerForm, draft: Extract<CapDraft, { kind: 'draft' }>): ComposerForm {
  const next = fromContent(form, { ...draft.content, point: { name: form.pointName || draft.content.point.name } });
  return { ...next, services: form.services };
}
