// The technician's commissioning wizard and diagnostics: one persisted run at a time, step by step, each
// check recording what it measured on the real nodes (through the registry, the links and node commands)
// and the technician's verdict. Nothing here touches a transport: commands go through `send`, readings
// come from the registry, link facts from the LinkMonitor.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { EventBus } from '../core/bus.js';
import type { Clock } from '../core/clock.js';
import type { GatewayEvents } from '../core/events.js';
import type { NodeRegistry, NodeView } from '../core/registry.js';
import type { BoardStatus } from '../board/board-service.js';
// the node's own rule for its tank table, so the check expects what the node will report
import { litresAt } from '../../../firmware/src/nodes/fuel/level.js';
import { BoardTestError, BoardTestFlow, boardTestImagePath, type BoardTestPanel, type BoardTestView } from './board-test.js';
import type { Logger } from '../log/logger.js';
import { errorMessage } from '../log/logger.js';
import type { CommandBody, NodeKind } from '../protocol/index.js';
import type { LinkMonitor } from './link-monitor.js';
import type { LogLine, LogRing } from './log-ring.js';
import { buildReport, reportMarkdown, type CommissioningReport } from './report.js';
import { loadSteps, type StepDef, type StepStatus } from './steps.js';
import { CommissioningStore, type Measurement, type RunRow, type StepRecord } from './store.js';
import type { LinkCheckResult } from '../drivers/lora-modem/index.js';
import { LINK_MIN_GATEWAYS, LINK_MIN_MARGIN_DB, linkVerdict } from './lora-link.js';
import { runFlash, type FirmwareFlasher, type FlashPort, type FlashState } from './flash.js';

export class CommissioningError extends Error {
  override name = 'CommissioningError';
  constructor(
    message: string,
    /** HTTP status the API answers with. */
    readonly status: 400 | 404 | 409 | 503 = 400,
    opts?: { cause?: unknown },
  ) {
    super(message, opts);
  }
}

export interface LoraProbe {
  /** OTAA join (resolves when joined). */
  join(): Promise<void>;
  /** One uplink with a LinkCheckReq; resolves with the network's answer (ok false: none came). */
  linkCheck(): Promise<LinkCheckResult>;
  /** What the LoRa path can tell about itself now. */
  status(): Record<string, unknown>;
}

export interface CommissioningDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  point: { id: string; name: string };
  registry: NodeRegistry;
  bus: EventBus<GatewayEvents>;
  links: LinkMonitor;
  logs?: LogRing | null;
  /** The nodes the configuration expects. */
  nodes: readonly { id: string; kind: NodeKind }[];
  /** Sends a command; returns its seq (the node's `result` names it), or null when no link reaches the node. */
  send(node: string, body: CommandBody): number | null;
  /** Version of the firmware build in firmware/dist for a kind, or null when there is none. */
  expectedFirmware(kind: NodeKind): string | null;
  /** Charging ports: taken out of service while tested so the charging service does not switch them. */
  charging?: { ports: number; disablePort(p: number): boolean; enablePort(p: number): boolean } | null;
  board?: BoardTestPanel | null;
  lora?: LoraProbe | null;
  /** Where saved reports and the board test image go. */
  dir: string;
  steps?: StepDef[];
  /** How long to wait for a node's answer to a command, in real time (default 15 s). */
  resultTimeoutMs?: number;
  loraTimeoutMs?: number;
  /** Firmware uploads from the wizard (serial nodes only): the flasher and the port a node is heard on. */
  flash?: { flasher: FirmwareFlasher; serialPort(node: string): FlashPort | null; reportTimeoutMs?: number } | null;
}

export interface RunView {
  run: RunRow;
  steps: Array<StepRecord & { nl: string; en: string }>;
  measurements: Measurement[];
}

export interface DiscoveredNode {
  id: string;
  kind: NodeKind | null;
  expected: boolean;
  /** Kind the configuration names for it (null for a node not in the configuration). */
  configKind: NodeKind | null;
  online: boolean;
  fw: string | null;
  lastSeen: number | null;
  lastHeartbeatAt: number | null;
  heartbeat: NodeView['lastHeartbeat'];
  link: string | null;
  links: Record<string, number>;
}

