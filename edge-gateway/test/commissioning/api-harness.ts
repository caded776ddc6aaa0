// The commissioning rows over real HTTP: an API with the commissioning module, its first technician (set-up
// code from the log) and a staff account, and a JSON caller that sends a session's cookie and CSRF header.
import { expect } from 'vitest';
import { SystemClock } from '../../src/core/clock.js';
import { memoryLogger } from '../../src/log/logger.js';
import { createHttpServer } from '../../src/http/server.js';
import { createApi, type Api } from '../../src/api/index.js';
import { commissioningApi, type CommissioningService } from '../../src/commissioning/index.js';
import type { Database } from 'better-sqlite3';
import { firstRunSetUp } from '../support/first-run.js';

export interface Session {
  cookie: string;
  csrf: string;
}

export interface Reply {
  status: number;
  data: Record<string, unknown>;
  error: string | undefined;
}

export interface CommissioningApiHarness {
  api: Api;
  url: string;
  tech: Session;
  staff: Session;
  /** A JSON request; with a session its cookie, and its CSRF header unless `csrf` is false. */
  call(method: 'GET' | 'POST', path: string, body?: unknown, s?: Session | null, csrf?: boolean): Promise<Reply>;
  close(): Promise<void>;
}

export async function startCommissioningApi(db: Database, svc: CommissioningService | null): Promise<CommissioningApiHarness> {
  const log = memoryLogger();
  const api = createApi({ db, clock: new SystemClock(), log, sink: null, personalRetentionDays: 30, modules: [commissioningApi(svc)] });
  api.start();
  const http = createHttpServer({ routes: api.routes, log });
  const url = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
  const call: CommissioningApiHarness['call'] = async (method, path, body, s, csrf = true) => {
    const headers: Record<string, string> = {};
    if (s) headers.cookie = s.cookie;
    if (s && csrf) headers['X-Noodsteun-CSRF'] = s.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const j = (await res.json()) as { data?: unknown; error?: string };
    return { status: res.status, data: j.data as Record<string, unknown>, error: j.error };
  };
  const login = async (username: string, password: string): Promise<Session> => {
    const res = await fetch(url + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    expect(res.status).toBeLessThan(300);
    const cookie = /ns_session=[^;]*/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
    return { cookie, csrf: ((await res.json()) as { data: { csrf: string } }).data.csrf };
  };
  const tech = await firstRunSetUp(url, log.records, 'tech-anna', 'a long passphrase 1');
  await api.auth.addUser('staff-bob', 'another passphrase 2', 'staff');
  const staff = await login('staff-bob', 'another passphrase 2');
  return {
    api,
    url,
    tech,
    staff,
    call,
    close: async () => {
      api.stop();
      await http.close();
    },
  };
}
