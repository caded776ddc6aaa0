import { useEffect } from 'preact/hooks';
import { useServices } from '../lib/context.js';
import { StatusPage } from './StatusPage.js';
import { ReportApp, reportRoute } from './ReportApp.js';

export function App() {
  const { i18n, status, live } = useServices();
  // Screens are separate addresses (each also served without JavaScript), so the route is read once.
  const route = reportRoute(location);
  useEffect(() => {
    if (route) return;
    live.start();
    return () => live.stop();
  }, [live, route === null]);
  const name = status.data.value?.point.name;
  const title = name ? `${name} · ${i18n.t('app.title')}` : i18n.t('app.title');
  useEffect(() => {
    document.title = title;
  }, [title]);
  if (route) return <ReportApp i18n={i18n} route={route} />;
  return <StatusPage i18n={i18n} status={status.data.value} mode={live.mode.value} lost={live.lost.value} />;
}
