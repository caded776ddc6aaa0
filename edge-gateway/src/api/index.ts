// The gateway's API in one piece: accounts and sessions, resident reports, their routes and migrations.
// The gateway opens it on its Store's database and merges `routes` into its route table.
import type { Database } from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log/logger.js';
import type { RouteTable } from '../http/server.js';
import { AuthService } from './auth/service.js';
import { AUTH_MIGRATION, AuthStore } from './auth/store.js';
import { createReportPages } from './pages.js';
import type { RateLimitOptions } from './rate-limit.js';
import { ReportService } from './reports/service.js';
import type { ReportSink } from './reports/sink.js';
import { REPORTS_MIGRATION, ReportStore } from './reports/store.js';
import { createApiRoutes, toRouteTable, type ApiDeps, type ApiRoute } from './routes.js';
import type { PointCommand } from '../protocol/index.js';

export { AUTH_MIGRATION, REPORTS_MIGRATION };
export type { ReportSink, OutgoingReport } from './reports/sink.js';
export { MemoryReportSink } from './reports/sink.js';
export type { Role } from './auth/store.js';
export { renderApiDoc, json } from './routes.js';
export type { ApiModule, ApiContext, ApiRoute } from './routes.js';

/** Append both to store/migrations.ts MIGRATIONS (renumber if needed). */
export const API_MIGRATIONS = [AUTH_MIGRATION, REPORTS_MIGRATION] as const;

export interface ApiOptions {
  db: Database;
  clock: Clock;
  log: Logger;
  /** null until the relay exists (reports stay `submitted`). */
  sink: ReportSink | null;
  /** Days after which personal fields of reports are erased. */
  personalRetentionDays: number;
  /** Built kiosk UI (for the page shell); the no-JS pages work without it. */
  uiDir?: string;
  sessionMs?: number;
  secureCookie?: boolean;
  residentLimit?: RateLimitOptions;
  kioskLimit?: RateLimitOptions;
  loginLimit?: RateLimitOptions;
  maintenanceMs?: number;
  /** Coordinator role: how commands reach a point (see routes.ts `/api/points/charging-policy`). */
  pointCommands?: (point: string, cmd: PointCommand) => Promise<void>;
  /** Point role: the board's content for `/api/board/content`. */
  boardContent?: ApiDeps['boardContent'];
  /** Coordinator role: signed broadcasts for `/api/broadcasts`. */
  broadcasts?: ApiDeps['broadcasts'];
  /** Feature modules adding rows to the request table (see `doc-modules.ts` for the documented set). */
  modules?: ApiDeps['modules'];
  /** Where the one-time set-up code is also written (0600), for the technician at the device; removed after set-up. */
  setupCodeFile?: string;
}

export interface Api {
  readonly routes: RouteTable;
  readonly table: readonly ApiRoute[];
  readonly auth: AuthService;
  readonly reports: ReportService;
  /** Logs the set-up code if needed and starts the report retry/purge timer. */
  start(): void;
  stop(): void;
}

export function createApi(opts: ApiOptions): Api {
  const auth = new AuthService(new AuthStore(opts.db), {
    clock: opts.clock,
    log: opts.log.child('auth'),
    ...(opts.sessionMs !== undefined ? { sessionMs: opts.sessionMs } : {}),
    ...(opts.secureCookie !== undefined ? { secureCookie: opts.secureCookie } : {}),
    ...(opts.setupCodeFile ? { setupCodeFile: opts.setupCodeFile } : {}),
  });
  const reports = new ReportService({
    store: new ReportStore(opts.db),
    sink: opts.sink,
    clock: opts.clock,
    log: opts.log.child('reports'),
    personalRetentionMs: opts.personalRetentionDays * 86_400_000,
    ...(opts.maintenanceMs !== undefined ? { maintenanceMs: opts.maintenanceMs } : {}),
  });
  const pages = createReportPages({ uiDir: opts.uiDir, reports, retentionDays: opts.personalRetentionDays });
  const table = createApiRoutes({
    auth,
    reports,
    clock: opts.clock,
    pages,
    ...(opts.residentLimit ? { residentLimit: opts.residentLimit } : {}),
    ...(opts.kioskLimit ? { kioskLimit: opts.kioskLimit } : {}),
    ...(opts.loginLimit ? { loginLimit: opts.loginLimit } : {}),
    ...(opts.pointCommands ? { pointCommands: opts.pointCommands } : {}),
    ...(opts.boardContent ? { boardContent: opts.boardContent } : {}),
    ...(opts.broadcasts ? { broadcasts: opts.broadcasts } : {}),
    ...(opts.modules ? { modules: opts.modules } : {}),
  });
  let stopSweep: (() => void) | null = null;
  return {
    routes: toRouteTable(table),
    table,
    auth,
    reports,
    start() {
      auth.announceSetup();
      reports.start();
      stopSweep = opts.clock.setInterval(() => auth.purgeExpired(), 3_600_000);
    },
    stop() {
      reports.stop();
      stopSweep?.();
      stopSweep = null;
    },
  };
}