export interface FuelRow {
  mm: number;
  litres: number;
}

const FUEL_TOLERANCE = { litres: 3, share: 0.03 };

export class CommissioningService {
  readonly steps: readonly StepDef[];
  private readonly store: CommissioningStore;
  private readonly portOnAt = new Map<number, number>();
  private fuelCal: { node: string; at: number; table: FuelRow[]; depthMm: number } | null = null;
  private flashing: FlashState | null = null;

  constructor(private readonly deps: CommissioningDeps) {
    this.steps = deps.steps ?? loadSteps();
    this.store = new CommissioningStore(deps.db);
    mkdirSync(deps.dir, { recursive: true });
  }

  private now(): number {
    return this.deps.clock.now();
  }

  // ---- runs -------------------------------------------------------------------------------------

  current(): RunView | null {
    const run = this.store.openRun();
    return run ? this.view(run) : null;
  }

  runs(limit = 20): RunRow[] {
    return this.store.runs(limit);
  }

  /** Starts a run, or returns the one still open (a reload or restart resumes it). */
  start(by: string): RunView {
    const open = this.store.openRun();
    if (open) return this.view(open);
    const run = this.store.createRun(this.now(), by, this.steps.map((s) => s.id));
    this.deps.log.info('commissioning run started', { run: run.id });
    return this.view(run);
  }

  decide(step: string, status: StepStatus, note: string | null, by: string): RunView {
    const run = this.openRun();
    if (!this.steps.some((s) => s.id === step)) throw new CommissioningError(`unknown step ${step}`);
    const text = note?.trim() || null;
    if (status === 'skipped' && !text) throw new CommissioningError('a skipped step needs a reason');
    if (status === 'failed' && !text) throw new CommissioningError('a failed step needs a note on what failed');
    this.store.decide(run.id, step, status, text, this.now(), by);
    return this.view(run);
  }

  finish(by: string): { run: RunRow; report: CommissioningReport } {
    const run = this.openRun();
    const at = this.now();
    const open = this.store.steps(run.id).filter((s) => s.status === 'open').map((s) => s.step);
    if (open.length) throw new CommissioningError(`steps still open: ${open.join(', ')}`, 409);
    const finished: RunRow = { ...run, finishedAt: at, finishedBy: by };
    const report = buildReport(this.deps.point, finished, this.steps, this.store.steps(run.id), this.store.measurements(run.id), at);
    const text = JSON.stringify(report);
    this.store.finish(run.id, at, by, text);
    // Also on disk next to the database, for the hand-over folder and backups.
    writeFileSync(join(this.deps.dir, `report-${run.id}.json`), JSON.stringify(report, null, 2) + '\n');
    writeFileSync(join(this.deps.dir, `report-${run.id}.md`), reportMarkdown(report));
    this.deps.log.info('commissioning report saved', { run: run.id, passed: report.summary.passed, failed: report.summary.failed, skipped: report.summary.skipped });
    return { run: finished, report };
  }

  /** A saved report (finished run), or the current state of an open one. */
  report(id: number): CommissioningReport | null {
    const saved = this.store.report(id);
    if (saved) return JSON.parse(saved) as CommissioningReport;
    const run = this.store.run(id);
    if (!run) return null;
    return buildReport(this.deps.point, run, this.steps, this.store.steps(id), this.store.measurements(id), this.now());
  }

  private openRun(): RunRow {
    const run = this.store.openRun();
    if (!run) throw new CommissioningError('no commissioning run in progress: start one first', 409);
    return run;
  }

  private view(run: RunRow): RunView {
    const recs = this.store.steps(run.id);
    return {
      run,
      steps: this.steps.map((d) => ({ ...(recs.find((r) => r.step === d.id) ?? { step: d.id, status: 'open' as const, note: null, decidedAt: null, decidedBy: null }), nl: d.nl, en: d.en })),
      measurements: this.store.measurements(run.id),
    };
  }

