// The console's login session: who is logged in (from the gateway's HttpOnly session cookie, which the page
// cannot read), the CSRF token every state-changing request carries, and authenticated requests that drop
// back to the login screen when the session has ended (401).
import { signal, type ReadonlySignal } from '@preact/signals';
import { ApiError, unwrap } from './client.js';

export type UserRole = 'staff' | 'technician' | 'coordinator';
export interface SessionUser {
  id: number;
  username: string;
  role: UserRole;
}
/** unknown: not asked yet; anonymous: no session (login or first-run set-up); in: logged in. */
export type SessionState = 'unknown' | 'anonymous' | 'in';

export const CSRF_HEADER = 'X-Noodsteun-CSRF';

export interface SessionStore {
  readonly state: ReadonlySignal<SessionState>;
  readonly user: ReadonlySignal<SessionUser | null>;
  /** Whether the gateway still waits for its first technician (null until asked). */
  readonly setupNeeded: ReadonlySignal<boolean | null>;
  refresh(): Promise<void>;
  login(username: string, password: string): Promise<SessionUser>;
  setup(code: string, username: string, password: string): Promise<SessionUser>;
  logout(): Promise<void>;
  get<T>(path: string): Promise<T>;
  /** A state-changing request with the CSRF header; a body is sent as JSON. */
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** True when the user has one of these roles. */
  can(...roles: UserRole[]): boolean;
}

export function createSessionStore(opts: { base?: string; fetch?: typeof fetch } = {}): SessionStore {
  const base = opts.base ?? '';
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const state = signal<SessionState>('unknown');
  const user = signal<SessionUser | null>(null);
  const setupNeeded = signal<boolean | null>(null);
  let csrf: string | null = null;

  const signedIn = (u: SessionUser, token: string) => {
    user.value = u;
    csrf = token;
    state.value = 'in';
  };
  const signedOut = () => {
    user.value = null;
    csrf = null;
    state.value = 'anonymous';
  };

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && csrf) headers[CSRF_HEADER] = csrf;
    let res: Response;
    try {
      res = await doFetch(base + path, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (err) {
      throw new ApiError(`${method} ${path}: no answer from the gateway`, 0, { cause: err });
    }
    let parsed: unknown;
    try {
      parsed = await res.json();
    } catch (err) {
      throw new ApiError(`${method} ${path}: reply is not JSON (HTTP ${res.status})`, res.status, { cause: err });
    }
    // The session ended (expired, logged out elsewhere): back to the login screen, but not for the login itself.
    if (res.status === 401 && path !== '/api/auth/login' && path !== '/api/setup') signedOut();
    return unwrap<T>(parsed, `${method} ${path}`, res.status);
  }

  type Auth = { user: SessionUser; csrf: string };
  return {
    state,
    user,
    setupNeeded,
    async refresh() {
      try {
        const s = await call<Auth>('GET', '/api/auth/session');
        signedIn(s.user, s.csrf);
      } catch (err) {
        if (!(err instanceof ApiError) || err.httpStatus !== 401) throw err;
        signedOut();
        setupNeeded.value = (await call<{ needed: boolean }>('GET', '/api/setup')).needed;
      }
    },
    async login(username, password) {
      const r = await call<Auth>('POST', '/api/auth/login', { username, password });
      signedIn(r.user, r.csrf);
      return r.user;
    },
    async setup(code, username, password) {
      const r = await call<Auth>('POST', '/api/setup', { code, username, password });
      setupNeeded.value = false;
      signedIn(r.user, r.csrf);
      return r.user;
    },
    async logout() {
      try {
        await call<null>('POST', '/api/auth/logout');
      } finally {
        signedOut();
      }
    },
    get: (path) => call('GET', path),
    send: (method, path, body) => call(method, path, body),
    can: (...roles) => user.value !== null && roles.includes(user.value.role),
  };
}
