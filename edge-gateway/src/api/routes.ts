// The API's one request table: every endpoint with who may call it, what it takes and what it returns.
// `docs/api.md` is rendered from this table (renderApiDoc; a test keeps the file in step).
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { HttpError, type Handler, type Reply, type RouteTable } from '../http/server.js';
import type { AuthService } from './auth/service.js';
import { ROLES, type Role } from './auth/store.js';
import { checkOrigin, clientIp, readJson, validate } from './http-input.js';
import { TokenBucketLimiter, type RateLimitOptions } from './rate-limit.js';
import { INPUTS, type ReportKind } from './reports/schemas.js';
import type { ReportService } from './reports/service.js';
import type { ReportPages } from './pages.js';
import { randomUUID } from 'node:crypto';
import { PointIdSchema, type PointCommand } from '../protocol/index.js';
import { BoardContentError, BoardContentSchema, type BoardContent } from '../board/content.js';
import { BroadcastError, BroadcastTargetSchema, type BroadcastRecord, type BroadcastTarget } from '../coordinator/broadcast-service.js';

export type Access = 'public' | 'resident' | 'setup' | 'session' | Role | 'staff+technician' | 'coordinator+technician';

export interface ApiRoute {
  method: 'GET' | 'POST';
  path: string;
  access: Access;
  input: string;
  output: string;
  summary: string;
  handler: Handler;
}

export interface ApiDeps {
  auth: AuthService;
  reports: ReportService;
  clock: Clock;
  /** Server-rendered report pages for browsers without JavaScript. */
  pages?: ReportPages;
  /** Per client IP on resident submissions (default: burst 10, then one a minute). */
  residentLimit?: RateLimitOptions;
  /**
   * For the kiosk's own touchscreen (loopback peer): every resident at the kiosk shares that one address,
   * so it gets its own, larger budget (default: burst 30, then one per 5 s).
   */
  kioskLimit?: RateLimitOptions;
  /** Per client IP on login and set-up (default: burst 5, then one per 12 s). */
  loginLimit?: RateLimitOptions;
  /** Coordinator role: sends a command to a point over the coordinator's broker. Absent on a point. */
  pointCommands?: (point: string, cmd: PointCommand) => Promise<void>;
  /** Point role: the board's current content (resident screens read it, staff set it). Absent on a coordinator. */
  boardContent?: { get(): BoardContent | null; set(input: unknown): BoardContent };
  /** Coordinator role: signed board broadcasts to points. Absent on a point. */
  broadcasts?: { send(content: BoardContent, target: BroadcastTarget): Promise<BroadcastRecord>; list(): BroadcastRecord[] };
  /** Feature modules (charging, help, commissioning, coordinator console…) that add their rows to the table. */
  modules?: readonly ApiModule[];
}

/** What a feature module gets to build its routes with the same guards as the core table. */
export interface ApiContext {
  auth: AuthService;
  clock: Clock;
  /** Resident submissions: same-origin check, then the per-IP (or kiosk) rate limit. Throws HttpError. */
  resident(req: IncomingMessage): void;
}

/**
 * A feature's rows of the request table. Built with its service absent (null) for the documentation, so
 * handlers answer 404 ("this gateway does not run …") when the service is missing.
 */
export type ApiModule = (ctx: ApiContext) => ApiRoute[];

const ChargingPolicyInput = z.strictObject({ point: PointIdSchema, policy: z.enum(['budget', 'off']) });
/** Board content as sent by a person: `source` is set by the route, `updatedAt` defaults to now. */
const ContentInput = z.record(z.string(), z.unknown());
const BroadcastInput = z.strictObject({ content: ContentInput, target: BroadcastTargetSchema });

const Username = z.string().trim().min(2).max(40).regex(/^[\p{L}\p{N}._-]+$/u, 'letters, digits, . _ - only');
// Long passphrases welcome; the cap keeps one scrypt bounded.
const Password = z.string().min(12).max(200);
const LoginInput = z.strictObject({ username: Username, password: z.string().min(1).max(200) });
const SetupInput = z.strictObject({ code: z.string().min(1).max(40), username: Username, password: Password });
const UserInput = z.strictObject({ username: Username, password: Password, role: z.enum(ROLES) });

