// Staff: what the board shows now (and who published it), and the form to put the point's own text on it.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { BoardContent } from '../../../lib/api/board.js';
import { useServices } from '../../../lib/context.js';
import { translator } from '../../../lib/i18n/table.js';
import { staffStrings } from '../../../lib/i18n/tables/staff.js';
import { reasonOf } from '../../../lib/api/client.js';
import { NEEDS, SERVICES } from '../../board-choices.js';
import type { ScreenProps } from '../../screens.js';
import { EDITED_LANGS, MAX_HOURS, MAX_REFERRALS, contentFromForm, droppedLangs, formFromContent, missingActions, type BoardForm, type EditedLang } from './board-form.js';


export default function Board({ i18n, session }: ScreenProps) {
  const t = translator(staffStrings, i18n);
  const { status } = useServices();
  const [content, setContent] = useState<BoardContent | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<BoardForm | null>(null);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ tone: 'ok' | 'bad'; text: string } | null>(null);
  const pointName = status.data.value?.point.name ?? '';
  const boardImage = status.data.value?.board.image ?? null;

  const fill = (c: BoardContent | null) => {
    setContent(c);
    setForm(formFromContent(c, pointName, t('board.source.local')).form);
  };
  useEffect(() => {
    session.get<{ content: BoardContent | null }>('/api/board/content').then(
      (r) => fill(r.content),
      (err: unknown) => setLoadError(reasonOf(err)),
    );
  }, []);

  if (content === undefined || !form) return <p role="status">{loadError ?? t('loading')}</p>;
  const dropped = droppedLangs(content);

  const update = (f: (draft: BoardForm) => void) => {
    const next = structuredClone(form);
    f(next);
    setForm(next);
  };
  const save = async (ev: Event) => {
    ev.preventDefault();
    const missing = missingActions(form);
    if (missing) return setMsg({ tone: 'bad', text: t('board.needActions', { lang: t(`board.lang.${missing}`) }) });
    setBusy(true);
    setMsg(null);
    try {
      const r = await session.send<{ content: BoardContent }>('POST', '/api/board/content', contentFromForm(form));
      fill(r.content);
      setMsg({ tone: 'ok', text: t('board.saved') });
    } catch (err) {
      setMsg({ tone: 'bad', text: t('board.failed', { reason: reasonOf(err) }) });
    } finally {
      setBusy(false);
    }
  };
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.locale(), { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <section aria-labelledby="board-title" data-screen="board">
      <h2 id="board-title">{t('board.title')}</h2>
      <section class="nc-panel" aria-labelledby="board-now" data-board-now data-source={content?.source ?? 'none'}>
        <h3 id="board-now">{t('board.now')}</h3>
        {content ? (
          <>
            <p>
              <strong data-board-source>{t(content.source === 'coordinator' ? 'board.source.coordinator' : 'board.source.local')}</strong>
              {' · '}
              {t('board.publishedBy', { authority: content.authority })}
              {' · '}
              {t('board.updated', { time: when(content.updatedAt) })}
            </p>
            <p lang="nl" data-board-situation>
              {content.text.nl?.situation}
            </p>
          </>
        ) : (
          <p>{t('board.none')}</p>
        )}
        {boardImage ? (
          <p>
            <a href={boardImage} target="_blank" rel="noopener">
              {t('board.image')}
            </a>
          </p>
        ) : null}
      </section>
      <p class="nc-msg" data-tone="warn" data-replace-note>
        {content?.source === 'coordinator' ? `${t('board.coordinatorNow')} ` : ''}
        {t('board.replaceNote')}
      </p>

      <h3 id="board-edit">{t('board.edit')}</h3>
      <form class="nc-form" onSubmit={save} aria-labelledby="board-edit" data-form="board">
        <label for="board-authority">{t('board.authority')}</label>
        <input id="board-authority" required maxLength={80} value={form.authority} onInput={(e) => update((d) => void (d.authority = e.currentTarget.value))} />
        {dropped.length ? <p class="nc-msg" data-tone="warn">{t('board.otherLangs', { langs: dropped.join(', ') })}</p> : null}
        {EDITED_LANGS.map((l) => (
          <LangFieldset key={l} lang={l} form={form} t={t} update={update} />
        ))}

        <fieldset class="nc-fieldset">
          <legend class="nc-legend">{t('board.referrals')}</legend>
          {form.referrals.map((r, i) => (
            <fieldset key={i} class="nc-fieldset" data-referral={i}>
              <legend>{t('board.referral', { n: i + 1 })}</legend>
              <label for={`ref-need-${i}`}>{t('board.need')}</label>
              <select id={`ref-need-${i}`} value={r.need} onChange={(e) => update((d) => void (d.referrals[i]!.need = NEEDS.find((n) => n === e.currentTarget.value) ?? 'information'))}>
                {NEEDS.map((n) => (
                  <option key={n} value={n}>
                    {t(`need.${n}`)}
                  </option>
                ))}
              </select>
              {EDITED_LANGS.map((l) => (
                <Fragment key={l}>
                  <label for={`ref-place-${l}-${i}`}>{t(l === 'nl' ? 'board.placeNl' : 'board.placeEn')}</label>
                  <input id={`ref-place-${l}-${i}`} lang={l} required maxLength={600} value={r.place[l]} onInput={(e) => update((d) => void (d.referrals[i]!.place[l] = e.currentTarget.value))} />
                </Fragment>
              ))}
              <div class="nc-actions">
                <button type="button" class="nc-button nc-button--danger" onClick={() => update((d) => void d.referrals.splice(i, 1))}>
                  {t('board.removeReferral', { n: i + 1 })}
                </button>
              </div>
            </fieldset>
          ))}
          {form.referrals.length < MAX_REFERRALS ? (
            <button type="button" class="nc-button" onClick={() => update((d) => void d.referrals.push({ need: 'information', place: { nl: '', en: '' } }))}>
              {t('board.addReferral')}
            </button>
          ) : null}
        </fieldset>

        <fieldset class="nc-fieldset">
          <legend class="nc-legend">{t('board.services')}</legend>
          <div class="nc-grid">
            {SERVICES.map((s) => (
              <label key={s} class="nc-check">
                <input
                  type="checkbox"
                  checked={form.services.includes(s)}
                  onChange={(e) => update((d) => void (d.services = e.currentTarget.checked ? [...d.services, s] : d.services.filter((x) => x !== s)))}
                />{' '}
                {t(`service.${s}`)}
              </label>
            ))}
          </div>
        </fieldset>

        <fieldset class="nc-fieldset">
          <legend class="nc-legend">{t('board.hours')}</legend>
          {form.hours.map((h, i) => (
            <fieldset key={i} class="nc-fieldset" data-hours={i}>
              <legend>{t('board.hoursRow', { n: i + 1 })}</legend>
              <div class="nc-days">
                {[1, 2, 3, 4, 5, 6, 7].map((day) => (
                  <label key={day} class="nc-check">
                    <input
                      type="checkbox"
                      checked={h.days.includes(day)}
                      aria-label={t(`day.long.${day as 1}`)}
                      onChange={(e) => update((d) => void (d.hours[i]!.days = e.currentTarget.checked ? [...d.hours[i]!.days, day] : d.hours[i]!.days.filter((x) => x !== day)))}
                    />{' '}
                    <span aria-hidden="true">{t(`day.${day as 1}`)}</span>
                  </label>
                ))}
              </div>
              <label for={`hours-from-${i}`}>{t('board.from')}</label>
              <input id={`hours-from-${i}`} type="time" required value={h.from} onInput={(e) => update((d) => void (d.hours[i]!.from = e.currentTarget.value))} />
              <label for={`hours-to-${i}`}>{t('board.to')}</label>
              <input id={`hours-to-${i}`} type="time" required value={h.to} onInput={(e) => update((d) => void (d.hours[i]!.to = e.currentTarget.value))} />
              <div class="nc-actions">
                <button type="button" class="nc-button nc-button--danger" onClick={() => update((d) => void d.hours.splice(i, 1))}>
                  {t('board.removeHours', { n: i + 1 })}
                </button>
              </div>
            </fieldset>
          ))}
          {form.hours.length < MAX_HOURS ? (
            <button type="button" class="nc-button" onClick={() => update((d) => void d.hours.push({ days: [1, 2, 3, 4, 5, 6, 7], from: '08:00', to: '20:00' }))}>
              {t('board.addHours')}
            </button>
          ) : null}
        </fieldset>

        <div class="nc-actions">
          <button type="submit" class="nc-button" disabled={busy} data-action="save-board">
            {busy ? t('board.saving') : t('board.save')}
          </button>
        </div>
        <p class="nc-msg" data-tone={msg?.tone} role="status" data-board-msg>
          {msg?.text ?? ''}
        </p>
      </form>
    </section>
  );
}

function LangFieldset({ lang, form, t, update }: { lang: EditedLang; form: BoardForm; t: ReturnType<typeof translator<keyof typeof staffStrings.nl & string>>; update: (f: (d: BoardForm) => void) => void }) {
  const f = form.text[lang];
  const id = (name: string) => `board-${name}-${lang}`;
  return (
    <fieldset class="nc-fieldset" data-lang-fields={lang}>
      <legend class="nc-legend">{t(`board.lang.${lang}`)}</legend>
      <label for={id('situation')}>{t('board.situation')}</label>
      <textarea id={id('situation')} lang={lang} required maxLength={600} value={f.situation} onInput={(e) => update((d) => void (d.text[lang].situation = e.currentTarget.value))} />
      <label for={id('actions')}>{t('board.actions')}</label>
      <textarea id={id('actions')} lang={lang} required value={f.actions} onInput={(e) => update((d) => void (d.text[lang].actions = e.currentTarget.value))} />
      <label for={id('outlook')}>{t('board.outlook')}</label>
      <textarea id={id('outlook')} lang={lang} required maxLength={600} value={f.outlook} onInput={(e) => update((d) => void (d.text[lang].outlook = e.currentTarget.value))} />
    </fieldset>
  );
}