  private record(step: string, what: string, ok: boolean | null, value: unknown, by: string): Measurement {
    const run = this.openRun();
    return this.store.addMeasurement(run.id, { step, at: this.now(), by, what, ok, value });
  }

  // ---- checks -----------------------------------------------------------------------------------

  /** Every node heard or expected: link, firmware, last seen, heartbeat; and nodes heard but not configured. */
  discover(): { nodes: DiscoveredNode[]; missing: string[]; unexpected: string[] } {
    const seen = new Map(this.deps.registry.nodes().map((n) => [n.id, n]));
    const ids = new Set([...this.deps.nodes.map((n) => n.id), ...seen.keys()]);
    const nodes: DiscoveredNode[] = [...ids].sort().map((id) => {
      const n = seen.get(id);
      const cfg = this.deps.nodes.find((c) => c.id === id);
      const s = this.deps.links.sighting(id);
      return {
        id,
        kind: n?.kind ?? cfg?.kind ?? null,
        expected: cfg !== undefined,
        configKind: cfg?.kind ?? null,
        online: n?.online ?? false,
        fw: n?.fw ?? null,
        lastSeen: n?.lastSeen ?? null,
        lastHeartbeatAt: n?.lastHeartbeatAt ?? null,
        heartbeat: n?.lastHeartbeat ?? null,
        link: s?.link ?? null,
        links: s?.links ?? {},
      };
    });
    return {
      nodes,
      missing: nodes.filter((n) => n.expected && !n.online).map((n) => n.id),
      unexpected: nodes.filter((n) => !n.expected && n.lastSeen !== null).map((n) => n.id),
    };
  }

  recordDiscovery(by: string): Measurement {
    const d = this.discover();
    const value = {
      nodes: d.nodes.map((n) => ({ id: n.id, kind: n.kind, expected: n.expected, online: n.online, fw: n.fw, link: n.link, lastSeen: n.lastSeen, lastHeartbeatAt: n.lastHeartbeatAt, mem: n.heartbeat?.mem ?? null, flags: n.heartbeat?.flags ?? [] })),
      missing: d.missing,
      unexpected: d.unexpected,
    };
    return this.record('nodes', 'discover', d.missing.length === 0, value, by);
  }

  /** Each node's reported firmware against the build in firmware/dist. */
  verifyFirmware(by: string): Measurement {
    const rows = this.discover().nodes.map((n) => {
      const expected = n.kind ? this.deps.expectedFirmware(n.kind) : null;
      return { id: n.id, kind: n.kind, reported: n.fw, expected, match: expected !== null && n.fw === expected };
    });
    const relevant = rows.filter((r) => r.expected !== null);
    return this.record('nodes', 'firmware verify', relevant.length > 0 && relevant.every((r) => r.match), { nodes: rows }, by);
  }

  /** The firmware upload running now, or the last one (the wizard shows its progress and result). */
  flashState(): FlashState | null {
    return this.flashing ? { ...this.flashing } : null;
  }

