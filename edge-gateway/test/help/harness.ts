// A real HTTP server on a loopback port with the API, the citizen-help module (and, if asked, its pages without
// JavaScript) and a real SQLite file.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/clock.js';
import { memoryLogger } from '../../src/log/logger.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { migrate } from '../../src/store/migrations.js';
import { API_MIGRATIONS, createApi, MemoryReportSink, type Api, type ApiOptions } from '../../src/api/index.js';
import { HELP_MIGRATION, HelpService, HelpStore, helpApi } from '../../src/help/index.js';
import { DirectoryService, DirectoryStore } from '../../src/directory/index.js';
import { helpPagesApi } from '../../src/http/help-pages.js';
import { firstRunSetUp } from '../support/first-run.js';

export const HOUR = 3_600_000;

export interface HelpHarness {
  url: string;
  api: Api;
  help: HelpService;
  directory: DirectoryService;
  db: Database.Database;
  clock: ManualClock;
  sink: MemoryReportSink;
  /** Cookie and CSRF headers of a logged-in technician. */
  staff: Record<string, string>;
  close(): Promise<void>;
}

export interface HelpHarnessOptions {
  /** Where the point stands (the directory's distances); null: unknown. */
  origin?: { lat: number; lon: number } | null;
  /** false: the gateway runs neither citizen help nor the directory (their rows answer 404). */
  withHelp?: boolean;
  /** Also serve the help pages without JavaScript, in the built app shell found in `uiDir` if given. */
  pages?: { uiDir?: string };
  /** Rate limits other than the API's defaults. */
  limits?: Pick<ApiOptions, 'residentLimit' | 'kioskLimit'>;
}

export async function startHelpHarness(o: HelpHarnessOptions = {}): Promise<HelpHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'ns-help-'));
  const db = new Database(join(dir, 'gateway.db'));
  migrate(db, [...API_MIGRATIONS, { ...HELP_MIGRATION, version: 9 }]);
  const clock = new ManualClock(Date.parse('2026-11-27T12:00:00Z'));
  const logs = memoryLogger();
  const sink = new MemoryReportSink();
  let api: Api | null = null;
  const help = new HelpService({
    store: new HelpStore(db),
    clock,
    log: logs,
    entryLifetimeMs: 72 * HOUR,
    personalRetentionMs: 30 * 24 * HOUR,
    maintenanceMs: HOUR,
    submitNeed: (need) => api!.reports.submit('need', need),
    pointId: 'p1',
  });
  const directory = new DirectoryService({ store: new DirectoryStore(db), clock, log: logs, pointId: 'p1', origin: o.origin === undefined ? { lat: 52.0907, lon: 5.1214 } : o.origin });
  const on = o.withHelp !== false;
  api = createApi({
    db,
    clock,
    log: logs,
    sink,
    personalRetentionDays: 30,
    maintenanceMs: 3_600_000,
    // the tests move the clock by weeks; the staff session must outlive that
    sessionMs: 90 * 24 * HOUR,
    ...o.limits,
    modules: [
      on ? helpApi(help, directory) : helpApi(null),
      ...(o.pages ? [helpPagesApi(on ? help : null, on ? directory : null, { uiDir: o.pages.uiDir })] : []),
    ],
  });
  api.start();
  help.start();
  const http: HttpServer = createHttpServer({ routes: api.routes, log: logs });
  const port = await http.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const { cookie, csrf } = await firstRunSetUp(url, logs.records);
  return {
    url,
    api,
    help,
    directory,
    db,
    clock,
    sink,
    staff: { cookie, 'x-noodsteun-csrf': csrf },
    async close() {
      help.stop();
      api!.stop();
      await http.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply<T = unknown> {
  status: number;
  body: { status: 'ok' | 'error'; data?: T; error?: string };
}

export async function call<T = unknown>(url: string, method: 'GET' | 'POST', body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
  const res = await fetch(url, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Reply<T>['body'] };
}
