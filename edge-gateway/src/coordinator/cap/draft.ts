// A CAP alert as the starting point for board content. Dutch comes first on the board: a Dutch
// <info> is used as it is; otherwise the Dutch text is scaffolded from CAP's coded fields (event,
// severity, response type, areas, expiry) and the English text is taken from the alert, and the
// draft says it needs a Dutch editor. An operator always reviews a draft before it is signed.
import type { BoardContentInput, Lang, LocalizedText } from '../../board/content.js';
import type { CapAlert, CapInfo, CapReference } from './parse.js';

export type CapDraft =
  | {
      kind: 'draft';
      /** Replaces earlier broadcasts made from these alerts (msgType Update). */
      replaces: CapReference[];
      content: BoardContentInput;
      /** The <info> blocks used, by board language. */
      from: Partial<Record<'nl' | 'en', string>>;
      expiresAt: number | null;
      warnings: string[];
    }
  /** msgType Cancel: withdraw what was made from `references`; nothing new to show. */
  | { kind: 'cancel'; references: CapReference[]; warnings: string[] };

export class CapImportError extends Error {
  override name = 'CapImportError';
}

const MAX = 600;
const clip = (s: string) => (s.length <= MAX ? s : s.slice(0, MAX - 1).trimEnd() + '…');
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The first <info> whose language is `lang` (any region), in document order. */
export function pickInfo(alert: CapAlert, lang: string): CapInfo | null {
  return alert.infos.find((i) => i.language.toLowerCase().split('-')[0] === lang) ?? null;
}

const SEVERITY: Record<string, { nl: string; en: string }> = {
  Extreme: { nl: 'zeer ernstig', en: 'extreme' },
  Severe: { nl: 'ernstig', en: 'severe' },
  Moderate: { nl: 'matig', en: 'moderate' },
  Minor: { nl: 'licht', en: 'minor' },
};
const RESPONSE: Record<string, { nl: string; en: string }> = {
  Shelter: { nl: 'Ga naar binnen en blijf binnen.', en: 'Go indoors and stay indoors.' },
  Evacuate: { nl: 'Verlaat het gebied.', en: 'Leave the area.' },
  Prepare: { nl: 'Bereid u voor.', en: 'Get ready.' },
  Execute: { nl: 'Volg de aanwijzingen van de overheid.', en: 'Follow the instructions of the authorities.' },
  Avoid: { nl: 'Vermijd het gebied.', en: 'Avoid the area.' },
  Monitor: { nl: 'Volg het nieuws.', en: 'Keep following the news.' },
  Assess: { nl: 'Volg het nieuws.', en: 'Keep following the news.' },
  AllClear: { nl: 'Het gevaar is voorbij.', en: 'The danger is over.' },
};
const DEFAULT_ACTION = { nl: 'Volg de aanwijzingen van de overheid.', en: 'Follow the instructions of the authorities.' };

function when(iso: string, lang: 'nl' | 'en'): string {
  return new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { timeZone: 'Europe/Amsterdam', weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }).format(
    new Date(iso),
  );
}

function outlook(info: CapInfo, lang: 'nl' | 'en'): string {
  if (!info.expires || Number.isNaN(Date.parse(info.expires))) return lang === 'nl' ? 'Nog niet bekend hoe lang dit duurt.' : 'It is not yet known how long this will last.';
  return lang === 'nl' ? `Deze waarschuwing geldt tot ${when(info.expires, 'nl')}.` : `This warning is valid until ${when(info.expires, 'en')}.`;
}

/** Instruction text as board actions: one per sentence or line, at most 12. */
function actionsFrom(instruction: string | null, fallback: string[]): string[] {
  if (!instruction) return fallback;
  const parts = instruction
    .split(/(?<=[.!?;])\s+|\n+/)
    .map(oneLine)
    .filter((s) => s.length > 1);
  return (parts.length ? parts : fallback).slice(0, 12).map(clip);
}

