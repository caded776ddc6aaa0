// A real HTTP server on a loopback port with the API, the citizen-help module and a real SQLite file.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/clock.js';
import { memoryLogger } from '../../src/log/logger.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { migrate } from '../../src/store/migrations.js';
import { API_MIGRATIONS, createApi, MemoryReportSink, type Api } from '../../src/api/index.js';
import { HELP_MIGRATION, HelpService, HelpStore, helpApi } from '../../src/help/index.js';
import { DirectoryService, DirectoryStore } from '../../src/directory/index.js';

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

export async function startHelpHarness(o: { origin?: { lat: number; lon: number } | null; withHelp?: boolean } = {}): Promise<HelpHarness> {
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
  api = createApi({
    db,
    clock,
    log: logs,
    sink,
    personalRetentionDays: 30,
    maintenanceMs: 3_600_000,
    // the tests move the clock by weeks; the staff session must outlive that
    sessionMs: 90 * 24 * HOUR,
    modules: [o.withHelp === false ? helpApi(null) : helpApi(help, directory)],
  });
  api.start();
  help.start();
  const http: HttpServer = createHttpServer({ routes: api.routes, log: logs });
  const port = await http.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const setupCode = logs.records.find((r) => typeof r.setupCode === 'string')?.setupCode as string;
  const setup = await fetch(`${url}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: setupCode, username: 'tech', password: 'a long passphrase here' }),
  });
  if (setup.status !== 201) throw new Error(`set-up failed: ${setup.status}`);
  const cookie = setup.headers.get('set-cookie')!.split(';')[0]!;
  const { csrf } = ((await setup.json()) as { data: { csrf: string } }).data;
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