/**
 * The kiosk's browser runs on the gateway itself and connects to localhost (there is no proxy in front that
 * would also arrive from there). Exact addresses: other 127/8 peers are ordinary clients.
 */
export function isLoopback(ip: string): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}

export const json = (data: unknown, extra: Partial<Extract<Reply, { kind: 'json' }>> = {}): Reply => ({ kind: 'json', data, ...extra });

export function createApiRoutes(deps: ApiDeps): ApiRoute[] {
  const { auth, reports, clock } = deps;
  const residentLimiter = new TokenBucketLimiter(deps.residentLimit ?? { capacity: 10, refillMs: 60_000 }, clock);
  const kioskLimiter = new TokenBucketLimiter(deps.kioskLimit ?? { capacity: 30, refillMs: 5_000 }, clock);
  const loginLimiter = new TokenBucketLimiter(deps.loginLimit ?? { capacity: 5, refillMs: 12_000 }, clock);

  const limit = (limiter: TokenBucketLimiter, req: IncomingMessage) => {
    const d = limiter.take(clientIp(req));
    if (!d.ok) throw new HttpError(429, 'too many requests, try again later', { 'Retry-After': String(d.retryAfterS) });
  };
  /** Resident submissions: same-origin, rate-limited, then the body. */
  const resident = (req: IncomingMessage) => {
    checkOrigin(req);
    limit(isLoopback(clientIp(req)) ? kioskLimiter : residentLimiter, req);
  };
  const staffOrTech = ['staff', 'technician'] as const;

  const submit = (kind: ReportKind): Handler => async (req) => {
    resident(req);
    const input = await readJson(req, INPUTS[kind]);
    return json(reports.submit(kind, input as never), { status: 201 });
  };

  const routes: ApiRoute[] = [
    {
      method: 'POST', path: '/api/reports/emergency', access: 'resident',
      input: '`{what: medical|fire|trapped|water|violence|other, where: string 3–200, details?: string ≤500, people: 1–999|null}`',
      output: '201 `Receipt {id, receipt, kind, status: submitted|sent|confirmed, createdAt, sentAt, confirmedAt}`',
      summary: 'Report an emergency when 112 cannot be reached.',
      handler: submit('emergency'),
    },
    {
      method: 'POST', path: '/api/reports/need', access: 'resident',
      input: '`{category: water|food|medicine|power|shelter|transport|care|other, people: 1–999|null, details?: ≤300, where?: ≤200}`',
      output: '201 `Receipt`', summary: 'Report a need by category.', handler: submit('need'),
    },
    {
      method: 'POST', path: '/api/reports/safe', access: 'resident',
      input: '`{name: string 1–80, message?: ≤200, consent: true}`',
      output: '201 `Receipt`', summary: '"I am safe" registration (personal fields purged after the retention).', handler: submit('safe'),
    },
    {
      method: 'GET', path: '/api/reports/receipt', access: 'public',
      input: 'query `r` = receipt', output: '`Receipt`, 404 for an unknown receipt',
      summary: 'Status of one own report (the receipt is the only key).',
      handler: (_req, url) => {
        const r = reports.lookup(url.searchParams.get('r') ?? '');
        if (!r) throw new HttpError(404, 'no report with this receipt');
        return json(r);
      },
    },
    {
      method: 'GET', path: '/api/setup', access: 'public', input: '—', output: '`{needed: boolean}`',
      summary: 'Whether first-run set-up is open (no technician yet).',
      handler: () => json({ needed: auth.setupOpen }),
    },
    {
      method: 'POST', path: '/api/setup', access: 'setup',
      input: '`{code: one-time code from the gateway log, username, password: ≥12}`',
      output: '201 `{user, csrf}` + session cookie; 409 once a technician exists; 403 wrong code',
      summary: 'Creates the first technician. Allowed once, with the set-up code printed at start.',
      handler: async (req) => {
        checkOrigin(req);
        limit(loginLimiter, req);
        const input = await readJson(req, SetupInput);
        const r = await auth.setup(input.code, input.username, input.password);
        return json({ user: r.user, csrf: r.csrf }, { status: 201, headers: r.headers });
      },
    },
    {
      method: 'POST', path: '/api/auth/login', access: 'public',
      input: '`{username, password}`', output: '`{user: {id, username, role}, csrf}` + session cookie; 401 wrong credentials; 429',
      summary: 'Staff/technician login (rate-limited per client).',
      handler: async (req) => {
        checkOrigin(req);
        limit(loginLimiter, req);
        const input = await readJson(req, LoginInput);
        const r = await auth.login(input.username, input.password);
        return json({ user: r.user, csrf: r.csrf }, { headers: r.headers });
      },
    },
    {
      method: 'GET', path: '/api/auth/session', access: 'session', input: '—', output: '`{user, csrf, expiresAt}`; 401 without a session',
      summary: 'The current session (the app reads its CSRF token here after a reload).',
      handler: (req) => {
        const s = auth.session(req);
        if (!s) throw new HttpError(401, 'login required');
        return json({ user: { id: s.user.id, username: s.user.username, role: s.user.role }, csrf: s.csrf, expiresAt: s.expiresAt });
      },
    },
    {
      method: 'POST', path: '/api/auth/logout', access: 'session', input: '— (CSRF header)', output: '`null`, cookie cleared',
      summary: 'Ends the session.',
      handler: (req) => {
        checkOrigin(req);
        auth.require(req, ROLES);
        return json(null, { headers: auth.logout(req) });
      },
    },
    {
      method: 'GET', path: '/api/staff/reports', access: 'staff+technician', input: 'query `limit` 1–500 (default 100)',
      output: '`{reports: [{id, kind, status, summary, personal|null, createdAt, sentAt, confirmedAt, purgedAt}]}`',
      summary: 'Recent resident reports for the staff at the point.',
      handler: (req, url) => {
        auth.require(req, staffOrTech);
        const n = Number(url.searchParams.get('limit') ?? 100);
        if (!Number.isInteger(n) || n < 1 || n > 500) throw new HttpError(400, 'invalid input: limit must be 1–500');
        return json({ reports: reports.recent(n) });
      },
    },
    {
      method: 'GET', path: '/api/users', access: 'technician', input: '—', output: '`{users: [{id, username, role, createdAt, disabled}]}`',
      summary: 'Accounts on this gateway.',
      handler: (req) => {
        auth.require(req, ['technician']);
        return json({ users: auth.store.users().map(({ hash: _h, ...u }) => u) });
      },
    },
    {
      method: 'POST', path: '/api/users', access: 'technician', input: '`{username, password: ≥12, role: staff|technician}` (CSRF header)',
      output: '201 `{id, username, role}`; 409 name taken', summary: 'Adds a staff or technician account.',
      handler: async (req) => {
        checkOrigin(req);
        auth.require(req, ['technician']);
        const input = await readJson(req, UserInput);
        return json(await auth.addUser(input.username, input.password, input.role), { status: 201 });
      },
    },
    {
      method: 'POST', path: '/api/points/charging-policy', access: 'coordinator+technician',
      input: '`{point, policy: budget|off}` (CSRF header)', output: '202 `{id}` once the command is on the broker; 404 on a point',
      summary: 'Coordinator: switches a point\'s phone charging on (budget) or off; the point confirms in its next status.',
      handler: async (req) => {
        if (!deps.pointCommands) throw new HttpError(404, 'this gateway is not a coordinator');
        checkOrigin(req);
        const s = auth.require(req, ['coordinator', 'technician']);
        auth.checkCsrf(req, s);
        const input = await readJson(req, ChargingPolicyInput);
        const id = randomUUID();
        await deps.pointCommands(input.point, { v: 1, id, ts: deps.clock.now(), op: 'charging-policy', policy: input.policy });
        return json({ id }, { status: 202 });
      },
    },
    {
      method: 'POST', path: '/api/broadcasts', access: 'coordinator+technician',
      input: '`{content: board content (as GET /api/board/content; source set here, updatedAt defaults to now), target: "all"|{point}|{points: [point]}}` (CSRF header)',
      output: '202 `{id, at, expiresAt, target, authority, deliveries: [{point, seq, sendError, result: null}]}`; 409 no known points; 404 on a point',
      summary: 'Coordinator: signs board content (Ed25519, one envelope per point) and publishes it to the points; "all" = every point heard from.',
      handler: async (req) => {
        if (!deps.broadcasts) throw new HttpError(404, 'this gateway is not a coordinator');
        checkOrigin(req);
        auth.require(req, ['coordinator', 'technician']);
        const input = await readJson(req, BroadcastInput);
        const content = validate(BoardContentSchema, { updatedAt: new Date(clock.now()).toISOString(), ...input.content, source: 'coordinator' });
        try {
          return json(await deps.broadcasts.send(content, input.target), { status: 202 });
        } catch (err) {
          if (err instanceof BroadcastError) throw new HttpError(409, err.message);
          throw err;
        }
      },
    },
    {
      method: 'GET', path: '/api/broadcasts', access: 'coordinator+technician', input: '—',
      output: '`{broadcasts: [… as POST, result: BoardResult {point, at, issuer, seq, result: accepted|<reject reason>, detail}|null]}`, newest first',
      summary: 'Coordinator: recent broadcasts and what each point answered (accepted, or why it refused).',
      handler: (req) => {
        if (!deps.broadcasts) throw new HttpError(404, 'this gateway is not a coordinator');
        auth.require(req, ['coordinator', 'technician']);
        return json({ broadcasts: deps.broadcasts.list() });
      },
    },
    {
      method: 'GET', path: '/api/board/content', access: 'public', input: '—',
      output: '`{content: {point, authority, source: coordinator|local, updatedAt, languages, text, referrals, services, openingHours, charging?}|null}`; 404 on a coordinator',
      summary: 'The content the point\'s board shows now, for the resident screens.',
      handler: () => {
        if (!deps.boardContent) throw new HttpError(404, 'this gateway has no board');
        return json({ content: deps.boardContent.get() });
      },
    },
    {
      method: 'POST', path: '/api/board/content', access: 'staff+technician',
      input: 'board content as GET returns it (source is set to `local`, updatedAt defaults to now) (CSRF header)',
      output: '`{content}`; 400 names the first bad field',
      summary: 'Staff at the point set the board\'s content themselves (replaced by the next accepted coordinator broadcast).',
      handler: async (req) => {
        if (!deps.boardContent) throw new HttpError(404, 'this gateway has no board');
        checkOrigin(req);
        auth.require(req, staffOrTech);
        const input = await readJson(req, ContentInput);
        const content = validate(BoardContentSchema, { updatedAt: new Date(clock.now()).toISOString(), ...input, source: 'local' });
        try {
          return json({ content: deps.boardContent.set(content) });
        } catch (err) {
          if (err instanceof BoardContentError) throw new HttpError(400, err.message);
          throw err;
        }
      },
    },
  ];

  const ctx: ApiContext = { auth, clock, resident };
  for (const m of deps.modules ?? []) routes.push(...m(ctx));

  const pages = deps.pages;
  if (pages) {
    for (const kind of ['emergency', 'need', 'safe'] as const) {
      routes.push(
        {
          method: 'GET', path: `/report/${kind}`, access: 'public', input: 'query `lang`', output: 'HTML form',
          summary: `No-JavaScript page: ${kind} form.`, handler: (req, url) => pages.form(kind, req, url),
        },
        {
          method: 'POST', path: `/report/${kind}`, access: 'resident', input: 'form fields as the JSON input (`consent=yes`)',
          output: '303 → `/report/receipt?r=…`; 400 HTML form with the error',
          summary: `No-JavaScript page: submits the ${kind} form.`,
          handler: async (req, url) => {
            try {
              resident(req);
            } catch (err) {
              // a browser without JavaScript gets its form back with the message, not a JSON error
              if (err instanceof HttpError && err.status === 429) return { ...pages.refused(kind, req, url, 'rate'), headers: err.headers ?? {} };
              throw err;
            }
            return pages.submit(kind, req, url);
          },
        },
      );
    }
    routes.push({
      method: 'GET', path: '/report/receipt', access: 'public', input: 'query `r`, `lang`', output: 'HTML status of the report',
      summary: 'No-JavaScript page: the status of one own report.', handler: (req, url) => pages.receipt(req, url),
    });
  }
  return routes;
}