/** The alert's own words (used for Dutch when it has Dutch, and for English). */
function fromInfo(info: CapInfo, lang: 'nl' | 'en'): LocalizedText {
  const areas = info.areas.length ? (lang === 'nl' ? ` Gebied: ${info.areas.join(', ')}.` : ` Area: ${info.areas.join(', ')}.`) : '';
  const head = oneLine(info.headline ?? info.event);
  const desc = info.description ? ` ${oneLine(info.description)}` : '';
  const responses = info.responseTypes.map((r) => RESPONSE[r]?.[lang]).filter((x): x is string => !!x);
  return {
    situation: clip(`${head}.${areas}${desc}`.replace(/\.\./g, '.')),
    actions: actionsFrom(info.instruction, responses.length ? responses : [DEFAULT_ACTION[lang]]),
    outlook: outlook(info, lang),
    places: [],
  };
}

/** Dutch built from the coded fields of a non-Dutch <info>: event names stay in the original language. */
function dutchScaffold(info: CapInfo): LocalizedText {
  const sev = SEVERITY[info.severity]?.nl;
  const areas = info.areas.length ? ` Gebied: ${info.areas.join(', ')}.` : '';
  const responses = [...new Set(info.responseTypes.map((r) => RESPONSE[r]?.nl).filter((x): x is string => !!x))];
  return {
    situation: clip(`Waarschuwing${sev ? ` (${sev})` : ''}: ${oneLine(info.event)}.${areas}`),
    actions: responses.length ? responses : [DEFAULT_ACTION.nl],
    outlook: outlook(info, 'nl'),
    places: [],
  };
}

export interface DraftOptions {
  pointName: string;
  now: number;
}

export function capToDraft(alert: CapAlert, o: DraftOptions): CapDraft {
  const warnings: string[] = [];
  if (alert.signed) warnings.push('the CAP file carries an XML signature, which is not verified here');
  if (alert.status !== 'Actual') warnings.push(`status is ${alert.status}, not Actual`);
  if (alert.msgType === 'Cancel') return { kind: 'cancel', references: alert.references, warnings };
  if (alert.msgType === 'Ack' || alert.msgType === 'Error') throw new CapImportError(`a CAP ${alert.msgType} message has nothing to show`);
  if (alert.msgType === 'Update') warnings.push(`updates ${alert.references.length} earlier alert(s): withdraw what was sent for them`);

  const nl = pickInfo(alert, 'nl');
  const en = pickInfo(alert, 'en');
  const base = nl ?? en ?? alert.infos[0];
  if (!base) throw new CapImportError(`CAP ${alert.msgType} ${alert.identifier} has no <info> block`);
  const text: Partial<Record<Lang, LocalizedText>> = {};
  const from: Partial<Record<'nl' | 'en', string>> = {};
  if (nl) {
    text.nl = fromInfo(nl, 'nl');
    from.nl = nl.language;
  } else {
    text.nl = dutchScaffold(base);
    warnings.push(`no Dutch text in the alert (languages: ${alert.infos.map((i) => i.language).join(', ')}): the Dutch text is a scaffold to edit`);
  }
  if (en) {
    text.en = fromInfo(en, 'en');
    from.en = en.language;
  }
  const expires = base.expires ? Date.parse(base.expires) : NaN;
  if (Number.isFinite(expires) && expires <= o.now) warnings.push(`the alert expired at ${base.expires}`);
  const sent = Date.parse(alert.sent);
  return {
    kind: 'draft',
    replaces: alert.msgType === 'Update' ? alert.references : [],
    content: {
      point: { name: o.pointName },
      authority: clip(base.senderName ?? alert.sender).slice(0, 80),
      source: 'coordinator',
      updatedAt: Number.isFinite(sent) ? alert.sent : new Date(o.now).toISOString(),
      languages: en ? ['nl', 'en'] : ['nl'],
      text,
      referrals: [],
    },
    from,
    expiresAt: Number.isFinite(expires) ? expires : null,
    warnings,
  };
}
