// The technician's commissioning and diagnostics API (edge-gateway/src/commissioning/api.ts), through the
// console session (cookie + CSRF header). Types mirror what the gateway sends.
import type { SessionStore } from './session.js';

export type StepStatus = 'open' | 'passed' | 'failed' | 'skipped';

export interface StepDef {
  id: string;
  nl: string;
  en: string;
}

export interface StepRecord {
  step: string;
  status: StepStatus;
  note: string | null;
  decidedAt: number | null;
  decidedBy: string | null;
  nl: string;
  en: string;
}

export interface Measurement {
  id: number;
  step: string;
  at: number;
  by: string;
  what: string;
  ok: boolean | null;
  value: Record<string, unknown>;
}

export interface RunRow {
  id: number;
  startedAt: number;
  startedBy: string;
  finishedAt: number | null;
  finishedBy: string | null;
}

export interface RunView {
  run: RunRow;
  steps: StepRecord[];
  measurements: Measurement[];
}

export interface Heartbeat {
  kind: string;
  fw: string;
  up: number;
  mem: number | null;
  flags: string[];
  link: 'serial' | 'mqtt';
  rssi?: number;
}

export interface DiscoveredNode {
  id: string;
  kind: string | null;
  expected: boolean;
  configKind: string | null;
  online: boolean;
  fw: string | null;
  lastSeen: number | null;
  lastHeartbeatAt: number | null;
  heartbeat: Heartbeat | null;
  link: string | null;
  links: Record<string, number>;
}

export interface FuelReading {
  body: { litres: number | null; pct: number | null; rawMm: number | null; status: string } | null;
  receivedAt: number;
}

export interface CommissioningState {
  steps: StepDef[];
  run: RunView | null;
  runs: RunRow[];
  nodes: DiscoveredNode[];
  fuel: { id: string; reading: FuelReading | null }[];
  charging: { node: string | null; ports: number } | null;
}

/** The board test on the e-ink panel (edge-gateway/src/board/panel-test.ts); times on the gateway's clock. */
export interface BoardTest {
  id: number;
  phase: 'pending' | 'showing' | 'restoring' | 'restored' | 'failed' | 'cancelled';
  requestedAt: number;
  dueAt: number | null;
  shownAt: number | null;
  refreshMs: number | null;
  restoreFrom: number | null;
  holdUntil: number | null;
  restoreRequestedAt: number | null;
  restoreAt: number | null;
  restoredAt: number | null;
  error: string | null;
}

export interface BoardTestView {
  test: BoardTest | null;
  image: string | null;
  panelImage: string | null;
  now: number;
}

export interface PortReading {
  on: boolean | null;
  mA: number | null;
  fault: string | null;
  at: number | null;
  fresh: boolean;
}

export interface LinkHealth {
  name: string;
  up: boolean | null;
  detail: string | null;
  since: number | null;
  messages: number;
  rejected: Record<string, number>;
  lastRejected: { at: number; reason: string; detail: string } | null;
}

export interface LogLine {
  t: number;
  level: 'debug' | 'info' | 'warn' | 'error';
  ns: string;
  msg: string;
  fields: Record<string, string | number | boolean | null>;
}

export interface Diagnostics {
  time: number;
  gateway: { uptimeS: number; rssMb: number; heapUsedMb: number };
  nodes: DiscoveredNode[];
  values: { id: string; readings: Record<string, { body: Record<string, unknown> | null; receivedAt: number }> }[];
  links: LinkHealth[];
  lora: Record<string, unknown> | null;
  board: { lastRefreshAt: number | null; refreshes: { full: number; partial: number }; lastError: string | null } | null;
  logs: LogLine[];
}

/** A firmware upload from the wizard (edge-gateway/src/commissioning/flash.ts). */
export interface FlashState {
  node: string;
  kind: string;
  port: string;
  phase: 'releasing' | 'uploading' | 'reopening' | 'waiting' | 'done' | 'failed';
  startedAt: number;
  oldVersion: string | null;
  expected: string;
  ok?: boolean;
  error?: string;
  measurementId?: number;
  newVersion?: string | null;
  durationMs?: number;
  /** The flasher's last output lines. */
  output?: string[];
}

export function technicianApi(session: SessionStore) {
  const post = <T>(path: string, body: unknown = {}) => session.send<T>('POST', path, body);
  return {
    state: () => session.get<CommissioningState>('/api/commissioning'),
    start: () => post<RunView>('/api/commissioning/start'),
    decide: (step: string, status: StepStatus, note?: string) => post<RunView>('/api/commissioning/step', { step, status, ...(note ? { note } : {}) }),
    discover: () => post<Measurement>('/api/commissioning/discover'),
    firmware: () => post<Measurement>('/api/commissioning/firmware'),
    flash: (node: string) => post<{ flash: FlashState }>('/api/commissioning/flash', { node }),
    flashState: () => session.get<{ flash: FlashState | null }>('/api/commissioning/flash'),
    configure: (node: string, set: Record<string, string | number | boolean>) => post<Measurement>('/api/commissioning/node-config', { node, set }),
    calibrateFuel: (node: string, depthMm: number, table: { mm: number; litres: number }[]) => post<Measurement>('/api/commissioning/fuel', { node, depthMm, table }),
    fuelCheck: (node: string) => post<Measurement | { waiting: true }>('/api/commissioning/fuel-check', { node }),
    portOn: (port: number) => post<{ node: string; ok: boolean; error?: string }>('/api/commissioning/port', { port, on: true }),
    portOff: (port: number, confirmed: boolean) => post<Measurement>('/api/commissioning/port', { port, on: false, confirmed }),
    portReading: (port: number) => session.get<PortReading>(`/api/commissioning/port?port=${port}`),
    boardTest: () => post<BoardTestView>('/api/commissioning/board-test'),
    boardTestView: () => session.get<BoardTestView>('/api/commissioning/board-test'),
    boardVerdict: (seen: boolean) => post<Measurement>('/api/commissioning/board-test/verdict', { seen }),
    boardRestore: () => post<BoardTestView>('/api/commissioning/board-test/restore'),
    lora: () => post<Measurement>('/api/commissioning/lora'),
    measure: (step: string) => post<Measurement>('/api/commissioning/measure', { step }),
    finish: () => post<{ run: RunRow; report: unknown }>('/api/commissioning/finish'),
    reportJson: (id: number) => session.get<unknown>(`/api/commissioning/report?id=${id}`),
    reportMarkdown: (id: number) => session.get<{ markdown: string }>(`/api/commissioning/report?id=${id}&format=md`),
    diagnostics: (logs = 100) => session.get<Diagnostics>(`/api/diagnostics?logs=${logs}`),
  };
}

export type TechnicianApi = ReturnType<typeof technicianApi>;
