// The gateway in the `coordinator` role: its own broker for the points, ingest of their status, and
// the console API. (Forecasts, alerts, inbox and signed broadcasts build on this.)
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { escapeHtml } from '../http/server.js';
import type { PointEntry } from '../coordinator/point-book.js';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { CredentialStore, startEmbeddedBroker } from '../broker/index.js';
import { PointBook } from '../coordinator/point-book.js';
import { MqttPointIngest } from '../coordinator/mqtt-ingest.js';
import { createHttpServer, type RouteTable } from '../http/server.js';
import { attachLiveHub, type LiveHub } from '../http/live.js';
import { buildStatusData } from '../http/status-view.js';
import { createSystemdNotifier } from '../core/systemd.js';
import { Lifecycle } from './lifecycle.js';
import { Store, HOUR_MS, DAY_MS } from '../store/index.js';
import { createApi } from '../api/index.js';
import { PointCommandSchema, pointTopics } from '../protocol/index.js';
import type { GatewayDeps, RunningGateway } from './point-gateway.js';
import { startRelayIngest } from '../coordinator/relay-wiring.js';
import { startBroadcasts } from '../coordinator/broadcast-wiring.js';
import { contentForPoint } from '../coordinator/point-directory.js';
import { CoordinatorMonitor } from '../coordinator/monitor.js';
import { coordinatorConsoleApi } from '../coordinator/console-api.js';
import { createBoardPreviewer } from '../coordinator/preview.js';
import type { StatusReport } from '../relay/messages.js';

/** A point is silent after this many of its status intervals without a status. */
const SILENT_AFTER_MS = 3 * 60_000;

