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
import { errorMessage } from '../log/logger.js';
import { createHttpServer, type RouteTable } from '../http/server.js';
import { attachLiveHub } from '../http/live.js';
import { buildStatusData } from '../http/status-view.js';
import { createResidentPage, pageRequest } from '../http/resident-page.js';
import { chargingPagesApi } from '../http/charging-pages.js';
import { helpPagesApi } from '../http/help-pages.js';
import { MqttUplink } from '../relay/mqtt-uplink.js';
import { buildPointStatus } from '../relay/point-status.js';
import { Lifecycle } from './lifecycle.js';
import { createBoard, type BoardService } from '../board/index.js';
import { createProcessRenderer } from '../board/process-renderer.js';
import type { CommandBody, DownlinkMessage, NodeKind } from '../protocol/index.js';
import { ChargingService, SqliteChargingPersistence, chargingApi, registryPowerInputs } from '../charging/index.js';
import { loadPowerConfig, toPowerSystem } from '../../../hardware/src/power-config.js';
import { createApi } from '../api/index.js';
import { CurrentBoardContent } from '../board/current-content.js';
import { createBoardInbox } from '../relay/board-inbox.js';
import { PointRelay } from '../relay/point-relay.js';
import { createPointLora } from '../relay/point-lora.js';
import { startHelpLoraFeed } from '../relay/help-lora.js';
import { startStatusLoraFeed } from '../relay/status-lora.js';
import { statusReportFromPoint } from '../relay/status-report.js';
import { HelpService, HelpStore, helpApi } from '../help/index.js';
import { DirectoryService, DirectoryStore } from '../directory/index.js';
import { CommissioningService, LinkMonitor, LogRing, commissioningApi, firmwareVersions, teeLogger, type LoraProbe } from '../commissioning/index.js';
import { serialFlashPorts } from '../commissioning/flash.js';
import { wizardFlasher } from '../sim/firmware/programmer.js';
import { panelProfile } from '../board/panels.js';

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
  const { clock } = deps;
  // Recent log lines for the technician's diagnostics screen (memory only, no personal fields).
  const logRing = new LogRing(300, () => clock.now());
  const log = teeLogger(deps.log, logRing);
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

    // One sequence for every downlink the gateway sends (acks and commands), within this boot.
    let downSeq = 0;
    const nextSeq = () => (downSeq = (downSeq + 1) >>> 0);
    const ingest = new Ingest({
      store,
      bus,
      clock,
      nextSeq,
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
    const serialLinks = config.serial.map((s) => new SerialNodeLink({ path: s.path, baudRate: s.baud, log: log.child('serial'), clock }));
    links.push(...serialLinks);
    for (const v of config.vedirect) links.push(new VeDirectLink({ path: v.path, node: v.node, intervalMs: v.intervalS * 1000, log: log.child('vedirect'), clock }));
    const linkMonitor = new LinkMonitor(() => clock.now());
    for (const link of links) {
      linkMonitor.attach(link);
      const detach = ingest.attach(link);
      link.on('rejected', (r) => log.warn('message rejected', { ...r }));
      link.on('status', (s) => log.info(s.up ? 'link up' : 'link down', { ...s }));
      await life.start({ name: link.name, start: () => link.start(), stop: async () => (detach(), await link.stop()) });
    }

    /**
     * Sends a command to a node over whichever link reaches it; returns the command's seq (a node's `result`
     * names it, which the commissioning wizard waits for), or null when no link reaches the node.
     */
    const sendTracked = (node: string, body: CommandBody): number | null => {
      const msg: DownlinkMessage = { v: 1, node, boot: store.boot, seq: nextSeq(), ts: clock.now(), type: 'cmd', body };
      return links.some((l) => l.send(msg)) ? msg.seq : null;
    };
    const sendCommand = (node: string, body: CommandBody): boolean => sendTracked(node, body) !== null;

    // Phone charging: a module a point switches on; its budget never touches the critical reserve.
    let charging: ChargingService | null = null;
    if (config.charging.enabled && config.powerBudgetFile) {
      const batteryNode = config.nodes.find((n) => n.kind === 'battery')?.id ?? config.vedirect[0]?.node;
      const fuelNode = config.nodes.find((n) => n.kind === 'fuel')?.id;
      const svc = new ChargingService({
        config: config.charging,
        bus,
        clock,
        sendCommand,
        persistence: new SqliteChargingPersistence(store.db, () => clock.now()),
        power: {
          system: toPowerSystem(loadPowerConfig(config.powerBudgetFile)),
          inputs: registryPowerInputs(registry, { ...(batteryNode ? { battery: batteryNode } : {}), ...(fuelNode ? { fuel: fuelNode } : {}) }),
        },
        onAlert: (a) => {
          log.warn('charging fault: port taken out of service', { ...a });
          ingest.recordEvent({ ts: a.at, level: 'warn', source: 'gw:charging', kind: 'charging-fault', data: a });
        },
        log: log.child('charging'),
      });
      await life.start({ name: 'charging', start: () => svc.start(), stop: () => svc.stop() });
      charging = svc;
    }

    // Citizen help and the neighbourhood directory (issue #10): escalation files a needs report via the API below.
    const help = new HelpService({
      store: new HelpStore(store.db),
      clock,
      log: log.child('help'),
      entryLifetimeMs: config.help.entryLifetimeHours * HOUR_MS,
      personalRetentionMs: config.privacy.personalRetentionDays * DAY_MS,
      submitNeed: (need) => api.reports.submit('need', need),
      pointId: config.id,
    });
    await life.start({ name: 'help', start: () => help.start(), stop: () => help.stop() });
    const directory = new DirectoryService({ store: new DirectoryStore(store.db), clock, log: log.child('directory'), pointId: config.id, origin: config.location ?? null });

    // Coordinator uplink over IP; the relay carries residents' reports over it (its IpPath shares the connection).
    const point = { id: config.id, name: config.name, ...(config.location ? { location: config.location } : {}) };
    let pointRelay: PointRelay | null = null;
    let loraProbe: LoraProbe | null = null;
    // The board's content: signed broadcasts from the coordinator and local staff; the panel attaches below.
    const boardContent = new CurrentBoardContent();
    if (config.coordinator) {
      const c = config.coordinator;
      const boardInbox = await createBoardInbox({
        point: config.id,
        dataDir: config.dataDir,
        boardKey: c.boardKey,
        clock,
        apply: (content) => {
          boardContent.set(content);
          if (content.directory) directory.applyCoordinator(content.directory);
        },
        log: log.child('board:inbox'),
      });
      const uplink = new MqttUplink({
        url: c.url,
        username: c.username,
        passwordFile: c.passwordFile,
        pointId: config.id,
        intervalMs: c.statusIntervalS * 1000,
        clock,
        log: log.child('uplink'),
        status: (seq) => {
          const c = charging?.coordinatorSummary();
          const stats = c
            ? { policy: c.policy, stage: c.stage, queue: c.queue, sessionsToday: c.sessionsToday, servedToday: c.servedToday, energyWhToday: c.energyWhToday, refusedNoPowerToday: c.refusedNoPowerToday }
            : undefined;
          return buildPointStatus(point, registry, clock.now(), seq, stats, help.statusAggregate());
        },
        onBoard: (payload) => boardInbox.handle(payload),
        onCommand: (cmd) => {
          log.info('coordinator command', { id: cmd.id, op: cmd.op });
          ingest.recordEvent({ ts: clock.now(), level: 'info', source: 'gw:uplink', kind: 'coordinator-command', data: cmd });
          if (cmd.op === 'charging-policy') {
            if (charging) charging.setPolicy(cmd.policy);
            else log.warn('charging-policy command, but this point does not run the charging module');
          }
          // Report the effect at once rather than at the next interval.
          uplink.publish();
        },
      });
      await life.start({ name: 'uplink', start: () => uplink.start(), stop: () => uplink.stop() });
      // Help counts reach the coordinator soon after they change, a burst of changes as one status.
      let pending: (() => void) | null = null;
      const offHelp = help.onChange(() => {
        pending ??= clock.setTimeout(() => ((pending = null), uplink.publish()), 2_000);
      });
      life.adopt({ name: 'help status feed', stop: () => (offHelp(), pending?.()) });
      // Started after the API: a delivery acknowledged at start-up confirms a report at once.
      const lora = config.lora ? createPointLora(config.lora, { clock, log: log.child('lora') }) : undefined;
      if (lora) loraProbe = { join: () => lora.path.ensureJoined(), linkCheck: () => lora.path.linkCheck(), status: () => ({ ready: lora.path.ready, ...lora.path.stats }) };
      pointRelay = new PointRelay({ db: store.db, pointId: config.id, clock, log: log.child('relay'), client: uplink.connection, ...(lora ? { lora } : {}), confirmed: (id) => void api.reports.markConfirmed(id) });
      // Help counts over LoRa while that is the point's only path (rate-limited; relay/help-lora.ts).
      if (lora) life.adopt({ name: 'help LoRa feed', stop: startHelpLoraFeed({ relay: pointRelay.relay, lora, help, clock, log: log.child('help:lora') }).stop });
      // The compact status over LoRa while that is the point's only path: heartbeat, early on alarms (relay/status-lora.ts).
      if (lora && config.lora) {
        const status = () => statusReportFromPoint(buildPointStatus(point, registry, clock.now(), 0), { link: 'ip_down' });
        life.adopt({ name: 'status LoRa feed', stop: startStatusLoraFeed({ relay: pointRelay.relay, lora, status, clock, log: log.child('status:lora'), intervalS: config.lora.statusIntervalS }).stop });
      }
    }

    // The e-ink board (a PNG panel in simulation). Its renderer loads on first use.
    const boardDir = join(config.dataDir, 'board');
    let board: BoardService | null = null;
    if (config.board.enabled) {
      const renderer = createProcessRenderer({ panelId: config.board.panel, log: log.child('board:render') });
      life.adopt({ name: 'board renderer', stop: () => renderer.close() });
      try {
        board = createBoard({
          clock,
          logger: log,
          backend: config.board.backend,
          dir: boardDir,
          panelId: config.board.panel,
          spiDevice: config.board.spiDevice,
          ...(config.board.readingDistanceM !== undefined ? { readingDistanceM: config.board.readingDistanceM } : {}),
          rotateEveryMs: config.board.rotateS * 1000,
          staleAfterMs: config.board.staleAfterH * HOUR_MS,
          renderer,
        }).service;
      } catch (err) {
        // A board that cannot be set up must not take the point's other functions down with it.
        log.error('board disabled: it could not be set up', { error: errorMessage(err) });
      }
    }
    if (board) boardContent.attach(board);
    if (board) await life.start({ name: 'board', start: () => board.start(), stop: () => board.stop() });
    if (board && charging) {
      // The board shows free ports and the queue; it redraws only when that changes the frame.
      const b = board;
      const c = charging;
      const feed = () => {
        const s = c.board();
        b.setCharging({ enabled: s.enabled, portsFree: s.freePorts, portsTotal: config.charging.ports, queue: s.queueLength });
      };
      feed();
      life.adopt({ name: 'board charging feed', stop: clock.setInterval(feed, 30_000) });
    }

    // The technician's commissioning wizard and diagnostics.
    const ch = charging;
    const bd = board;
    const commissioning = new CommissioningService({
      db: store.db,
      clock,
      log: log.child('commissioning'),
      point,
      registry,
      bus,
      links: linkMonitor,
      logs: logRing,
      nodes: config.nodes,
      send: sendTracked,
      expectedFirmware: firmwareVersions(),
      charging: ch ? { ports: config.charging.ports, disablePort: (p) => ch.disablePort(p), enablePort: (p) => ch.enablePort(p) } : null,
      board: bd
        ? { status: () => bd.status(), showTestFrame: (f, o) => bd.showTestFrame(f, o), endTestFrame: () => bd.endTestFrame(), ...panelSize(config.board.panel), panelId: config.board.panel, latestImage: join(boardDir, 'latest.png') }
        : null,
      lora: loraProbe,
      // Firmware uploads release the node's serial port for the flasher (the espruino CLI; the simulator's board programmer in `noodsteun start`).
      flash: { flasher: wizardFlasher(), serialPort: serialFlashPorts(serialLinks) },
      dir: join(config.dataDir, 'commissioning'),
    });

    if (board) {
      // The board's citizen-help line: counts only, redrawn when they change (within the refresh policy).
      const b = board;
      b.setHelp(help.boardLine());
      const offBoardHelp = help.onChange(() => b.setHelp(help.boardLine()));
      life.adopt({ name: 'board help feed', stop: offBoardHelp });
    }

    // Residents' reports, staff and technician accounts.
    const api = createApi({
      db: store.db,
      clock,
      log: log.child('api'),
      sink: pointRelay?.sink ?? null,
      personalRetentionDays: config.privacy.personalRetentionDays,
      setupCodeFile: join(config.dataDir, 'setup-code'),
      boardContent,
      modules: [commissioningApi(commissioning), chargingApi(charging), helpApi(help, directory), chargingPagesApi(charging, { uiDir: deps.uiDir }), helpPagesApi(help, directory, { uiDir: deps.uiDir })],
      ...(deps.uiDir ? { uiDir: deps.uiDir } : {}),
    });
    await life.start({ name: 'api', start: () => api.start(), stop: () => api.stop() });
    const relay = pointRelay;
    if (relay) await life.start({ name: 'relay', start: () => relay.start(), stop: () => relay.stop() });

    // HTTP API and screens.
    const boardImage = join(boardDir, 'latest.png');
    const boardInfo = () => {
      // While the commissioning test pattern is on the panel the resident screens show no board image: the
      // pattern tells residents nothing and would carry the board's caption. /api/board/latest.png still
      // serves what the panel shows (the technician compares it), and the content stays on the page as text.
      const phase = board?.status().test?.phase;
      if (!existsSync(boardImage) || phase === 'showing' || phase === 'restoring') return { image: null, updatedAt: null };
      return { image: '/api/board/latest.png', updatedAt: Math.round(statSync(boardImage).mtimeMs) };
    };
    const status = () => buildStatusData({ point: { ...point, role: 'point' }, registry, now: clock.now(), board: boardInfo() });
    const residentPage = createResidentPage(deps.uiDir);
    const routes: RouteTable = {
      ...api.routes,
      'GET /': (req, url) => ({ kind: 'html', body: residentPage(status(), pageRequest(req, url), boardContent.get()) }),
      'GET /api/status': () => ({ kind: 'json', data: status() }),
      'GET /api/health': () => ({
        kind: 'json',
        data: { ok: store.isOpen, ingest: ingest.stats, queued: ingest.queued, links: links.map((l) => l.name), memory: process.memoryUsage() },
      }),
      'GET /api/points': () => ({ kind: 'json', status: 404, data: null }),
      'GET /api/board/status': () => ({ kind: 'json', data: board ? board.status() : null }),
      'GET /api/board/latest.png': () => {
        if (!existsSync(boardImage)) return { kind: 'json', status: 404, data: null };
        return { kind: 'file', path: boardImage, type: 'image/png' };
      },
    };
    const http = createHttpServer({
      routes,
      log: log.child('http'),
      ...(deps.uiDir ? { staticDir: deps.uiDir } : {}),
      ...(config.http.portalUrl ? { portalUrl: config.http.portalUrl } : {}),
    });
    const port = await http.listen(config.http.port, config.http.host);
    const live = attachLiveHub(http.server, log.child('live'));
    life.adopt({ name: 'http', stop: async () => (live.close(), await http.close()) });
    const pushStatus = () => live.notify('status', status);
    bus.on('reading', pushStatus);
    bus.on('availability', pushStatus);
    if (board) {
      let lastRefresh: number | null = null;
      const stopBoardWatch = clock.setInterval(() => {
        const at = board.status().lastRefreshAt;
        if (at === lastRefresh) return;
        lastRefresh = at;
        pushStatus();
      }, 10_000);
      life.adopt({ name: 'board watch', stop: stopBoardWatch });
    }

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

function panelSize(id: string): { width: number; height: number } {
  const p = panelProfile(id);
  return { width: p.width, height: p.height };
}
