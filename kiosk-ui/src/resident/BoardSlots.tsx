/** @jsxRuntime automatic */
/** @jsxImportSource preact */
// The board's content in the four questions of the minimum function (DESIGN §1), plus who published it and
// when, the point's services and opening hours. A pure view: rendered in the browser and on the gateway.
import type { BoardContent, BoardText, ChosenText } from '../lib/api/board.js';
import { chooseText } from '../lib/api/board.js';
import type { I18n } from '../lib/i18n/i18n.js';
import type { Key } from '../lib/i18n/strings.js';
import { RTL_LANGS, type Lang } from '../lib/i18n/strings.js';
import { translator, type Translate } from '../lib/i18n/table.js';
import { boardStrings } from '../lib/i18n/tables/board.js';
import { formatClock } from '../lib/format.js';

type BoardKey = keyof (typeof boardStrings)['nl'];

/** The four questions, in the board's order. */
export const SLOTS = [
  { id: 'situation', title: 'slot.situation' },
  { id: 'action', title: 'slot.action' },
  { id: 'outlook', title: 'slot.outlook' },
  { id: 'referrals', title: 'slot.referrals' },
] as const satisfies readonly { id: string; title: Key }[];
type SlotId = (typeof SLOTS)[number]['id'];

/** Content older than this is marked as possibly out of date (the board's own default, board/content.ts). */
export const STALE_AFTER_MS = 6 * 3600_000;

const dirOf = (lang: string) => (RTL_LANGS.has(lang as Lang) ? 'rtl' : 'ltr');

/** ISO weekday (1 = Monday) in the reader's language; 2024-01-01 was a Monday. */
function weekday(locale: string, day: number): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, day)));
}

/** "maandag – vrijdag, zondag": runs of consecutive days joined; all seven → "every day". */
export function formatDays(days: readonly number[], locale: string, everyDay: string): string {
  const sorted = [...new Set(days)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  if (sorted.length === 7) return everyDay;
  const runs: [number, number][] = [];
  for (const d of sorted) {
    const last = runs.at(-1);
    if (last && d === last[1] + 1) last[1] = d;
    else runs.push([d, d]);
  }
  return runs
    .map(([a, b]) => (a === b ? weekday(locale, a) : b === a + 1 ? `${weekday(locale, a)}, ${weekday(locale, b)}` : `${weekday(locale, a)} – ${weekday(locale, b)}`))
    .join(', ');
}

function formatDate(locale: string, ts: number): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long' }).format(new Date(ts));
}

type LangAttrs = { lang?: string; dir?: 'ltr' | 'rtl' };

function SlotBody({ id, content, chosen, t, textLang }: { id: SlotId; content: BoardContent; chosen: ChosenText; t: Translate<BoardKey>; textLang: LangAttrs }) {
  const text: BoardText = chosen.text;
  if (id === 'situation') return <p class="ns-slot__text" {...textLang}>{text.situation}</p>;
  if (id === 'outlook') return <p class="ns-slot__text" {...textLang}>{text.outlook}</p>;
  if (id === 'action') {
    return (
      <ul class="ns-slot__list" {...textLang}>
        {text.actions.map((a, i) => (
          <li key={i}>{a}</li>
        ))}
      </ul>
    );
  }
  return (
    <dl class="ns-referrals">
      {content.referrals.map((r, i) => (
        <div key={i} class="ns-referrals__row" data-need={r.need}>
          {/* the need is in the reader's language; the place is in the content's language */}
          <dt>{t(`need.${r.need}` as BoardKey)}</dt>
          <dd {...textLang}>{text.places[i] ?? ''}</dd>
        </div>
      ))}
    </dl>
  );
}

export interface BoardSlotsProps {
  i18n: I18n;
  /** null: the point has no content yet; undefined: not loaded yet. */
  content: BoardContent | null | undefined;
  /** The gateway clock (ms), for "this message is old". */
  now: number;
}

export function BoardSlots({ i18n, content, now }: BoardSlotsProps) {
  const t = i18n.t;
  const tb = translator(boardStrings, i18n);
  const chosen = content ? chooseText(content, i18n.lang.value) : null;
  const empty = !content || !chosen;
  const hasReferrals = !empty && content.referrals.length > 0;
  // Words in another language than the page carry their own lang/dir, so screen readers and layout follow them.
  const textLang: LangAttrs = chosen?.fallback ? { lang: chosen.lang, dir: dirOf(chosen.lang) } : {};
  return (
    <div class="ns-content">
      {!empty && chosen.fallback ? (
        <p class="ns-content__fallback" data-fallback={chosen.lang}>
          {tb('fallback.note')}
        </p>
      ) : null}
      <div class="ns-slots">
        {SLOTS.map((s) => (
          <section key={s.id} class="ns-slot" data-slot={s.id} aria-labelledby={`slot-${s.id}`}>
            <h2 id={`slot-${s.id}`} class="ns-slot__title">
              {t(s.title)}
            </h2>
            {empty || (s.id === 'referrals' && !hasReferrals) ? (
              <p class="ns-slot__empty">{t('slot.empty')}</p>
            ) : (
              <div class="ns-slot__body">
                <SlotBody id={s.id} content={content} chosen={chosen} t={tb} textLang={textLang} />
              </div>
            )}
          </section>
        ))}
      </div>
      {content ? <ContentMeta i18n={i18n} content={content} now={now} t={tb} /> : null}
    </div>
  );
}

function ContentMeta({ i18n, content, now, t }: { i18n: I18n; content: BoardContent; now: number; t: Translate<BoardKey> }) {
  const at = Date.parse(content.updatedAt);
  const stale = Number.isFinite(at) && now - at > STALE_AFTER_MS;
  const locale = i18n.locale();
  return (
    <>
      <p class="ns-source" data-source={content.source}>
        <span class="ns-source__who">
          {t(content.source === 'coordinator' ? 'source.coordinator' : 'source.local', { authority: content.authority })}
        </span>{' '}
        <span class="ns-source__when">{Number.isFinite(at) ? t('updated', { date: formatDate(locale, at), time: formatClock(i18n, at) }) : null}</span>
      </p>
      {stale ? (
        <p class="ns-source__stale" role="note">
          {t('stale')}
        </p>
      ) : null}
      {content.services.length > 0 || content.openingHours.length > 0 ? (
        <section class="ns-services" aria-labelledby="services-title">
          <h2 id="services-title">{t('services.title')}</h2>
          {content.services.length > 0 ? (
            <ul class="ns-services__list">
              {content.services.map((s) => (
                <li key={s} data-service={s}>
                  {t(`service.${s}` as BoardKey)}
                </li>
              ))}
            </ul>
          ) : null}
          {content.openingHours.length > 0 ? (
            <>
              <h3 class="ns-hours__title">{t('hours.title')}</h3>
              <ul class="ns-hours">
                {content.openingHours.map((h, i) => (
                  <li key={i}>{t('hours.line', { days: formatDays(h.days, locale, t('hours.daily')), from: h.from, to: h.to })}</li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
