// Staff/technician/coordinator console entry (`/console/`): every screen behind the gateway's login session.
import { render } from 'preact';
import '../shared/fallback.css';
import './console.css';
import { createApiClient } from '../lib/api/client.js';
import { createSessionStore } from '../lib/api/session.js';
import { liveUrl } from '../lib/api/live.js';
import { ServicesContext, type Services } from '../lib/context.js';
import { createBrowserI18n } from '../lib/i18n/i18n.js';
import { createLiveStore } from '../lib/stores/live.js';
import { createStatusStore } from '../lib/stores/status.js';
import { ErrorBoundary } from '../components/ErrorBoundary.js';
import { App } from './App.js';
import { SessionContext } from './auth/session-context.js';

// The console is complete in Dutch and English only (Arabic covers the resident screen).
const i18n = createBrowserI18n(['nl', 'en']);
const api = createApiClient();
const status = createStatusStore(api);
const session = createSessionStore();
// The coordinator screens load `/api/points` themselves (routes/coordinator/store.ts), for logged-in users only.
const live = createLiveStore({ url: liveUrl(location), status });
const services: Services = { i18n, status, live };

render(
  <ServicesContext.Provider value={services}>
    <ErrorBoundary title={i18n.t('error.title')} reload={i18n.t('error.reload')}>
      <SessionContext.Provider value={session}>
        <App />
      </SessionContext.Provider>
    </ErrorBoundary>
  </ServicesContext.Provider>,
  document.getElementById('app')!,
);
