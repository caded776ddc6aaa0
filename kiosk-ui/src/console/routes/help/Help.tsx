// Staff: citizen help at this point — both lists, match an offer to a request, follow it to done, withdraw,
// pass a request on to the coordination point (as a needs report) — and the neighbourhood directory editor
// (`#/help/places`). Every call goes through the login session (CSRF header on changes).
import { useMemo, useState } from 'preact/hooks';
import { staffHelpApi, type HelpEntry, type StaffHelpApi } from '../../../lib/api/help.js';
import type { I18n } from '../../../lib/i18n/i18n.js';
import type { Key } from '../../../lib/i18n/strings.js';
import { translator, type Translate } from '../../../lib/i18n/table.js';
import { helpStaffStrings } from '../../../lib/i18n/tables/help-staff.js';
import { reasonOf } from '../../../lib/api/client.js';
import { routeHref } from '../../router.js';
import type { ScreenProps } from '../../screens.js';
import { usePolled } from '../../../lib/use-polled.js';
import { actionsFor, offersFor, sortEntries, type StaffAction } from './staff-logic.js';
import { Places } from './Places.js';
import { Register } from './Register.js';
import type { Msg } from './shared.js';
import './help-staff.css';

const REFRESH_MS = 15_000;
type St = Translate<keyof typeof helpStaffStrings.nl>;

export default function Help({ i18n, session, rest }: ScreenProps) {
  const t = translator(helpStaffStrings, i18n);
  const api = useMemo(() => staffHelpApi(session), [session]);
  const tab = rest.startsWith('places') ? 'places' : rest.startsWith('new') ? 'new' : 'entries';
  return (
    <section aria-labelledby="help-title" data-screen="help">
      <h2 id="help-title">{t('title')}</h2>
      <nav class="nc-actions" aria-label={t('title')}>
        <a class="nc-link" href={routeHref('help')} aria-current={tab === 'entries' ? 'page' : undefined}>
          {t('tab.entries')}
        </a>
        <a class="nc-link" href={routeHref('help', 'new')} aria-current={tab === 'new' ? 'page' : undefined}>
          {t('tab.new')}
        </a>
        <a class="nc-link" href={routeHref('help', 'places')} aria-current={tab === 'places' ? 'page' : undefined}>
          {t('tab.places')}
        </a>
        {/* counts only (no personal data): for the pilot evaluation; the session cookie authorises the download */}
        <a class="nc-link" href="/api/staff/help/export" download="burenhulp.csv">
          {t('export')}
        </a>
      </nav>
      {tab === 'places' ? <Places i18n={i18n} api={api} /> : tab === 'new' ? <Register i18n={i18n} api={api} /> : <Entries i18n={i18n} t={t} api={api} />}
    </section>
  );
}

function Entries({ i18n, t, api }: { i18n: I18n; t: St; api: StaffHelpApi }) {
  const [all, setAll] = useState(false);
  const [msg, setMsg] = useState<Msg>(null);
  const [busy, setBusy] = useState(false);

  const polled = usePolled(() => api.list(all ? 'all' : 'active'), REFRESH_MS, [api, all]);
  const entries = polled.data;

  const act = async (what: () => Promise<unknown>, ok: string) => {
    setBusy(true);
    setMsg(null);
    try {
      await what();
      setMsg({ tone: 'ok', text: ok });
      await polled.reload();
    } catch (err) {
      setMsg({ tone: 'bad', text: t('msg.failed', { reason: reasonOf(err) }) });
    } finally {
      setBusy(false);
    }
  };

  if (!entries) return <p role="status">{polled.error ?? t('loading')}</p>;
  const { requests, offers } = sortEntries(entries);
  const byId = new Map(entries.map((e) => [e.id, e]));
  const ctx: CardCtx = { i18n, t, busy, byId, entries, act, api };
  return (
    <>
      <p>{t('intro')}</p>
      <label class="nc-check">
        <input type="checkbox" checked={all} onChange={(ev) => setAll(ev.currentTarget.checked)} /> {t('showAll')}
      </label>
      <p class="nc-msg" role="status" data-tone={msg?.tone}>
        {msg?.text ?? ''}
      </p>
      <div class="nc-grid nc-help">
        <section aria-labelledby="help-requests" data-list="requests">
          <h3 id="help-requests">{t('requests', { n: requests.length })}</h3>
          {requests.length ? requests.map((e) => <EntryCard key={e.id} e={e} {...ctx} />) : <p>{t('none')}</p>}
        </section>
        <section aria-labelledby="help-offers" data-list="offers">
          <h3 id="help-offers">{t('offers', { n: offers.length })}</h3>
          {offers.length ? offers.map((e) => <EntryCard key={e.id} e={e} {...ctx} />) : <p>{t('none')}</p>}
        </section>
      </div>
    </>
  );
}

