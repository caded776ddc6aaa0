// End-to-end tests against the gateway in simulation: `noodsteun start` (coordinator, point gateway and the
// simulated nodes running the real firmware, as child processes) in a temporary folder, serving a fresh UI
// build. Also account helpers that go through the real API (first-run set-up code from the data folder).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import type { ScenarioInput } from '../../../edge-gateway/src/sim/world/scenario.js';
import { ensureBundles } from '../../../firmware/test/helpers/bundles.js';
import { builtUi, type BuiltUi } from './ui-server.js';

const BIN = fileURLToPath(new URL('../../../edge-gateway/bin/noodsteun.js', import.meta.url));

export type SiteGateway = 'point' | 'coordinator';

export interface SimSite {
  pointUrl: string;
  coordinatorUrl: string;
  dataDir: string;
  /** Each gateway's data folder (its database, board images, set-up code). */
  dir(which: SiteGateway): string;
  /** The one-time set-up code the gateway wrote while it has no technician. */
  setupCode(which: SiteGateway): string;
  /** Everything the processes printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface SimSiteOptions {
  /** Simulated seconds per real second (default 30). */
  speed?: number;
  seed?: number;
  /** Per-section overrides of the simulated world, e.g. `{ generator: { initialFuelL: 3 } }`. */
  scenario?: ScenarioInput;
  /** How long to wait for both gateways to answer (default 120 s). */
  timeoutMs?: number;
  /** Serve this UI build instead of a fresh one (e.g. a benchmark that built it already). */
  uiDir?: string;
}

/** Starts the simulated site; call `stop()` in afterAll. */
export async function startSimSite(opts: SimSiteOptions = {}): Promise<SimSite> {
  await ensureBundles(); // the simulator runs the real node firmware
  const ui: BuiltUi = opts.uiDir ? { dir: opts.uiDir, how: 'dist', ms: 0, cleanup: () => undefined } : await builtUi();
  const dataDir = mkdtempSync(join(tmpdir(), 'ns-e2e-site-'));
  const args = [BIN, 'start', '--speed', String(opts.speed ?? 30), '--port', '0', '--data', dataDir, '--seed', String(opts.seed ?? 1)];
  if (opts.scenario) {
    const file = join(dataDir, 'scenario.json');
    writeFileSync(file, JSON.stringify(opts.scenario));
    args.push('--scenario', file);
  }
  const proc: ChildProcess = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: stop() reaches the gateways and socat too
    env: { ...process.env, NOODSTEUN_UI_DIR: ui.dir },
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));

  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      process.kill(-proc.pid!, 'SIGINT');
      const killer = setTimeout(() => {
        try {
          process.kill(-proc.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
    ui.cleanup();
  };

  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  let urls: { point: string; coordinator: string } | null = null;
  while (!urls) {
    const p = /open the point:\s+(http:\/\/localhost:\d+)/.exec(out)?.[1];
    const c = /coordinator console:\s+(http:\/\/localhost:\d+)/.exec(out)?.[1];
    if (p && c) urls = { point: p, coordinator: c };
    else if (proc.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`noodsteun start did not come up:\n${out.slice(-4000)}`);
    } else await new Promise((r) => setTimeout(r, 200));
  }
  const dir = (which: SiteGateway) => join(dataDir, which);
  return {
    pointUrl: urls.point,
    coordinatorUrl: urls.coordinator,
    dataDir,
    dir,
    setupCode(which) {
      const file = join(dir(which), 'setup-code');
      if (!existsSync(file)) throw new Error(`${which}: no set-up code (a technician exists already?)`);
      return readFileSync(file, 'utf8').trim();
    },
    output: () => out,
    stop,
  };
}

/** A logged-in API session (cookie + CSRF token), for preparing state and for checking refusals. */
export interface ApiSession {
  base: string;
  username: string;
  password: string;
  role: string;
  cookie: string;
  csrf: string;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
}

interface Envelope<T> {
  status: 'ok' | 'error';
  data?: T;
  error?: string;
}

async function call<T>(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; data: T; cookie: string | null }> {
  const res = await fetch(base + path, {
    method,
    headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const env = (await res.json()) as Envelope<T>;
  if (!res.ok || env.status !== 'ok') throw new Error(`${method} ${path}: HTTP ${res.status} ${env.error ?? ''}`);
  const setCookie = res.headers.get('set-cookie');
  return { status: res.status, data: env.data as T, cookie: setCookie ? setCookie.split(';')[0]! : null };
}

function session(base: string, username: string, password: string, role: string, cookie: string, csrf: string): ApiSession {
  const headers = () => ({ Cookie: cookie, 'X-Noodsteun-CSRF': csrf });
  return {
    base, username, password, role, cookie, csrf,
    get: async (path) => (await call<never>(base, 'GET', path, headers())).data,
    post: async (path, body) => (await call<never>(base, 'POST', path, headers(), body)).data,
  };
}

/** First-run set-up: creates the gateway's first technician with the set-up code and returns its session. */
export async function setupTechnician(site: SimSite, which: SiteGateway, username = 'technicus', password = 'correct horse battery staple'): Promise<ApiSession> {
  const base = which === 'point' ? site.pointUrl : site.coordinatorUrl;
  const r = await call<{ user: { role: string }; csrf: string }>(base, 'POST', '/api/setup', {}, { code: site.setupCode(which), username, password });
  if (!r.cookie) throw new Error('set-up answered without a session cookie');
  return session(base, username, password, r.data.user.role, r.cookie, r.data.csrf);
}

/** Logs in through the API. */
export async function login(base: string, username: string, password: string): Promise<ApiSession> {
  const r = await call<{ user: { role: string }; csrf: string }>(base, 'POST', '/api/auth/login', {}, { username, password });
  if (!r.cookie) throw new Error('login answered without a session cookie');
  return session(base, username, password, r.data.user.role, r.cookie, r.data.csrf);
}

/** A technician adds an account (staff, technician or coordinator) and the new user logs in. */
export async function addAccount(tech: ApiSession, role: 'staff' | 'technician' | 'coordinator', username: string, password = 'another long passphrase'): Promise<ApiSession> {
  await tech.post('/api/users', { username, password, role });
  return login(tech.base, username, password);
}

/** Gives a browser context an API session's cookie, so a page opens logged in (the console reads its CSRF token itself). */
export async function useSessionIn(context: BrowserContext, s: ApiSession): Promise<void> {
  const [name, value] = s.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: s.base }]);
}

/** Polls until `probe` returns a value (not null/undefined/false), or fails with the site's output. */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000, site?: SimSite): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await probe();
      if (v !== null && v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}${site ? `\n--- site output ---\n${site.output().slice(-3000)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
