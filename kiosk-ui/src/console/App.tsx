import { useEffect, useState } from 'preact/hooks';
import { useServices } from '../lib/context.js';
import { LangSwitch } from '../components/LangSwitch.js';
import { parseRoute, routeHref, type Route } from './router.js';
import { lazyRoute } from './Lazy.js';
import type { I18n } from '../lib/i18n/i18n.js';

const Home = lazyRoute<{ i18n: I18n }>(() => import('./routes/Home.js'), '…');
const Technician = lazyRoute<object>(() => import('./routes/Technician.js'), '…');
const Coordinator = lazyRoute<object>(() => import('./routes/Coordinator.js'), '…');

export function App() {
  const { i18n, live } = useServices();
  const t = i18n.t;
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onHash);
    live.start();
    return () => {
      removeEventListener('hashchange', onHash);
      live.stop();
    };
  }, [live]);

  const conn = live.lost.value ? 'lost' : live.mode.value === 'live' ? 'live' : 'polling';
  const link = (r: Route, label: string) => (
    <a class="nc-nav__link" href={routeHref(r)} aria-current={route === r ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <div class="nc-page">
      <p class="nc-insecure" role="alert" data-placeholder="auth">
        {t('insecure.banner')}
      </p>
      <header class="nc-header">
        <h1>{t('console.title')}</h1>
        <nav class="nc-nav">
          {link('home', t('nav.home'))}
          {link('technician', t('nav.technician'))}
          {link('coordinator', t('nav.coordinator'))}
        </nav>
        <LangSwitch i18n={i18n} />
      </header>
      <main>
        {route === 'technician' ? <Technician /> : route === 'coordinator' ? <Coordinator /> : <Home i18n={i18n} />}
      </main>
      <footer>
        <p class="ns-conn" role="status" data-state={conn}>
          {t(conn === 'lost' ? 'conn.lost' : conn === 'live' ? 'conn.live' : 'conn.polling')}
        </p>
      </footer>
    </div>
  );
}
