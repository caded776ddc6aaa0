// Resident app entry (`/`). Kept small: Preact, signals and this screen only.
import { render } from 'preact';
import '../shared/fallback.css';
import './resident.css';
import { createApiClient } from '../lib/api/client.js';
import { liveUrl } from '../lib/api/live.js';
import { ServicesContext, type Services } from '../lib/context.js';
import { createBrowserI18n } from '../lib/i18n/i18n.js';
import { createLiveStore } from '../lib/stores/live.js';
import { createStatusStore } from '../lib/stores/status.js';
import { ErrorBoundary } from '../components/ErrorBoundary.js';
import { App } from './App.js';

const i18n = createBrowserI18n();
const status = createStatusStore(createApiClient());
const services: Services = { i18n, status, live: createLiveStore({ url: liveUrl(location), status }) };

render(
  <ServicesContext.Provider value={services}>
    <ErrorBoundary title={i18n.t('error.title')} reload={i18n.t('error.reload')}>
      <App />
    </ErrorBoundary>
  </ServicesContext.Provider>,
  document.getElementById('app')!,
);