interface CardCtx {
  i18n: I18n;
  t: St;
  busy: boolean;
  byId: Map<string, HelpEntry>;
  entries: HelpEntry[];
  act: (what: () => Promise<unknown>, ok: string) => Promise<void>;
  api: StaffHelpApi;
}

/** Category and the resident's own words (isolated: Arabic text must not reorder the Dutch around it). */
function Summary({ i18n, e }: { i18n: I18n; e: HelpEntry }) {
  return (
    <>
      {i18n.t(`need.${e.category}` as Key)}
      {e.personal ? (
        <>
          : <bdi>{e.personal.what}</bdi>
        </>
      ) : null}
    </>
  );
}

function summaryText(i18n: I18n, e: HelpEntry): string {
  return `${i18n.t(`need.${e.category}` as Key)}${e.personal ? `: ${e.personal.what}` : ''}`;
}

function EntryCard({ e, i18n, t, busy, byId, entries, act, api }: CardCtx & { e: HelpEntry }) {
  const [offer, setOffer] = useState('');
  const [note, setNote] = useState('');
  const when = (ms: number) => new Date(ms).toLocaleString(i18n.locale(), { dateStyle: 'short', timeStyle: 'short' });
  const partner = e.matchedWith ? byId.get(e.matchedWith) : undefined;
  const candidates = offersFor(e, entries);
  const chosen = offer || candidates[0]?.id || '';
  const p = e.personal;
  const facts = [
    e.urgency ? t(`urgency.${e.urgency}`) : null,
    e.kind === 'request' ? (e.people ? t('people', { n: e.people }) : t('peopleUnknown')) : null,
    e.transport ? t('transport') : null,
    e.origin === 'staff' ? t('byStaff') : null,
  ].filter(Boolean);
  const doAction = (a: StaffAction) =>
    a === 'escalate'
      ? act(() => api.escalate(e.id, note.trim()), t('msg.escalated'))
      : act(() => api.setStatus(e.id, a), t('msg.changed'));
  return (
    <article class="nc-panel nc-entry" data-entry={e.id} data-kind={e.kind} data-status={e.status} data-category={e.category}>
      <h4>
        <Summary i18n={i18n} e={e} /> <span class="nc-value" data-tone={e.status === 'open' ? 'warn' : e.status === 'done' ? 'ok' : undefined}>{t(`state.${e.status}`)}</span>
      </h4>
      {facts.length ? <p>{facts.join(' · ')}</p> : null}
      {p ? (
        <p dir="auto">
          {[p.where ? t('where', { where: p.where }) : null, p.when ? t('when', { when: p.when }) : null, `${t(`contact.${p.contact.method}`)}${p.contact.note ? `: ${p.contact.note}` : ''}`]
            .filter(Boolean)
            .join(' · ')}
        </p>
      ) : (
        <p>
          <em>{t('purged')}</em>
        </p>
      )}
      <p class="nc-small">
        {t('registered', { time: when(e.createdAt) })} · {t('expires', { time: when(e.expiresAt) })}
      </p>
      {partner || e.matchedWith ? <p data-matched-with={e.matchedWith}>{t('matchedWith', { what: partner ? summaryText(i18n, partner) : (e.matchedWith ?? '') })}</p> : null}
      {e.escalation ? <p data-escalated>{t('escalated', { time: when(e.escalation.at) })}</p> : null}
      {e.kind === 'request' && e.status === 'open' ? (
        candidates.length ? (
          <div class="nc-actions">
            <label>
              {t('match.label')}{' '}
              <select name={`match-${e.id}`} value={chosen} onChange={(ev) => setOffer(ev.currentTarget.value)}>
                {candidates.map((o) => (
                  <option key={o.id} value={o.id}>
                    {summaryText(i18n, o)}
                  </option>
                ))}
              </select>
            </label>
            <button class="nc-button" type="button" data-do="match" disabled={busy || !chosen} onClick={() => act(() => api.match(chosen, e.id), t('msg.matched'))}>
              {t('match.button')}
            </button>
          </div>
        ) : (
          <p>{t('match.none')}</p>
        )
      ) : null}
      <div class="nc-actions">
        {actionsFor(e).map((a) =>
          a === 'escalate' ? (
            <span key={a} class="nc-escalate">
              <label>
                {t('escalate.note')} <input type="text" maxLength={300} value={note} onInput={(ev) => setNote(ev.currentTarget.value)} />
              </label>
              <button class="nc-button" type="button" data-do="escalate" disabled={busy} onClick={() => doAction(a)}>
                {t('do.escalate')}
              </button>
            </span>
          ) : (
            <button key={a} class={a === 'withdrawn' ? 'nc-button nc-button--danger' : 'nc-button'} type="button" data-do={a} disabled={busy} onClick={() => doAction(a)}>
              {t(`do.${a}`)}
            </button>
          ),
        )}
      </div>
    </article>
  );
}
