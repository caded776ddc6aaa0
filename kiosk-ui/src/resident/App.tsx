import { useEffect } from 'preact/hooks';
import { useServices } from '../lib/context.js';
import { StatusPage } from './StatusPage.js';

export function App() {
  const { i18n, status, live } = useServices();
  useEffect(() => {
    live.start();
    return () => live.stop();
  }, [live]);
  const name = status.data.value?.point.name;
  const title = name ? `${name} · ${i18n.t('app.title')}` : i18n.t('app.title');
  useEffect(() => {
    document.title = title;
  }, [title]);
  return <StatusPage i18n={i18n} status={status.data.value} mode={live.mode.value} lost={live.lost.value} />;
}