  /**
   * Uploads the firmware build to a node on USB serial and waits for it to report the build's version;
   * recorded in the `nodes` step as `firmware flash <node>`. Returns at once with the upload under way;
   * `done` settles with the measurement. One upload at a time.
   */
  flashNode(node: string, by: string): { state: FlashState; done: Promise<Measurement> } {
    this.openRun();
    const f = this.deps.flash;
    if (!f) throw new CommissioningError('this gateway cannot flash firmware', 404);
    const cur = this.flashing;
    if (cur && cur.phase !== 'done' && cur.phase !== 'failed') throw new CommissioningError(`a firmware upload is running (node ${cur.node}): wait for it to finish`, 409);
    const n = this.discover().nodes.find((x) => x.id === node);
    if (!n || !n.kind) throw new CommissioningError(`unknown node ${node}`, 404);
    const expected = this.deps.expectedFirmware(n.kind);
    if (expected === null) throw new CommissioningError(`there is no firmware build for ${n.kind} nodes (npm run build -w firmware)`, 404);
    const target = f.serialPort(node);
    if (!target) {
      if (n.link === 'mqtt') throw new CommissioningError(`node ${node} is on Wi-Fi (MQTT): connect it by USB to the gateway to flash it`, 409);
      throw new CommissioningError(`node ${node} has not been heard on a serial port: connect it by USB to the gateway to flash it`, 409);
    }
    const state: FlashState = { node, kind: n.kind, port: target.port, phase: 'releasing', startedAt: this.now(), oldVersion: n.fw, expected };
    this.flashing = state;
    this.deps.log.info('firmware flash started', { node, kind: n.kind, port: target.port, from: n.fw ?? 'unknown', to: expected });
    const done = runFlash({
      node,
      kind: n.kind,
      expected,
      oldBoot: this.deps.registry.node(node)?.boot ?? null,
      target,
      flasher: f.flasher,
      command: (body) => this.command(node, body),
      bus: this.deps.bus,
      log: this.deps.log,
      reportTimeoutMs: f.reportTimeoutMs ?? 120_000,
      onPhase: (p) => (state.phase = p),
    }).then((r) => {
      // Finished whatever happens to the record (e.g. the run was closed meanwhile): the next upload may start.
      Object.assign(state, { phase: r.ok ? 'done' : 'failed', ok: r.ok, newVersion: r.newVersion, durationMs: r.durationMs, output: r.output, ...(r.error ? { error: r.error } : {}) });
      this.deps.log.info('firmware flash finished', { node, ok: r.ok, ms: r.durationMs, ...(r.error ? { error: r.error } : {}) });
      const m = this.record('nodes', `firmware flash ${node}`, r.ok, { node, kind: n.kind, port: target.port, link: target.link, oldVersion: n.fw, newVersion: r.newVersion, expected, durationMs: r.durationMs, phase: r.phase, error: r.error, output: r.output, console: r.console }, by);
      state.measurementId = m.id;
      return m;
    });
    return { state: { ...state }, done };
  }

  /** Sends `{op:'config', set}` and waits for the node's result. */
  async configureNode(node: string, set: Record<string, string | number | boolean>, by: string, step = 'nodes'): Promise<Measurement> {
    this.openRun();
    const r = await this.command(node, { op: 'config', set });
    return this.record(step, `config ${node}`, r.ok, { node, set: redactSecrets(set), ...r }, by);
  }

  /**
   * Fuel tank shape table: fuel height (mm above the tank bottom) → litres, sent as the fuel node's `table`
   * with the sensor-to-bottom distance `depthMm`. The next reading is checked with fuelCheck().
   */
  async calibrateFuel(node: string, depthMm: number, rows: FuelRow[], by: string): Promise<Measurement> {
    const table = [...rows].sort((a, b) => a.mm - b.mm);
    for (let i = 1; i < table.length; i++) {
      if (table[i]!.mm === table[i - 1]!.mm || table[i]!.litres < table[i - 1]!.litres) {
        throw new CommissioningError('the shape table must rise: each level higher than the last, litres never fewer');
      }
    }
    if (table.length < 2) throw new CommissioningError('the shape table needs at least two levels');
    const text = table.map((r) => `${round1(r.mm)}:${round1(r.litres)}`).join(',');
    if (text.length > 64) throw new CommissioningError('the shape table is too long for the node (at most 64 characters): use fewer levels');
    const at = this.now();
    const m = await this.configureNode(node, { table: text, depthMm }, by, 'fuel');
    if (m.ok) this.fuelCal = { node, at, table, depthMm };
    return m;
  }

  /** The first fuel reading after the calibration, compared with the table at its measured level. */
  fuelCheck(node: string, by: string): { waiting: true } | Measurement {
    const cal = this.fuelCal;
    if (!cal || cal.node !== node) throw new CommissioningError('calibrate the tank first', 409);
    const r = this.deps.registry.reading(node, 'fuel');
    if (!r || r.receivedAt <= cal.at) return { waiting: true };
    const b = r.lastKnown;
    const heightMm = b.rawMm === null ? null : cal.depthMm - b.rawMm;
    const expected = heightMm === null ? null : round1(litresAt(cal.table.map((r) => [r.mm, r.litres]), heightMm));
    const full = cal.table[cal.table.length - 1]!.litres;
    const tol = Math.max(FUEL_TOLERANCE.litres, full * FUEL_TOLERANCE.share);
    const ok = b.status === 'ok' && b.litres !== null && expected !== null && Math.abs(b.litres - expected) <= tol;
    return this.record('fuel', `fuel reading ${node}`, ok, { node, status: b.status, rawMm: b.rawMm, heightMm, reportedLitres: b.litres, reportedPct: b.pct, expectedLitres: expected, toleranceLitres: tol, readingAt: r.receivedAt }, by);
  }