export async function startCoordinatorGateway(config: Config, deps: GatewayDeps): Promise<RunningGateway> {
  const { clock, log } = deps;
  const life = new Lifecycle(log.child('life'));
  mkdirSync(config.dataDir, { recursive: true, mode: 0o750 });
  try {
    let mqttUrl: string;
    let creds: { username: string; password: string };
    if (config.mqtt.mode === 'embedded') {
      const credentials = await CredentialStore.open(config.dataDir, { log: log.child('credentials') });
      const broker = await startEmbeddedBroker({ host: config.mqtt.host, port: config.mqtt.port, credentials, log: log.child('broker') });
      life.adopt({ name: 'broker', stop: () => broker.close() });
      mqttUrl = broker.url;
      creds = credentials.gateway;
    } else {
      mqttUrl = config.mqtt.url;
      creds = { username: config.mqtt.username, password: readFileSync(config.mqtt.passwordFile, 'utf8').trim() };
    }

    // Accounts (first-run set-up, coordinators) and the commands a coordinator sends to points.
    const store = Store.open(join(config.dataDir, 'coordinator.db'), {
      rawRetentionMs: config.store.rawRetentionHours * HOUR_MS,
      eventRetentionMs: config.store.eventRetentionDays * DAY_MS,
      log: log.child('store'),
    });
    life.adopt({ name: 'store', stop: () => store.close() });

    const book = new PointBook(SILENT_AFTER_MS);
    let notifyPoints = () => {};
    let live: LiveHub | null = null;
    // History, forecasts, alerts and pilot evidence of every point (the console reads them).
    const monitor = new CoordinatorMonitor({
      db: store.db,
      book,
      clock,
      log: log.child('monitor'),
      on: { alert: (changed) => live?.notify('alerts', () => ({ alerts: monitor.openAlerts(), changed })) },
    });
    life.adopt({ name: 'monitor', stop: clock.setInterval(() => monitor.tick(), 10_000) });
    life.adopt({ name: 'monitor flush', stop: () => monitor.flush() });
    const inboxChanged = () => live?.notify('inbox', () => ({ counts: monitor.inbox.counts() }));
    const ingest = new MqttPointIngest({
      url: mqttUrl,
      ...creds,
      log: log.child('ingest'),
      on: {
        status: (s) => {
          const now = clock.now();
          if (book.applyStatus(s, now) !== 'accepted') return;
          monitor.status(s, now);
          notifyPoints();
        },
        state: (p, st) => {
          book.applyLinkState(p, st);
          log.info(st === 'online' ? 'point link up' : 'point link down', { point: p });
          notifyPoints();
        },
      },
    });
    await life.start({ name: 'point ingest', start: () => ingest.start(), stop: () => ingest.stop() });

    // Residents' reports relayed by the points: over the point ingest's connection, and from a LoRaWAN network server.
    await startRelayIngest({
      config,
      db: store.db,
      client: ingest.connection,
      clock,
      log: log.child('relay'),
      life,
      on: {
        message: () => inboxChanged(),
        // The IP path's full status arrives over the point ingest; a status over LoRa is the compact form.
        status: (point, status, path) => {
          if (path === 'ip') return;
          monitor.loraStatus(point, status as StatusReport, clock.now());
          notifyPoints();
        },
        // Help counts of a point on LoRa (fPort 11): shown in its status.help like over MQTT.
        help: (point, help, meta) => {
          monitor.loraHelp(point, help, meta.received, meta.cut);
          notifyPoints();
        },
      },
    });
    // Signed board content for the points (POST /api/broadcasts) and their answers.
    const broadcasts = await startBroadcasts({
      issuer: config.id,
      dataDir: config.dataDir,
      client: ingest.connection,
      publish: (topic, payload) => ingest.publish(topic, payload),
      knownPoints: () => book.list(clock.now()).map((p) => p.point),
      perPoint: (point, content) => contentForPoint(content, point, book.list(clock.now())),
      clock,
      log: log.child('broadcasts'),
      life,
    });
    const previewer = createBoardPreviewer({ log: log.child('preview') });
    life.adopt({ name: 'preview renderer', stop: () => previewer.close() });
    const api = createApi({
      broadcasts,
      db: store.db,
      clock,
      log: log.child('api'),
      sink: null,
      personalRetentionDays: config.privacy.personalRetentionDays,
      setupCodeFile: join(config.dataDir, 'setup-code'),
      pointCommands: async (point, cmd) => {
        await ingest.publish(pointTopics.command(point), JSON.stringify(PointCommandSchema.parse(cmd)));
        log.info('command sent to point', { point, id: cmd.id, op: cmd.op });
      },
      ...(deps.uiDir ? { uiDir: deps.uiDir } : {}),
      modules: [coordinatorConsoleApi({ monitor, db: store.db, previewer, name: config.name, inboxChanged })],
    });
    await life.start({ name: 'api', start: () => api.start(), stop: () => api.stop() });

    const points = () => ({ points: monitor.overview() });
    const routes: RouteTable = {
      ...api.routes,
      'GET /': (req) => {
        // The point list is for logged-in coordinators only; anyone else is sent to the console's login.
        const role = api.auth.session(req)?.user.role;
        const allowed = role === 'coordinator' || role === 'technician';
        return { kind: 'html', body: coordinatorHome(config.name, allowed ? book.list(clock.now()) : null, Boolean(deps.uiDir)) };
      },
      'GET /api/status': () => ({
        kind: 'json',
        data: buildStatusData({ point: { id: config.id, name: config.name, role: 'coordinator' }, registry: null, now: clock.now(), board: { image: null, updatedAt: null } }),
      }),
      'GET /api/health': () => ({ kind: 'json', data: { ok: true, ingest: ingest.stats, points: book.size } }),
    };
    const http = createHttpServer({ routes, log: log.child('http'), ...(deps.uiDir ? { staticDir: deps.uiDir } : {}) });
    const port = await http.listen(config.http.port, config.http.host);
    // Point telemetry, alerts and the inbox are for the coordination point's own users only.
    const hub = attachLiveHub(http.server, log.child('live'), {
      authorize: (req) => {
        const role = api.auth.session(req)?.user.role;
        return role === 'coordinator' || role === 'technician';
      },
    });
    live = hub;
    life.adopt({ name: 'http', stop: async () => (hub.close(), await http.close()) });
    notifyPoints = () => hub.notify('points', points);
    // Silence is a change too: re-evaluate every half minute.
    life.adopt({ name: 'silence', stop: clock.setInterval(() => notifyPoints(), 30_000) });

    const httpUrl = `http://localhost:${port}`;
    writeFileSync(join(config.dataDir, 'http.url'), httpUrl + '\n');
    const systemd = createSystemdNotifier(log.child('systemd'));
    const stopWatchdog = systemd.startWatchdog(() => true);
    systemd.ready(`serving ${httpUrl}`);
    life.adopt({ name: 'systemd', stop: () => (stopWatchdog(), systemd.stopping()) });
    log.info('coordinator running', { id: config.id, http: httpUrl, mqtt: mqttUrl });
    return { httpUrl, mqttUrl, stop: () => life.stopAll() };
  } catch (err) {
    await life.stopAll();
    throw err;
  }
}

/** Landing page: the console when the UI is built, else a plain server-rendered list of points (null: not logged in). */
function coordinatorHome(name: string, points: PointEntry[] | null, haveUi: boolean): string {
  const rows = (points ?? [])
    .map((p) => {
      const s = p.status;
      const cell = (v: number | null | undefined, unit: string) => (v === null || v === undefined ? 'onbekend' : `${Math.round(v)} ${unit}`);
      return `<tr><td>${escapeHtml(p.name)}</td><td>${p.online ? 'online' : 'stil'}</td><td>${cell(s?.fuel?.pct, '%')}</td><td>${cell(s?.battery?.soc, '%')}</td><td>${cell(s?.visitors?.inside, '')}</td><td>${escapeHtml((s?.alarms ?? []).join(', '))}</td></tr>`;
    })
    .join('');
  const go = haveUi ? '<meta http-equiv="refresh" content="0; url=/console/#/coordinator">' : '<meta http-equiv="refresh" content="30">';
  return `<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${go}
<title>${escapeHtml(name)}</title></head><body><h1>${escapeHtml(name)}</h1>
<p><a href="/console/#/coordinator">Console</a></p>
${points === null ? '<p>Log in op de console om de punten te zien.</p></body></html>' : `<table><thead><tr><th>Punt</th><th>Verbinding</th><th>Brandstof</th><th>Accu</th><th>Binnen</th><th>Alarmen</th></tr></thead><tbody>${rows}</tbody></table></body></html>`}`;
}
