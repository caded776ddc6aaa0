// Broadcast composer: board content in Dutch (B1) and English — situation, actions, outlook, referrals —
// from scratch, a template or an imported CAP 1.2 file; a target (one point, a group, all); a preview of
// the rendered e-ink frame per panel, required (and required again after any change) before sending; then
// per point what happened: accepted, or why it was refused.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { BroadcastRecord, BroadcastTemplate, CoordinatorApi, PointOverview, Preview } from '../../../lib/api/coordinator.js';
import { errorText } from '../../../lib/stores/errors.js';
import { NEEDS, SERVICES } from '../../board-choices.js';
import { emptyForm, fromCapDraft, fromContent, targetPoints, toContent, toTarget, validate, type ComposerForm, type LangText, type Target } from './composer.js';
import { clock, deliveryState, deliveryText, type T } from './view.js';

const POLL_MS = 2_000;
const POLL_FOR_MS = 120_000;

function Deliveries(props: { t: T; record: BroadcastRecord; names: Map<string, string> }) {
  return (
    <ul class="co-deliveries" data-broadcast={props.record.id}>
      {props.record.deliveries.map((d) => {
        const s = deliveryState(d);
        return (
          <li key={d.point} data-point={d.point} data-delivery={s.state} data-tone={s.state === 'accepted' ? 'ok' : s.state === 'pending' ? 'unknown' : 'bad'}>
            {props.names.get(d.point) ?? d.point} <code>{d.point}</code>: {deliveryText(props.t, d)}
          </li>
        );
      })}
    </ul>
  );
}

function LangFields(props: { t: T; lang: 'nl' | 'en'; value: LangText; set: (v: LangText) => void }) {
  const { t, lang, value, set } = props;
  const id = (f: string) => `co-${lang}-${f}`;
  return (
    <fieldset class="co-lang" lang={lang}>
      <legend>{t(`compose.lang.${lang}`)}</legend>
      <label for={id('situation')}>{t('compose.situation')}</label>
      <textarea id={id('situation')} rows={3} maxLength={600} value={value.situation} onInput={(e) => set({ ...value, situation: (e.target as HTMLTextAreaElement).value })} />
      <label for={id('actions')}>{t('compose.actions')}</label>
      <textarea id={id('actions')} rows={4} value={value.actions} onInput={(e) => set({ ...value, actions: (e.target as HTMLTextAreaElement).value })} />
      <label for={id('outlook')}>{t('compose.outlook')}</label>
      <textarea id={id('outlook')} rows={2} maxLength={600} value={value.outlook} onInput={(e) => set({ ...value, outlook: (e.target as HTMLTextAreaElement).value })} />
    </fieldset>
  );
}