  /** Fuel nodes with their latest reading (the calibration form starts from it). */
  fuelNodes(): Array<{ id: string; reading: NodeView['readings']['fuel'] | null }> {
    const ids = new Set([...this.deps.nodes.filter((n) => n.kind === 'fuel').map((n) => n.id), ...this.deps.registry.nodes().filter((n) => n.kind === 'fuel').map((n) => n.id)]);
    return [...ids].sort().map((id) => ({ id, reading: this.deps.registry.reading(id, 'fuel') ?? null }));
  }

  chargingInfo(): { node: string | null; ports: number } | null {
    const node = this.chargerNode();
    if (!node && !this.deps.charging) return null;
    const seen = node ? (this.deps.registry.reading(node, 'charger')?.lastKnown.ports.length ?? 0) : 0;
    return { node, ports: this.deps.charging?.ports ?? seen };
  }

  private chargerNode(): string | null {
    return this.deps.nodes.find((n) => n.kind === 'charger')?.id ?? this.deps.registry.nodes().find((n) => n.kind === 'charger')?.id ?? null;
  }

  /** Port test, part 1: out of service for the charging queue, then switched on at the node. */
  async portOn(port: number): Promise<{ node: string; ok: boolean; error?: string }> {
    this.openRun();
    const node = this.chargerNode();
    if (!node) throw new CommissioningError('no charger node is configured or heard', 404);
    const ports = this.deps.charging?.ports;
    if (ports !== undefined && port >= ports) throw new CommissioningError(`this point has ${ports} ports (0–${ports - 1})`);
    this.deps.charging?.disablePort(port);
    // Readings count from the moment the command leaves: the charger may report before its result is stored.
    const sentAt = this.now();
    const r = await this.command(node, { op: 'port', port, on: true });
    if (r.ok) this.portOnAt.set(port, sentAt);
    return { node, ...r };
  }

  /**
   * The charger's current reading of a port, and whether it is one taken after the port was switched on
   * (received after the command and showing the port on: a report queued in the node before the command
   * may arrive after its answer).
   */
  portReading(port: number): { on: boolean | null; mA: number | null; fault: string | null; at: number | null; fresh: boolean } {
    const node = this.chargerNode();
    const r = node ? this.deps.registry.reading(node, 'charger') : undefined;
    const p = r?.body?.ports.find((x) => x.p === port);
    const since = this.portOnAt.get(port);
    return { on: p?.on ?? null, mA: p?.mA ?? null, fault: p?.fault ?? null, at: r?.receivedAt ?? null, fresh: r !== undefined && since !== undefined && r.receivedAt >= since && p?.on === true };
  }

  /** Port test, part 2: record the measured current and the technician's confirmation, switch off, back in service. */
  async portOff(port: number, confirmed: boolean, by: string): Promise<Measurement> {
    this.openRun();
    const node = this.chargerNode();
    if (!node) throw new CommissioningError('no charger node is configured or heard', 404);
    const reading = this.portReading(port);
    const r = await this.command(node, { op: 'port', port, on: false });
    this.portOnAt.delete(port);
    // Back to the charging service, which decides from now on (it keeps a faulty port out of service).
    this.deps.charging?.enablePort(port);
    const ok = confirmed && reading.fresh && reading.on === true && reading.fault === null && r.ok;
    // Named as on the box (1-based); `value.port` keeps the protocol's port index.
    return this.record('charging', `port ${port + 1}`, ok, { node, port, measuredMa: reading.mA, reportedOn: reading.on, fault: reading.fault, readingAt: reading.at, readingAfterSwitchOn: reading.fresh, technicianConfirmed: confirmed, switchedOff: r.ok }, by);
  }

