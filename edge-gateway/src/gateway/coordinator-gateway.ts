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
import { attachLiveHub } from '../http/live.js';
import { buildStatusData } from '../http/status-view.js';
import { createSystemdNotifier } from '../core/systemd.js';
import { Lifecycle } from './lifecycle.js';
import { Store, HOUR_MS, DAY_MS } from '../store/index.js';
import { createApi } from '../api/index.js';
import { PointCommandSchema, pointTopics } from '../protocol/index.js';
import type { GatewayDeps, RunningGateway } from './point-gateway.js';
import { startRelayIngest } from '../coordinator/relay-wiring.js';
import { startBroadcasts } from '../coordinator/broadcast-wiring.js';

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

    const book = new PointBook(SILENT_AFTER_MS);
    let notifyPoints = () => {};
    const ingest = new MqttPointIngest({
      url: mqttUrl,
      ...creds,
      log: log.child('ingest'),
      on: {
        status: (s) => {
          if (book.applyStatus(s, clock.now()) === 'accepted') notifyPoints();
        },
        state: (p, st) => {
          book.applyLinkState(p, st);
          log.info(st === 'online' ? 'point link up' : 'point link down', { point: p });
          notifyPoints();
        },
      },
    });
    await life.start({ name: 'point ingest', start: () => ingest.start(), stop: () => ingest.stop() });

    // Accounts (first-run set-up, coordinators) and the commands a coordinator sends to points.
    const store = Store.open(join(config.dataDir, 'coordinator.db'), {
      rawRetentionMs: config.store.rawRetentionHours * HOUR_MS,
      eventRetentionMs: config.store.eventRetentionDays * DAY_MS,
      log: log.child('store'),
    });
    life.adopt({ name: 'store', stop: () => store.close() });
    // Residents' reports relayed by the points: over the point ingest's connection, and from a LoRaWAN network server.
    await startRelayIngest({ config, db: store.db, client: ingest.connection, clock, log: log.child('relay'), life });
    // Signed board content for the points (POST /api/broadcasts) and their answers.
    const broadcasts = await startBroadcasts({
      issuer: config.id,
      dataDir: config.dataDir,
      client: ingest.connection,
      publish: (topic, payload) => ingest.publish(topic, payload),
      knownPoints: () => book.list(clock.now()).map((p) => p.point),
      clock,
      log: log.child('broadcasts'),
      life,
    });
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
    });
    await life.start({ name: 'api', start: () => api.start(), stop: () => api.stop() });

    const points = () => ({ points: book.list(clock.now()) });
    const routes: RouteTable = {
      ...api.routes,
      'GET /': () => ({ kind: 'html', body: coordinatorHome(config.name, book.list(clock.now()), Boolean(deps.uiDir)) }),
      'GET /api/status': () => ({
        kind: 'json',
        data: buildStatusData({ point: { id: config.id, name: config.name, role: 'coordinator' }, registry: null, now: clock.now(), board: { image: null, updatedAt: null } }),
      }),
      'GET /api/points': () => ({ kind: 'json', data: points() }),
      'GET /api/health': () => ({ kind: 'json', data: { ok: true, ingest: ingest.stats, points: book.size } }),
    };
    const http = createHttpServer({ routes, log: log.child('http'), ...(deps.uiDir ? { staticDir: deps.uiDir } : {}) });
    const port = await http.listen(config.http.port, config.http.host);
    const live = attachLiveHub(http.server, log.child('live'));
    life.adopt({ name: 'http', stop: async () => (live.close(), await http.close()) });
    notifyPoints = () => live.notify('points', points);
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

/** Landing page: the console when the UI is built, else a plain server-rendered list of points. */
function coordinatorHome(name: string, points: PointEntry[], haveUi: boolean): string {
  const rows = points
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
<table><thead><tr><th>Punt</th><th>Verbinding</th><th>Brandstof</th><th>Accu</th><th>Binnen</th><th>Alarmen</th></tr></thead><tbody>${rows}</tbody></table></body></html>`;
}
