// Reports relayed by the points: emergency reports first and set apart (red band, heading "EMERGENCY"),
// then needs, then "I am safe". Opening the inbox does not mark anything read: the operator does that.
import { useEffect, useState } from 'preact/hooks';
import type { CoordinatorApi, InboxCounts, InboxItem } from '../../../lib/api/coordinator.js';
import { errorText } from '../../../lib/stores/errors.js';
import { clock, inboxSummary, orderInbox, type T } from './view.js';

export function inboxBadge(counts: InboxCounts | null): number {
  return counts ? counts.emergency.unhandled + counts.needs.unhandled + counts.safe.unhandled : 0;
}

function Message(props: { t: T; locale: string; m: InboxItem; act: (f: () => Promise<unknown>) => void; api: CoordinatorApi }) {
  const { t, locale, m, api } = props;
  const headingId = `co-msg-${m.point}-${m.seq}`;
  return (
    <li class="co-msg" data-kind={m.kind} data-msg={m.id} data-handled={String(m.handledAt !== null)} aria-labelledby={headingId}>
      <h3 id={headingId} class="co-msg__kind">
        {t(`inbox.kind.${m.kind}`)}
        {m.readAt === null && <span class="co-badge" data-tone="warn">{t('inbox.unread')}</span>}
      </h3>
      <p class="co-msg__body">{inboxSummary(t, m)}</p>
      <p class="co-msg__meta">
        {t('inbox.from', { point: m.pointName, time: clock(locale, m.created ?? m.received), path: m.path })}
        {m.readBy ? ` · ${t('inbox.readBy', { who: m.readBy })}` : ''}
        {m.handledBy ? ` · ${t('inbox.handledBy', { who: m.handledBy })}` : ''}
      </p>
      <p class="co-buttons">
        {m.readAt === null && (
          <button type="button" class="co-button" onClick={() => props.act(() => api.markRead(m.point, m.seq))}>
            {t('inbox.read')}
          </button>
        )}
        {m.handledAt === null ? (
          <button type="button" class="co-button" onClick={() => props.act(() => api.markHandled(m.point, m.seq, true))}>
            {t('inbox.handled')}
          </button>
        ) : (
          <button type="button" class="co-button" onClick={() => props.act(() => api.markHandled(m.point, m.seq, false))}>
            {t('inbox.reopen')}
          </button>
        )}
      </p>
    </li>
  );
}

export function Inbox(props: { t: T; locale: string; api: CoordinatorApi; version: number }) {
  const { t, api } = props;
  const [onlyOpen, setOnlyOpen] = useState(false);
  const [data, setData] = useState<{ messages: InboxItem[]; counts: InboxCounts } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    api.inbox({ state: onlyOpen ? 'unhandled' : 'all' }).then(
      (d) => (setData(d), setError(null)),
      (err: unknown) => setError(errorText(err)),
    );
  useEffect(() => {
    void load();
  }, [onlyOpen, props.version]);
  const act = (f: () => Promise<unknown>) => {
    f().then(load, (err: unknown) => setError(errorText(err)));
  };
  return (
    <section aria-labelledby="co-in-title">
      <h2 id="co-in-title">{t('inbox.title')}</h2>
      <p>{t('inbox.intro')}</p>
      {data && <p data-counts>{t('inbox.counts', { e: data.counts.emergency.unhandled, n: data.counts.needs.unhandled, s: data.counts.safe.unhandled })}</p>}
      <p>
        <label>
          <input type="checkbox" checked={onlyOpen} onChange={(e) => setOnlyOpen((e.target as HTMLInputElement).checked)} /> {t('inbox.onlyOpen')}
        </label>
      </p>
      {error && <p role="alert">{t('error', { message: error })}</p>}
      {!data ? (
        <p role="status">{t('loading')}</p>
      ) : data.messages.length === 0 ? (
        <p>{t('inbox.empty')}</p>
      ) : (
        <ul class="co-inbox">
          {orderInbox(data.messages).map((m) => (
            <Message key={m.id} t={t} locale={props.locale} m={m} act={act} api={api} />
          ))}
        </ul>
      )}
    </section>
  );
}
