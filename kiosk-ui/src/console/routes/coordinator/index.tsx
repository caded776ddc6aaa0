// The coordinator console (screen `coordinator`): its own sub-navigation over the overview, a point's
// detail, alerts, inbox, the broadcast composer and the pilot evidence; one data store with live updates.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { createCoordinatorApi, type CoordinatorApi } from '../../../lib/api/coordinator.js';
import { liveUrl } from '../../../lib/api/live.js';
import { translator } from '../../../lib/i18n/table.js';
import { coordinatorStrings } from '../../../lib/i18n/tables/coordinator.js';
import { routeHref } from '../../router.js';
import type { ScreenProps } from '../../screens.js';
import { Alerts } from './Alerts.js';
import { Composer } from './Composer.js';
import { Evidence } from './Evidence.js';
import { Inbox, inboxBadge } from './Inbox.js';
import { Overview } from './Overview.js';
import { PointDetail } from './PointDetail.js';
import { createCoordinatorStore, type CoordinatorStore } from './store.js';
import './coordinator.css';

export type SubPage = { page: 'overview' | 'alerts' | 'inbox' | 'broadcast' | 'evidence' } | { page: 'point'; point: string };

/** `rest` of `#/coordinator/<rest>`: '' | 'alerts' | 'inbox' | 'broadcast' | 'evidence' | 'point?id=<id>'. */
export function parseSubPage(rest: string): SubPage {
  const [path = '', query = ''] = rest.split('?');
  if (path === 'point') {
    const point = new URLSearchParams(query).get('id');
    if (point) return { page: 'point', point };
  }
  if (path === 'alerts' || path === 'inbox' || path === 'broadcast' || path === 'evidence') return { page: path };
  return { page: 'overview' };
}

export const subHref = (page: string, point?: string) =>
  routeHref('coordinator', page === 'overview' ? '' : page === 'point' ? `point?id=${encodeURIComponent(point ?? '')}` : page);

export default function Coordinator(props: ScreenProps & { api?: CoordinatorApi; store?: CoordinatorStore }) {
  const { i18n, session } = props;
  const t = translator(coordinatorStrings, i18n);
  const locale = i18n.locale();
  const api = useMemo(() => props.api ?? createCoordinatorApi(session), [session, props.api]);
  const store = useMemo(() => props.store ?? createCoordinatorStore(api), [api, props.store]);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    store.start(liveUrl(location));
    const tick = setInterval(() => setNow(Date.now()), 10_000);
    return () => (store.stop(), clearInterval(tick));
  }, [store]);

  const sub = parseSubPage(props.rest);
  const alerts = store.alerts.value;
  const link = (page: SubPage['page'], label: string) => (
    <a class="co-subnav__link" href={subHref(page)} aria-current={sub.page === page ? 'page' : undefined}>
      {label}
    </a>
  );
  const conn = store.lost.value ? 'conn.lost' : store.mode.value === 'live' ? 'conn.live' : 'conn.polling';
  return (
    <div class="co">
      <nav class="co-subnav" aria-label={t('nav.label')}>
        {link('overview', t('nav.overview'))}
        {link('alerts', t('nav.alerts', { n: alerts?.length ?? 0 }))}
        {link('inbox', t('nav.inbox', { n: inboxBadge(store.inboxCounts.value) }))}
        {link('broadcast', t('nav.broadcast'))}
        {link('evidence', t('nav.evidence'))}
      </nav>
      <p class="co-conn" data-state={store.mode.value}>
        {t(conn)}
      </p>
      {sub.page === 'overview' && <Overview t={t} locale={locale} points={store.points.value} error={store.error.value} now={now} href={(p) => subHref('point', p)} />}
      {sub.page === 'point' && (
        <PointDetail t={t} locale={locale} api={api} point={sub.point} backHref={subHref('overview')} version={store.points.value?.find((p) => p.point === sub.point)?.lastHeardAt ?? null} onAlertChange={() => void store.refreshAlerts()} />
      )}
      {sub.page === 'alerts' && <Alerts t={t} locale={locale} api={api} open={alerts} onChange={() => void store.refreshAlerts()} />}
      {sub.page === 'inbox' && <Inbox t={t} locale={locale} api={api} version={store.inboxVersion.value} />}
      {sub.page === 'broadcast' && <Composer t={t} locale={locale} api={api} points={store.points.value} />}
      {sub.page === 'evidence' && <Evidence t={t} api={api} />}
    </div>
  );
}
