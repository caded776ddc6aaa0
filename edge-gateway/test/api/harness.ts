// A real HTTP server on a loopback port with the API routes and a real SQLite file in a temp folder.
import Database from 'better-sqlite3';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/clock.js';
import { memoryLogger } from '../../src/log/logger.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { migrate } from '../../src/store/migrations.js';
import { API_MIGRATIONS, createApi, type Api, type ApiOptions, MemoryReportSink } from '../../src/api/index.js';

export interface Harness {
  url: string;
  api: Api;
  db: Database.Database;
  clock: ManualClock;
  sink: MemoryReportSink;
  logs: ReturnType<typeof memoryLogger>;
  setupCode: string | null;
  close(): Promise<void>;
}

export async function startHarness(opts: Partial<Omit<ApiOptions, 'db' | 'clock' | 'log'>> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'ns-api-'));
  const db = new Database(join(dir, 'gateway.db'));
  migrate(db, API_MIGRATIONS);
  const clock = new ManualClock();
  const logs = memoryLogger();
  const sink = new MemoryReportSink();
  const api = createApi({ db, clock, log: logs, sink, personalRetentionDays: 30, maintenanceMs: 3_600_000, ...opts });
  api.start();
  // the code is read where a technician reads it: the gateway log
  const logged = logs.records.find((r) => typeof r.setupCode === 'string');
  const setupCode = logged ? (logged.setupCode as string) : null;
  const http: HttpServer = createHttpServer({ routes: api.routes, log: logs });
  const port = await http.listen(0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}`,
    api,
    db,
    clock,
    sink,
    logs,
    setupCode,
    async close() {
      api.stop();
      await http.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

export async function envelope(res: Response): Promise<{ status: string; data?: unknown; error?: string }> {
  return (await res.json()) as { status: string; data?: unknown; error?: string };
}

/** `ns_session=…` from a Set-Cookie reply, for the Cookie header of later requests. */
export function sessionCookie(res: Response): string {
  const set = res.headers.get('set-cookie') ?? '';
  const m = /ns_session=([^;]*)/.exec(set);
  if (!m) throw new Error(`no session cookie in ${set}`);
  return `ns_session=${m[1]}`;
}

/**
 * POST JSON from another loopback address (127.0.0.2), i.e. a phone on the point Wi-Fi rather than the
 * kiosk's own screen (which connects from 127.0.0.1). Returns status and Retry-After.
 */
export function postJsonFrom(localAddress: string, url: string, body: unknown): Promise<{ status: number; retryAfter: string | undefined }> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', localAddress, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] }));
    });
    req.on('error', reject);
    req.end(data);
  });
}
