// The gateway in the `point` role: node links → ingest → store and bus → registry, API, coordinator uplink.
// Services read the registry and the bus; none of them touches a transport.
import { mkdirSync, writeFileSync, existsSync, statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { EventBus } from '../core/bus.js';
import type { Clock } from '../core/clock.js';
import type { GatewayEvents } from '../core/events.js';
import { NodeRegistry } from '../core/registry.js';
import { createSystemdNotifier } from '../core/systemd.js';
import { Ingest } from '../ingest/index.js';
import { Store, HOUR_MS, DAY_MS } from '../store/index.js';
import { CredentialStore, startEmbeddedBroker } from '../broker/index.js';
import { MqttNodeLink } from '../links/mqtt/index.js';
import { SerialNodeLink } from '../links/serial/index.js';
import { VeDirectLink } from '../links/vedirect/index.js';
import type { NodeLink } from '../links/link.js';
import type { Logger } from '../log/logger.js';
import { createHttpServer, type RouteTable } from '../http/server.js';
import { attachLiveHub } from '../http/live.js';
import { buildStatusData } from '../http/status-view.js';
import { createResidentPage } from '../http/resident-page.js';
import { MqttUplink } from '../relay/mqtt-uplink.js';
import { buildPointStatus } from '../relay/point-status.js';
import { Lifecycle } from './lifecycle.js';
import type { NodeKind } from '../protocol/index.js';

export interface RunningGateway {
  readonly httpUrl: string;
  readonly mqttUrl: string | null;
  stop(): Promise<void>;
}

export interface GatewayDeps {
  clock: Clock;
  log: Logger;
  /** Folder with the built kiosk UI, served as static files when present. */
  uiDir?: string;
}

export async function startPointGateway(config: Config, deps: GatewayDeps): Promise<RunningGateway> {
  const { clock, log } = deps;
  const life = new Lifecycle(log.child('life'));
  mkdirSync(config.dataDir, { recursive: true, mode: 0o750 });
  try {
    const store = Store.open(join(config.dataDir, 'gateway.db'), {
      rawRetentionMs: config.store.rawRetentionHours * HOUR_MS,
      eventRetentionMs: config.store.eventRetentionDays * DAY_MS,
      log: log.child('store'),
    });
    life.adopt({ name: 'store', stop: () => store.close() });

    const bus = new EventBus<GatewayEvents>(log.child('bus'));
    const heartbeatMs: Partial<Record<NodeKind, number>> = {};
    for (const n of config.nodes) heartbeatMs[n.kind] = Math.max(heartbeatMs[n.kind] ?? 0, n.heartbeatS * 1000);
    const registry = new NodeRegistry({ bus, clock, store, heartbeatMs, missedHeartbeats: config.staleAfterMissed });
    await life.start({ name: 'registry', start: () => registry.start(), stop: () => registry.stop() });

    const ingest = new Ingest({
      store,
      bus,
      clock,
      log: log.child('ingest'),
      ...(config.store.commitIntervalMs !== undefined ? { commitIntervalMs: config.store.commitIntervalMs } : {}),
    });
    await life.start({ name: 'ingest', start: () => ingest.start(), stop: () => ingest.stop() });

    // MQTT: the embedded broker by default, or a site broker.
    let mqttUrl: string;
    let gatewayCreds: { username: string; password: string };
    if (config.mqtt.mode === 'embedded') {
      const credentials = await CredentialStore.open(config.dataDir, { log: log.child('credentials') });
      const missing = config.nodes.filter((n) => !credentials.has(n.id)).map((n) => n.id);
      if (missing.length) log.warn('nodes without MQTT credentials (issue them with `noodsteun mqtt issue`)', { nodes: missing });
      const broker = await startEmbeddedBroker({ host: config.mqtt.host, port: config.mqtt.port, credentials, log: log.child('broker') });
      life.adopt({ name: 'broker', stop: () => broker.close() });
      mqttUrl = broker.url;
      gatewayCreds = credentials.gateway;
    } else {
      mqttUrl = config.mqtt.url;
      gatewayCreds = { username: config.mqtt.username, password: readFileSync(config.mqtt.passwordFile, 'utf8').trim() };
    }
    const links: NodeLink[] = [new MqttNodeLink({ url: mqttUrl, ...gatewayCreds, log: log.child('mqtt'), now: () => clock.now() })];
    for (const s of config.serial) links.push(new SerialNodeLink({ path: s.path, baudRate: s.baud, log: log.child('serial'), clock }));
    for (const v of config.vedirect) links.push(new VeDirectLink({ path: v.path, node: v.node, intervalMs: v.intervalS * 1000, log: log.child('vedirect'), clock }));
    for (const link of links) {
      const detach = ingest.attach(link);
      link.on('rejected', (r) => log.warn('message rejected', { ...r }));
      link.on('status', (s) => log.info(s.up ? 'link up' : 'link down', { ...s }));
      await life.start({ name: link.name, start: () => link.start(), stop: async () => (detach(), await link.stop()) });
    }

    // Coordinator uplink over IP (the LoRa relay joins later).
    const point = { id: config.id, name: config.name };
    if (config.coordinator) {
      const c = config.coordinator;
      const uplink = new MqttUplink({
        url: c.url,
        username: c.username,
        passwordFile: c.passwordFile,
        pointId: config.id,
        intervalMs: c.statusIntervalS * 1000,
        clock,
        log: log.child('uplink'),
        status: (seq) => buildPointStatus(point, registry, clock.now(), seq),
      });
      await life.start({ name: 'uplink', start: () => uplink.start(), stop: () => uplink.stop() });
    }

    // HTTP API and screens.
    const boardImage = join(config.dataDir, 'board', 'latest.png');
    const boardInfo = () => {
      if (!existsSync(boardImage)) return { image: null, updatedAt: null };
      return { image: '/api/board/latest.png', updatedAt: Math.round(statSync(boardImage).mtimeMs) };
    };
    const status = () => buildStatusData({ point: { ...point, role: 'point' }, registry, now: clock.now(), board: boardInfo() });
    const residentPage = createResidentPage(deps.uiDir);
    const routes: RouteTable = {
      'GET /': (req, url) => ({ kind: 'html', body: residentPage(status(), { lang: url.searchParams.get('lang'), acceptLanguage: req.headers['accept-language'] }) }),
      'GET /api/status': () => ({ kind: 'json', data: status() }),
      'GET /api/health': () => ({
        kind: 'json',
        data: { ok: store.isOpen, ingest: ingest.stats, queued: ingest.queued, links: links.map((l) => l.name) },
      }),
      'GET /api/points': () => ({ kind: 'json', status: 404, data: null }),
      'GET /api/board/latest.png': () => {
        if (!existsSync(boardImage)) return { kind: 'json', status: 404, data: null };
        return { kind: 'file', path: boardImage, type: 'image/png' };
      },
    };
    const http = createHttpServer({ routes, log: log.child('http'), ...(deps.uiDir ? { staticDir: deps.uiDir } : {}) });
    const port = await http.listen(config.http.port, config.http.host);
    const live = attachLiveHub(http.server, log.child('live'));
    life.adopt({ name: 'http', stop: async () => (live.close(), await http.close()) });
    const pushStatus = () => live.notify('status', status);
    bus.on('reading', pushStatus);
    bus.on('availability', pushStatus);

    const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? 'localhost' : config.http.host;
    const httpUrl = `http://${host === '127.0.0.1' ? 'localhost' : host}:${port}`;
    writeFileSync(join(config.dataDir, 'http.url'), httpUrl + '\n');

    const systemd = createSystemdNotifier(log.child('systemd'));
    const stopWatchdog = systemd.startWatchdog(() => store.isOpen && ingest.queued < 10_000);
    systemd.ready(`serving ${httpUrl}`);
    life.adopt({ name: 'systemd', stop: () => (stopWatchdog(), systemd.stopping()) });
    log.info('point gateway running', { point: config.id, http: httpUrl, mqtt: mqttUrl, serial: config.serial.map((s) => s.path) });

    return { httpUrl, mqttUrl, stop: () => life.stopAll() };
  } catch (err) {
    await life.stopAll();
    throw err;
  }
}
