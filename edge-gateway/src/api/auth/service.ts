// Logins, sessions, first-run set-up and the checks every staff/technician endpoint runs.
//
// First run: while no technician account exists, the gateway prints a one-time set-up code to its log at
// start (journalctl -u noodsteun). `POST /api/setup` with that code creates the first technician; the code
// is then void. There is no default password anywhere. The code lives in memory only (a restart prints a
// new one) and guesses count against the login rate limit.
//
// Sessions: a random 32-byte id in the cookie `ns_session` (HttpOnly; SameSite=Strict; Path=/), stored as
// SHA-256 with an expiry. CSRF: every state-changing request of a session must carry the header
// `X-Noodsteun-CSRF` equal to the session's token (given by login and `GET /api/auth/session`); a page on
// another site can neither read the token nor send a custom header without a CORS preflight, which this
// server never grants. The Origin check (http-input.ts) is a second fence.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../log/logger.js';
import { burnScrypt, hashScrypt, verifyScrypt } from '../../broker/password-hash.js';
import { HttpError, type ReplyHeaders } from '../../http/server.js';
import type { AuthStore, Role, SessionRow, UserRow } from './store.js';

export const SESSION_COOKIE = 'ns_session';
export const CSRF_HEADER = 'x-noodsteun-csrf';

export interface AuthOptions {
  clock: Clock;
  log: Logger;
  /** Session lifetime (default 12 h: one shift). */
  sessionMs?: number;
  /** Set the Secure cookie attribute (when served over https). */
  secureCookie?: boolean;
  /** Also write the set-up code here (0600) for the technician at the device; removed once set-up is done. */
  setupCodeFile?: string;
}

export interface PublicUser {
  id: number;
  username: string;
  role: Role;
}

export interface LoginResult {
  user: PublicUser;
  csrf: string;
  headers: ReplyHeaders;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const publicUser = (u: Pick<UserRow, 'id' | 'username' | 'role'>): PublicUser => ({ id: u.id, username: u.username, role: u.role });

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

export class AuthService {
  private setupCode: string | null = null;
  private readonly sessionMs: number;

  constructor(
    readonly store: AuthStore,
    private readonly opts: AuthOptions,
  ) {
    this.sessionMs = opts.sessionMs ?? 12 * 3_600_000;
  }

  /** At start: while no technician exists, makes and logs a one-time set-up code; returns it (for tests). */
  announceSetup(): string | null {
    if (this.store.hasTechnician()) {
      this.removeSetupFile();
      return (this.setupCode = null);
    }
    // 10 characters from an alphabet without look-alikes (0/O, 1/l): ~50 bits, typed from a screen.
    const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
    const bytes = randomBytes(10);
    this.setupCode = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
    this.opts.log.warn('no technician account yet: open /console/ and use this one-time set-up code', { setupCode: this.setupCode });
    if (this.opts.setupCodeFile) writeFileSync(this.opts.setupCodeFile, this.setupCode + '\n', { mode: 0o600 });
    return this.setupCode;
  }

  private removeSetupFile(): void {
    if (this.opts.setupCodeFile) rmSync(this.opts.setupCodeFile, { force: true });
  }

  get setupOpen(): boolean {
    return this.setupCode !== null && !this.store.hasTechnician();
  }

  async setup(code: string, username: string, password: string): Promise<LoginResult> {
    if (!this.setupOpen || !this.setupCode) throw new HttpError(409, 'set-up is already done');
    if (!safeEqual(code.trim().toLowerCase(), this.setupCode)) throw new HttpError(403, 'wrong set-up code');
    const user = this.store.addFirstTechnician(username, await hashScrypt(password), this.opts.clock.now());
    if (!user) throw new HttpError(409, 'set-up is already done');
    this.setupCode = null;
    this.removeSetupFile();
    this.opts.log.info('first technician created', { username });
    return this.startSession(user);
  }

  async addUser(username: string, password: string, role: Role): Promise<PublicUser> {
    if (this.store.user(username)) throw new HttpError(409, 'username already exists');
    return publicUser(this.store.addUser(username, role, await hashScrypt(password), this.opts.clock.now()));
  }

  async login(username: string, password: string): Promise<LoginResult> {
    const user = this.store.user(username);
    if (!user || user.disabled) {
      await burnScrypt(password);
      throw new HttpError(401, 'wrong username or password');
    }
    if (!(await verifyScrypt(user.hash, password))) throw new HttpError(401, 'wrong username or password');
    return this.startSession(user);
  }

  logout(req: IncomingMessage): ReplyHeaders {
    const id = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    if (id) this.store.deleteSession(sha256(id));
    return { 'Set-Cookie': this.cookie('', 0) };
  }

  /** The session of a request, or null. */
  session(req: IncomingMessage): SessionRow | null {
    const id = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    if (!id || id.length > 100) return null;
    return this.store.session(sha256(id), this.opts.clock.now());
  }

  /**
   * Guard for staff/technician endpoints: 401 without a valid session, 403 for a role not in `roles`, and
   * for state-changing methods 403 without the matching CSRF header.
   */
  require(req: IncomingMessage, roles: readonly Role[]): SessionRow {
    const s = this.session(req);
    if (!s) throw new HttpError(401, 'login required');
    if (!roles.includes(s.user.role)) throw new HttpError(403, `needs role ${roles.join(' or ')}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') this.checkCsrf(req, s);
    return s;
  }

  checkCsrf(req: IncomingMessage, s: SessionRow): void {
    const sent = req.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !safeEqual(sent, s.csrf)) throw new HttpError(403, 'missing or wrong CSRF token');
  }

  purgeExpired(): number {
    return this.store.deleteExpired(this.opts.clock.now());
  }

  private startSession(user: UserRow): LoginResult {
    const id = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const now = this.opts.clock.now();
    this.store.addSession(sha256(id), user.id, csrf, now, now + this.sessionMs);
    return { user: publicUser(user), csrf, headers: { 'Set-Cookie': this.cookie(id, Math.floor(this.sessionMs / 1000)) } };
  }

  private cookie(value: string, maxAgeS: number): string {
    return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeS}${this.opts.secureCookie ? '; Secure' : ''}`;
  }
}
