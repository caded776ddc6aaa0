// Resident app entry (`/`). Kept small: Preact, signals and the resident screens only.
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
import { createContentStore } from './content-store.js';
import { readInitial } from './initial.js';

const i18n = createBrowserI18n();
const status = createStatusStore(createApiClient());
// what the gateway rendered the page with: the first render matches it and needs no request
const initial = readInitial(document);
if (initial?.status) status.receive(initial.status);
const content = createContentStore(
  initial && initial.content !== undefined ? { initial: { content: initial.content, boardUpdatedAt: initial.status?.board.updatedAt ?? null } } : {},
);
const services: Services = { i18n, status, live: createLiveStore({ url: liveUrl(location), status }) };

render(
  <ServicesContext.Provider value={services}>
    <ErrorBoundary title={i18n.t('error.title')} reload={i18n.t('error.reload')}>
      <App content={content} />
    </ErrorBoundary>
  </ServicesContext.Provider>,
  document.getElementById('app')!,
);
// the app has taken over the server-rendered page (its handlers are attached): tests and the ui bench wait for it
document.documentElement.setAttribute('data-app', 'ready');
performance.mark('ns-app-ready');