export function Composer(props: { t: T; locale: string; api: CoordinatorApi; points: PointOverview[] | null }) {
  const { t, locale, api } = props;
  const known = useMemo(() => (props.points ?? []).map((p) => p.point), [props.points]);
  const names = useMemo(() => new Map((props.points ?? []).map((p) => [p.point, p.name])), [props.points]);
  const [form, setForm] = useState<ComposerForm>(() => ({ ...emptyForm(), pointName: 'Noodsteunpunt' }));
  const [target, setTarget] = useState<Target>({ kind: 'all' });
  const [templates, setTemplates] = useState<BroadcastTemplate[]>([]);
  const [templateId, setTemplateId] = useState('');
  const [placeholders, setPlaceholders] = useState<string[]>([]);
  const [notes, setNotes] = useState<string[]>([]);
  const [previews, setPreviews] = useState<Preview[] | null>(null);
  const [previewedJson, setPreviewedJson] = useState<string | null>(null);
  const [busy, setBusy] = useState<'preview' | 'send' | 'cap' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<BroadcastRecord | null>(null);
  const [recent, setRecent] = useState<BroadcastRecord[]>([]);

  useEffect(() => {
    api.templates().then(
      (r) => setTemplates(r.templates),
      (err: unknown) => setError(errorText(err)),
    );
    api.broadcasts().then(
      (r) => setRecent(r.broadcasts),
      () => undefined,
    );
  }, [api]);

  // Follow the points' answers to what was just sent.
  useEffect(() => {
    if (!sent) return;
    const until = Date.now() + POLL_FOR_MS;
    const timer = setInterval(() => {
      api.broadcasts().then(
        (r) => {
          setRecent(r.broadcasts);
          const mine = r.broadcasts.find((b) => b.id === sent.id);
          if (mine) setSent(mine);
          if (Date.now() > until || (mine && mine.deliveries.every((d) => deliveryState(d).state !== 'pending'))) clearInterval(timer);
        },
        () => undefined,
      );
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [sent?.id]);

  const problems = validate(form, target);
  const content = toContent(form);
  const json = JSON.stringify(content);
  const fresh = previews !== null && previewedJson === json;
  const reach = targetPoints(target, known);
  const fieldLabel = (f: string): string => {
    const [a, b] = f.split('.');
    if (f === 'authority') return t('compose.authority');
    if (f === 'pointName') return t('compose.pointName');
    if (f === 'target') return t('compose.target');
    if (f === 'referrals') return t('compose.referrals');
    const lang = a === 'en' ? t('compose.lang.en') : t('compose.lang.nl');
    const what = b === 'situation' ? t('compose.situation') : b === 'actions' ? t('compose.actions') : b === 'outlook' ? t('compose.outlook') : t('compose.referrals');
    return `${lang} – ${what}`;
  };

  const update = (f: ComposerForm) => {
    setForm(f);
    setSent(null);
  };
  const useTemplate = () => {
    const tpl = templates.find((x) => x.id === templateId);
    if (!tpl) return;
    update(fromContent(form, tpl.content));
    setPlaceholders(tpl.placeholders);
    setNotes([]);
  };
  const importCap = async (file: File) => {
    setBusy('cap');
    setError(null);
    try {
      const { draft } = await api.importCap(await file.text(), form.pointName || undefined);
      if (draft.kind === 'cancel') {
        setNotes([t('compose.capCancel'), ...draft.warnings]);
      } else {
        update(fromCapDraft(form, draft));
        setNotes([t('compose.capDone'), ...draft.warnings]);
        setPlaceholders([]);
      }
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  };
  const preview = async () => {
    setBusy('preview');
    setError(null);
    try {
      const r = await api.preview(content);
      setPreviews(r.previews);
      setPreviewedJson(json);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  };
  const send = async () => {
    setBusy('send');
    setError(null);
    try {
      setSent(await api.broadcast(content, toTarget(target)));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  };
  const pagePreview = async (panel: string, page: number) => {
    try {
      const r = await api.preview(content, [panel], page);
      const next = r.previews[0];
      if (next) setPreviews((ps) => (ps ?? []).map((p) => (p.panel === panel ? next : p)));
    } catch (err) {
      setError(errorText(err));
    }
  };

  const setLang = (lang: 'nl' | 'en') => (v: LangText) => update({ ...form, text: { ...form.text, [lang]: v } });
  return (
    <section aria-labelledby="co-bc-title" class="co-composer">
      <h2 id="co-bc-title">{t('compose.title')}</h2>
      <p>{t('compose.intro')}</p>

      <div class="co-row">
        <label for="co-template">{t('compose.template')}</label>
        <select id="co-template" value={templateId} onChange={(e) => setTemplateId((e.target as HTMLSelectElement).value)}>
          <option value="">{t('compose.templateNone')}</option>
          {templates.map((x) => (
            <option key={x.id} value={x.id}>
              {x.title[locale.startsWith('nl') ? 'nl' : 'en']}
            </option>
          ))}
        </select>
        <button type="button" class="co-button" disabled={!templateId} onClick={useTemplate}>
          {t('compose.useTemplate')}
        </button>
      </div>
      <div class="co-row">
        <label for="co-cap">{t('compose.cap')}</label>
        <input
          id="co-cap"
          type="file"
          accept=".xml,.cap,application/xml,text/xml,application/cap+xml"
          disabled={busy === 'cap'}
          onChange={(e) => {
            const f = (e.target as HTMLInputElement).files?.[0];
            if (f) void importCap(f);
          }}
        />
      </div>
      {placeholders.length > 0 && <p data-tone="warn">{t('compose.placeholders', { list: placeholders.join(', ') })}</p>}
      {notes.length > 0 && (
        <div data-tone="warn" class="co-notes" role="status">
          <strong>{t('compose.warnings')}</strong>
          <ul>
            {notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      )}

      <div class="co-grid">
        <label for="co-authority">{t('compose.authority')}</label>
        <input id="co-authority" type="text" maxLength={80} value={form.authority} onInput={(e) => update({ ...form, authority: (e.target as HTMLInputElement).value })} />
        <label for="co-pointname">{t('compose.pointName')}</label>
        <input id="co-pointname" type="text" maxLength={80} value={form.pointName} onInput={(e) => update({ ...form, pointName: (e.target as HTMLInputElement).value })} />
      </div>
      <LangFields t={t} lang="nl" value={form.text.nl} set={setLang('nl')} />
      <p>
        <label>
          <input type="checkbox" checked={form.english} onChange={(e) => update({ ...form, english: (e.target as HTMLInputElement).checked })} /> {t('compose.english')}
        </label>
      </p>
      {form.english && <LangFields t={t} lang="en" value={form.text.en} set={setLang('en')} />}

      <fieldset class="co-referrals">
        <legend>{t('compose.referrals')}</legend>
        {form.referrals.map((r, i) => {
          const set = (next: typeof r) => update({ ...form, referrals: form.referrals.map((x, j) => (j === i ? next : x)) });
          return (
            <div class="co-referral" key={i}>
              <label for={`co-ref-need-${i}`}>{t('compose.need')}</label>
              <select id={`co-ref-need-${i}`} value={r.need} onChange={(e) => set({ ...r, need: (e.target as HTMLSelectElement).value as typeof r.need })}>
                {NEEDS.map((n) => (
                  <option key={n} value={n}>
                    {t(`need.${n}`)}
                  </option>
                ))}
              </select>
              <label for={`co-ref-nl-${i}`}>{t('compose.place', { lang: 'nl' })}</label>
              <input id={`co-ref-nl-${i}`} type="text" value={r.place.nl} onInput={(e) => set({ ...r, place: { ...r.place, nl: (e.target as HTMLInputElement).value } })} />
              {form.english && (
                <>
                  <label for={`co-ref-en-${i}`}>{t('compose.place', { lang: 'en' })}</label>
                  <input id={`co-ref-en-${i}`} type="text" value={r.place.en} onInput={(e) => set({ ...r, place: { ...r.place, en: (e.target as HTMLInputElement).value } })} />
                </>
              )}
              <button type="button" class="co-button" onClick={() => update({ ...form, referrals: form.referrals.filter((_, j) => j !== i) })}>
                {t('compose.removeReferral', { n: i + 1 })}
              </button>
            </div>
          );
        })}
        <button type="button" class="co-button" disabled={form.referrals.length >= 8} onClick={() => update({ ...form, referrals: [...form.referrals, { need: 'shelter', place: { nl: '', en: '' } }] })}>
          {t('compose.addReferral')}
        </button>
      </fieldset>

      <fieldset class="co-services">
        <legend>{t('compose.services')}</legend>
        {SERVICES.map((s) => (
          <label key={s}>
            <input
              type="checkbox"
              checked={form.services.includes(s)}
              onChange={(e) => update({ ...form, services: (e.target as HTMLInputElement).checked ? [...form.services, s] : form.services.filter((x) => x !== s) })}
            />{' '}
            {t(`service.${s}`)}
          </label>
        ))}
      </fieldset>

      <fieldset class="co-target">
        <legend>{t('compose.target')}</legend>
        <label>
          <input type="radio" name="co-target" checked={target.kind === 'all'} onChange={() => setTarget({ kind: 'all' })} /> {t('compose.target.all', { n: known.length })}
        </label>
        <label>
          <input type="radio" name="co-target" checked={target.kind === 'point'} onChange={() => setTarget({ kind: 'point', point: known[0] ?? '' })} /> {t('compose.target.point')}
        </label>
        <label>
          <input type="radio" name="co-target" checked={target.kind === 'group'} onChange={() => setTarget({ kind: 'group', points: [] })} /> {t('compose.target.group')}
        </label>
        {target.kind === 'point' && (
          <p>
            <label for="co-target-point">{t('compose.pickPoint')}</label>{' '}
            <select id="co-target-point" value={target.point} onChange={(e) => setTarget({ kind: 'point', point: (e.target as HTMLSelectElement).value })}>
              {known.map((p) => (
                <option key={p} value={p}>
                  {names.get(p)} ({p})
                </option>
              ))}
            </select>
          </p>
        )}
        {target.kind === 'group' && (
          <div class="co-group">
            {known.map((p) => (
              <label key={p}>
                <input
                  type="checkbox"
                  checked={target.points.includes(p)}
                  onChange={(e) => setTarget({ kind: 'group', points: (e.target as HTMLInputElement).checked ? [...target.points, p] : target.points.filter((x) => x !== p) })}
                />{' '}
                {names.get(p)} ({p})
              </label>
            ))}
          </div>
        )}
      </fieldset>

      {problems.length > 0 && (
        <div class="co-problems" data-tone="warn">
          <p>{t('compose.invalid')}</p>
          <ul>
            {problems.map((p) => (
              <li key={p.field}>{t(`problem.${p.problem}`, { field: fieldLabel(p.field) })}</li>
            ))}
          </ul>
        </div>
      )}
      <p class="co-buttons">
        <button type="button" class="co-button" data-action="preview" disabled={problems.length > 0 || busy !== null} onClick={() => void preview()}>
          {busy === 'preview' ? t('compose.previewing') : t('compose.preview')}
        </button>
        <button type="button" class="co-button co-button--primary" data-action="send" disabled={problems.length > 0 || !fresh || busy !== null || reach.length === 0} onClick={() => void send()}>
          {busy === 'send' ? t('compose.sending') : t('compose.send', { n: reach.length })}
        </button>
      </p>
      {!fresh && problems.length === 0 && <p>{previews ? t('compose.previewStale') : t('compose.needPreview')}</p>}
      {error && <p role="alert">{t('error', { message: error })}</p>}

      {previews && (
        <section aria-labelledby="co-preview-title" class="co-previews" data-fresh={String(fresh)}>
          <h3 id="co-preview-title">{t('compose.previewTitle')}</h3>
          {previews.map((p) => (
            <figure key={p.panel} data-panel={p.panel}>
              <img src={p.png} width={p.width} height={p.height} alt={t('compose.previewAlt', { panel: p.name, page: p.page + 1, pages: p.pages })} />
              <figcaption>
                {p.name} · {t('compose.page', { page: p.page + 1, pages: p.pages })}
                {p.pages > 1 && (
                  <span class="co-buttons">
                    {Array.from({ length: p.pages }, (_, i) => (
                      <button key={i} type="button" class="co-button" aria-pressed={i === p.page} onClick={() => void pagePreview(p.panel, i)}>
                        {i + 1}
                      </button>
                    ))}
                  </span>
                )}
              </figcaption>
            </figure>
          ))}
        </section>
      )}

      {sent && (
        <section aria-labelledby="co-sent-title" aria-live="polite">
          <h3 id="co-sent-title">{t('delivery.title')}</h3>
          <p>{t('compose.sent', { time: clock(locale, sent.at) })}</p>
          <Deliveries t={t} record={sent} names={names} />
        </section>
      )}
      {recent.length > 0 && (
        <section aria-labelledby="co-recent-title">
          <h3 id="co-recent-title">{t('delivery.recent')}</h3>
          {recent.slice(0, 5).map((r) => (
            <div key={r.id}>
              <p>
                {clock(locale, r.at)} · {r.authority}
              </p>
              <Deliveries t={t} record={r} names={names} />
            </div>
          ))}
        </section>
      )}
    </section>
  );
}