  private boardTests: BoardTestFlow | null = null;

  private boardFlow(): BoardTestFlow {
    const board = this.deps.board;
    if (!board) throw new CommissioningError('this point runs no board', 404);
    this.boardTests ??= new BoardTestFlow({ board, dir: this.deps.dir, now: () => this.now(), log: this.deps.log, record: (what, ok, value, by) => this.record('board', what, ok, value, by) });
    return this.boardTests;
  }

  private boardCall<T>(fn: (flow: BoardTestFlow) => T): T {
    const flow = this.boardFlow();
    try {
      return fn(flow);
    } catch (err) {
      if (err instanceof BoardTestError) throw new CommissioningError(err.message, err.status, { cause: err });
      throw err;
    }
  }

  /**
   * Board test, part 1: the test pattern onto the e-ink panel through the board's driver (a full refresh, when
   * the panel's minimum interval allows); returns at once with when that will be. The 'test pattern'
   * measurement follows when the panel's refresh has ended.
   */
  boardTest(by: string, holdMs?: number): BoardTestView {
    this.openRun();
    return this.boardCall((f) => f.start(by, holdMs));
  }

  /** The board test's state: waiting for the panel, on the panel since, content back. */
  boardTestView(): BoardTestView {
    return this.boardCall((f) => f.view());
  }

  /** Board test, part 2: the technician's verdict on what the panel shows; the content then comes back. */
  boardVerdict(seen: boolean, by: string): Measurement {
    this.openRun();
    return this.boardCall((f) => f.verdict(seen, by));
  }

  /** Ends the board test without a verdict ("restore now", or cancel one still waiting). */
  boardRestore(): BoardTestView {
    return this.boardCall((f) => f.restore());
  }

  get boardTestImage(): string {
    return boardTestImagePath(this.deps.dir);
  }

  async loraCheck(by: string): Promise<Measurement> {
    this.openRun();
    const lora = this.deps.lora;
    if (!lora) throw new CommissioningError('this point has no LoRa modem configured', 404);
    const t0 = this.now();
    let error: string | null = null;
    try {
      await withTimeout(lora.join(), this.deps.loraTimeoutMs ?? 60_000, 'LoRa join');
    } catch (err) {
      error = errorMessage(err);
    }
    const join = this.record('lora', 'join', error === null, { joined: error === null, error, joinMs: this.now() - t0, ...lora.status() }, by);
    if (error !== null) return join;
    // Joined: one uplink with a LinkCheckReq tells how well the network hears this point.
    const t1 = this.now();
    let check: LinkCheckResult | null = null;
    try {
      check = await withTimeout(lora.linkCheck(), this.deps.loraTimeoutMs ?? 60_000, 'LoRa link check');
    } catch (err) {
      error = errorMessage(err);
    }
    const verdict = check ? linkVerdict(check) : null;
    const { ok: answered = false, marginDb = null, gateways = 0, rssi = null, snr = null, dr = null } = check ?? {};
    const value = { joined: true, answered, rssi, snr, marginDb, gateways, dr, error, verdict: verdict?.reason ?? 'error', minMarginDb: LINK_MIN_MARGIN_DB, minGateways: LINK_MIN_GATEWAYS, checkMs: this.now() - t1 };
    return this.record('lora', 'link check', verdict?.pass ?? false, { ...lora.status(), ...value }, by);
  }