export function toRouteTable(routes: readonly ApiRoute[]): RouteTable {
  const table: RouteTable = {};
  for (const r of routes) {
    const key = `${r.method} ${r.path}`;
    if (table[key]) throw new Error(`duplicate route ${key}`);
    table[key] = r.handler;
  }
  return table;
}

const ACCESS_TEXT: Record<Access, string> = {
  public: 'none',
  resident: 'none; same-origin, rate-limited per IP (kiosk screen: own budget)',
  setup: 'one-time set-up code; rate-limited',
  session: 'session cookie',
  staff: 'staff',
  technician: 'technician',
  'staff+technician': 'staff or technician',
  coordinator: 'coordinator',
  'coordinator+technician': 'coordinator or technician',
};

export function renderApiDoc(routes: readonly ApiRoute[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const rows = routes.map((r) => `| ${r.method} | \`${r.path}\` | ${ACCESS_TEXT[r.access]} | ${esc(r.input)} | ${esc(r.output)} | ${esc(r.summary)} |`);
  return `# Gateway HTTP API: resident reports and accounts

Generated from \`edge-gateway/src/api/routes.ts\` (\`renderApiDoc\`); \`test/api/doc.test.ts\` fails when it is out of step.
Regenerate: \`node --import tsx edge-gateway/src/api/write-doc.ts\`.

Every JSON reply is \`{"status":"ok","data":…}\` or \`{"status":"error","error":"…"}\`. JSON bodies need
\`Content-Type: application/json\` (else 415), at most 16 KB (else 413), and are validated (400 names the first
bad field; unknown fields are refused).

## Authentication

- Accounts: roles \`staff\` and \`technician\`, scrypt hashes in SQLite. No default password: while no technician
  exists, the gateway logs a one-time set-up code at start (\`journalctl -u noodsteun | grep setupCode\`);
  \`POST /api/setup\` with it creates the first technician and is refused (409) from then on.
- Sessions: cookie \`ns_session\` (\`HttpOnly; SameSite=Strict; Path=/\`, 12 h), a random id stored hashed.
- CSRF: every state-changing request of a session sends header \`X-Noodsteun-CSRF: <csrf>\` (from login or
  \`GET /api/auth/session\`), else 403. Every POST with an \`Origin\` (or \`Referer\`) of another host is refused (403).
- Without a session: 401; with a role that is not allowed: 403.
- Rate limits (token bucket per client IP): resident submissions burst 10, then 1 a minute (the kiosk's own
  screen, a loopback peer shared by every resident at it: burst 30, then 1 per 5 s); login and set-up burst 5,
  then 1 per 12 s. Refused with 429 and \`Retry-After\`.

## Reports

Status \`submitted\` (stored) → \`sent\` (the relay took it) → \`confirmed\` (the coordination point acknowledged
it; the relay calls \`ReportService.markConfirmed(id)\`). The submitter gets a \`receipt\` token, the only way to
read a report back without a login. Personal fields (where, details, name, message) are removed after the
configured retention; kind, category and people count stay for statistics.

## Request table

| method | path | auth | input | output | what |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`;
}
