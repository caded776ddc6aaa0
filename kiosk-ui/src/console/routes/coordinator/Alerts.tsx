// Alerts: unresolved first, critical before warning. An operator acknowledges ("seen") or resolves one,
// with an optional note; the gateway records who did it.
import { useEffect, useState } from 'preact/hooks';
import type { Alert, CoordinatorApi } from '../../../lib/api/coordinator.js';
import { errorText } from '../../../lib/stores/errors.js';
import { alertValue, clock, orderAlerts, type T } from './view.js';

function AlertItem(props: { t: T; locale: string; api: CoordinatorApi; alert: Alert; onChange: () => void }) {
  const { t, locale, api, alert: a } = props;
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = async (f: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
      props.onChange();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const noteId = `co-alert-note-${a.id}`;
  return (
    <li class="co-alert" data-alert={a.id} data-rule={a.rule} data-severity={a.severity} data-state={a.state}>
      <p class="co-alert__head">
        <span class="co-badge" data-tone={a.state === 'resolved' ? 'unknown' : a.severity === 'critical' ? 'bad' : 'warn'}>
          {t(`severity.${a.severity}`)}
        </span>{' '}
        <strong>{t(`rule.${a.rule}`)}</strong> {alertValue(locale, a)} — {a.pointName} <code>{a.point}</code>
      </p>
      <p class="co-alert__meta">
        {t(`state.${a.state}`)} · {t('alerts.raised', { time: clock(locale, a.raisedAt) })}
        {!a.conditionActive && a.state !== 'resolved' ? ` · ${t('alerts.conditionGone')}` : ''}
        {a.acknowledgedBy ? ` · ${t('alerts.ackedBy', { who: a.acknowledgedBy })}` : ''}
        {a.state === 'resolved' ? ` · ${a.resolution === 'auto' ? t('alerts.autoResolved') : t('alerts.resolvedBy', { who: a.resolvedBy ?? '?' })}` : ''}
        {a.note ? ` · “${a.note}”` : ''}
      </p>
      {a.state !== 'resolved' && (
        <div class="co-alert__actions">
          {a.state === 'open' && (
            <button type="button" class="co-button" disabled={busy} onClick={() => void act(() => api.ackAlert(a.id))}>
              {t('alerts.ack')}
            </button>
          )}
          <label for={noteId}>{t('alerts.note')}</label>
          <input id={noteId} type="text" maxLength={200} value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
          <button type="button" class="co-button" disabled={busy} onClick={() => void act(() => api.resolveAlert(a.id, note.trim() || undefined))}>
            {t('alerts.resolve')}
          </button>
        </div>
      )}
      {error && <p role="alert">{t('error', { message: error })}</p>}
    </li>
  );
}

export function AlertList(props: { t: T; locale: string; api: CoordinatorApi; alerts: Alert[]; onChange: () => void }) {
  if (props.alerts.length === 0) return <p>{props.t('alerts.empty')}</p>;
  return (
    <ul class="co-alerts">
      {orderAlerts(props.alerts).map((a) => (
        <AlertItem key={a.id} t={props.t} locale={props.locale} api={props.api} alert={a} onChange={props.onChange} />
      ))}
    </ul>
  );
}

export function Alerts(props: { t: T; locale: string; api: CoordinatorApi; open: Alert[] | null; onChange: () => void }) {
  const { t } = props;
  const [all, setAll] = useState(false);
  const [every, setEvery] = useState<Alert[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!all) return;
    props.api.alerts('all').then(
      (r) => setEvery(r.alerts),
      (err: unknown) => setError(errorText(err)),
    );
  }, [all, props.open]);
  const list = all ? every : props.open;
  return (
    <section aria-labelledby="co-al-title">
      <h2 id="co-al-title">{t('alerts.title')}</h2>
      <p>
        <label>
          <input type="checkbox" checked={all} onChange={(e) => setAll((e.target as HTMLInputElement).checked)} /> {t('alerts.showAll')}
        </label>
      </p>
      {error && <p role="alert">{t('error', { message: error })}</p>}
      {list ? <AlertList t={t} locale={props.locale} api={props.api} alerts={list} onChange={props.onChange} /> : <p role="status">{t('loading')}</p>}
    </section>
  );
}