  /** A snapshot of the live values a step is about (battery, visitors, gateway, power budget). */
  measure(step: string, by: string): Measurement {
    if (!this.steps.some((s) => s.id === step)) throw new CommissioningError(`unknown step ${step}`);
    const nodes = this.deps.registry.nodes();
    const of = (kind: NodeKind) => nodes.filter((n) => n.kind === kind);
    let value: unknown;
    let ok: boolean | null = null;
    switch (step) {
      case 'battery': {
        const b = [...of('battery'), ...of('vedirect')].map((n) => ({ id: n.id, online: n.online, ...(n.readings.battery?.body ?? {}) }));
        value = { battery: b };
        ok = b.length > 0 && b.every((x) => x.online && 'v' in x && x.v !== null);
        break;
      }
      case 'visitors':
        value = { visitors: of('visitors').map((n) => ({ id: n.id, online: n.online, ...(n.readings.visitors?.body ?? {}) })) };
        break;
      case 'power-budget':
        value = {
          battery: [...of('battery'), ...of('vedirect')].map((n) => ({ id: n.id, ...(n.readings.battery?.body ?? {}) })),
          charger: of('charger').map((n) => ({ id: n.id, totalMa: n.readings.charger?.body?.ports.reduce((s, p) => s + (p.mA ?? 0), 0) ?? null })),
          fuel: of('fuel').map((n) => ({ id: n.id, ...(n.readings.fuel?.body ?? {}) })),
        };
        break;
      default:
        value = this.diagnostics().gateway;
    }
    return this.record(step, 'snapshot', ok, value, by);
  }

  // ---- diagnostics ------------------------------------------------------------------------------

  diagnostics(logLimit = 100): {
    time: number;
    gateway: { uptimeS: number; rssMb: number; heapUsedMb: number };
    nodes: DiscoveredNode[];
    values: Array<{ id: string; readings: NodeView['readings'] }>;
    links: ReturnType<LinkMonitor['links']>;
    lora: Record<string, unknown> | null;
    board: BoardStatus | null;
    logs: LogLine[];
  } {
    const mem = process.memoryUsage();
    return {
      time: this.now(),
      gateway: { uptimeS: Math.round(process.uptime()), rssMb: Math.round(mem.rss / 1e5) / 10, heapUsedMb: Math.round(mem.heapUsed / 1e5) / 10 },
      nodes: this.discover().nodes,
      values: this.deps.registry.nodes().map((n) => ({ id: n.id, readings: n.readings })),
      links: this.deps.links.links(),
      lora: this.deps.lora?.status() ?? null,
      board: this.deps.board?.status() ?? null,
      logs: this.deps.logs?.recent(logLimit) ?? [],
    };
  }

  // ---- commands ---------------------------------------------------------------------------------

  private command(node: string, body: CommandBody): Promise<{ ok: boolean; error?: string; seq?: number }> {
    const { bus } = this.deps;
    return new Promise((resolve) => {
      let seq: number | null = null;
      let done = false;
      const finish = (r: { ok: boolean; error?: string; seq?: number }) => {
        if (done) return;
        done = true;
        off();
        cancel?.();
        resolve(r);
      };
      // Listen before sending: a node on a fast link may answer before send() returns.
      const off = bus.on('result', ({ msg }) => {
        if (msg.node === node && seq !== null && msg.body.cmd === seq) finish({ ok: msg.body.ok, seq, ...(msg.body.error ? { error: msg.body.error } : {}) });
      });
      let cancel: (() => void) | null = null;
      seq = this.deps.send(node, body);
      if (seq === null) return finish({ ok: false, error: 'no link reaches this node now' });
      const s = seq;
      // Real time, not the gateway clock: a round trip over a link takes what it takes, however fast a
      // simulation runs its clock.
      const timer = setTimeout(() => finish({ ok: false, seq: s, error: 'no answer from the node' }), this.deps.resultTimeoutMs ?? 15_000);
      cancel = () => clearTimeout(timer);
    });
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Wi-Fi and MQTT passwords set on a node must not land in the report. */
function redactSecrets(set: Record<string, string | number | boolean>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(set)) out[k] = /pass/i.test(k) ? '(set)' : v;
  return out;
}

/** Real-time deadline (see command()). */
function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new CommissioningError(`${what}: no result within ${Math.round(ms / 1000)} s`, 503)), ms);
    const cancel = () => clearTimeout(timer);
    p.then(
      (v) => (cancel(), resolve(v)),
      (err: unknown) => (cancel(), reject(err instanceof Error ? err : new Error(String(err)))),
    );
  });
}
