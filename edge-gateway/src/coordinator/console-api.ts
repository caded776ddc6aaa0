// The coordinator console's rows of the request table (contract: /work/team/coordinator-api.md):
// points with forecasts and urgency, per-point chart series, alerts, the inbox of relayed reports,
// broadcast templates, CAP import, frame previews and the pilot-evidence export.
import type { IncomingMessage } from 'node:http';
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import type { ApiModule, ApiRoute } from '../api/index.js';
import { json } from '../api/index.js';
import { checkOrigin, readBody, readJson, validate } from '../api/http-input.js';
import { BoardContentSchema } from '../board/content.js';
import { HttpError } from '../http/server.js';
import { PointIdSchema } from '../protocol/index.js';
import { CapImportError, CapParseError, capToDraft, parseCap } from './cap/index.js';
import { INBOX_KINDS } from './console-store.js';
import { EVIDENCE_COLUMNS, evidenceRows, toCsv } from './evidence.js';
import { checkTimeZone, localDateStart } from './time-zone.js';
import { ConsoleError, type CoordinatorMonitor } from './monitor.js';
import { PreviewError, type BoardPreviewer } from './preview.js';
import { BROADCAST_TEMPLATES } from './templates.js';

export interface CoordinatorConsole {
  monitor: CoordinatorMonitor;
  db: Database;
  previewer: BoardPreviewer;
  /** Default point name in CAP drafts. */
  name: string;
  /** An inbox mark changed (the gateway pushes `inbox` live). */
  inboxChanged?(): void;
}

const ROLES = ['coordinator', 'technician'] as const;
const MAX_CAP_BYTES = 256 * 1024;
const DAY_MS = 86_400_000;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** The zone evidence periods follow unless the query names another: the pilot runs in the Netherlands. */
export const EVIDENCE_TIME_ZONE = 'Europe/Amsterdam';
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
/** ms since the epoch, an ISO date/time, or a calendar date (local midnight in the query's zone). */
const When = z.string().max(40).refine((s) => /^\d{1,15}$/.test(s) || Number.isFinite(Date.parse(s)), 'expected ms since the epoch, an ISO date/time or YYYY-MM-DD');
const instant = (s: string, tz: string) => (/^\d{1,15}$/.test(s) ? Number(s) : DATE_RE.test(s) ? localDateStart(s, tz) : Date.parse(s));

const DetailQuery = z.strictObject({ point: PointIdSchema, hours: int(1, 2160).default(24), maxPoints: int(50, 2000).default(600) });
const AlertsQuery = z.strictObject({ state: z.enum(['open', 'all']).default('open'), point: PointIdSchema.optional(), limit: int(1, 1000).default(200) });
const AckInput = z.strictObject({ id: z.number().int().min(1) });
const ResolveInput = z.strictObject({ id: z.number().int().min(1), note: z.string().trim().max(200).optional() });
const InboxQuery = z.strictObject({
  state: z.enum(['all', 'unhandled']).default('all'),
  kind: z.enum(INBOX_KINDS as ['emergency', 'needs', 'safe']).optional(),
  point: PointIdSchema.optional(),
  limit: int(1, 500).default(200),
});
const InboxMarkInput = z.strictObject({ point: PointIdSchema, seq: z.number().int().min(0) });
const InboxHandledInput = InboxMarkInput.extend({ handled: z.boolean().default(true) });
const CapQuery = z.strictObject({ name: z.string().trim().min(1).max(80).optional() });
const CapXml = z.string().trim().min(1, 'empty body').max(MAX_CAP_BYTES);
const PreviewInput = z.strictObject({
  content: z.record(z.string(), z.unknown()),
  panels: z.array(z.string().min(1).max(64)).min(1).max(8).optional(),
  page: z.number().int().min(0).max(20).default(0),
});
const EvidenceQuery = z
  .strictObject({
    from: When.optional(),
    to: When.optional(),
    period: z.enum(['hour', 'day']).default('hour'),
    point: PointIdSchema.optional(),
    tz: z.string().max(64).default(EVIDENCE_TIME_ZONE).refine((tz) => {
      try {
        return checkTimeZone(tz) === tz;
      } catch {
        return false;
      }
    }, 'unknown time zone (IANA name, e.g. Europe/Amsterdam or UTC)'),
  })
  .transform((q) => ({ ...q, from: q.from === undefined ? undefined : instant(q.from, q.tz), to: q.to === undefined ? undefined : instant(q.to, q.tz) }))
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'from must be before to', path: ['from'] })
  .refine((q) => q.from === undefined || q.to === undefined || q.to - q.from <= 400 * DAY_MS, { message: 'at most 400 days', path: ['to'] });

const query = <S extends z.ZodType>(schema: S, url: URL): z.infer<S> => validate(schema, Object.fromEntries(url.searchParams));

const XML_TYPES = new Set(['application/xml', 'text/xml', 'application/cap+xml']);

const stamp = (t: number) => new Date(t).toISOString().slice(0, 16).replace(/[-:]/g, '');

/** `svc` null (a point, or the documentation): every handler answers 404. */
export function coordinatorConsoleApi(svc: CoordinatorConsole | null): ApiModule {
  return (ctx) => {
    const need = (): CoordinatorConsole => {
      if (!svc) throw new HttpError(404, 'this gateway does not run the coordinator console');
      return svc;
    };
    /** The signed-in coordinator or technician (CSRF checked on POST). */
    const user = (req: IncomingMessage): string => {
      if (req.method !== 'GET') checkOrigin(req);
      return ctx.auth.require(req, ROLES).user.username;
    };
    const consoleError = (err: unknown): never => {
      if (err instanceof ConsoleError) throw new HttpError(err.status, err.message);
      throw err;
    };

    const routes: ApiRoute[] = [
      {
        method: 'GET', path: '/api/points', access: 'coordinator+technician', input: '—',
        output: '`{points: [{point, name, online, linkState, link: mqtt|lora, receivedAt, lastHeardAt, status: PointStatus|null, lora: LoraStatus|null, help: {counts: PointStatus.help, at, via: mqtt|lora, cut}|null, forecast: {kind, unit: l|pct, hoursToEmpty, hoursLow, hoursHigh, ratePerHour, level, confidence, reason, refuelAt, at}|null, alerts: {open, critical, unacknowledged}, urgency}]}`, most urgent first; also pushed live as `points`',
        summary: 'Coordinator: every point at a glance with its fuel forecast, open alerts and an urgency score.',
        handler: (req) => {
          const svc = need();
          ctx.auth.require(req, ROLES);
          return json({ points: svc.monitor.overview() });
        },
      },
      {
        method: 'GET', path: '/api/points/detail', access: 'coordinator+technician',
        input: 'query `point`, `hours` 1–2160 (default 24), `maxPoints` 50–2000 (default 600)',
        output: '`{point: (as /api/points), from, to, resolution: raw|15m, series: {t: ms[], fuelPct, fuelL, batterySoc, batteryV, batteryA, visitorsInside, chargingW: (number|null)[]}, battery: {kind, socPerHour, hoursToFloor}, charging: chargingStats|null, alerts: Alert[], inbox: counts}`; 404 unknown point',
        summary: 'Coordinator: one point with columnar chart series (uPlot), battery trend, its alerts and reports.',
        handler: (req, url) => {
          const s = need();
          user(req);
          const q = query(DetailQuery, url);
          try {
            return json(s.monitor.detail(q.point, q.hours, q.maxPoints));
          } catch (err) {
            return consoleError(err);
          }
        },
      },
      {
        method: 'GET', path: '/api/alerts', access: 'coordinator+technician',
        input: 'query `state` open (default)|all, `point`, `limit` 1–1000 (default 200)',
        output: '`{alerts: [{id, point, pointName, rule, severity: critical|warning, state: open|acknowledged|resolved, conditionActive, value, raisedAt, acknowledgedAt, acknowledgedBy, resolvedAt, resolvedBy, resolution: auto|manual|null, note}]}`, unresolved and critical first, newest first; changes pushed live as `alerts`',
        summary: 'Coordinator: alerts (low fuel, low battery, generator stopped, sensor fault, point silent, charging fault).',
        handler: (req, url) => {
          const s = need();
          user(req);
          const q = query(AlertsQuery, url);
          return json({ alerts: s.monitor.listAlerts({ state: q.state, limit: q.limit, ...(q.point ? { point: q.point } : {}) }) });
        },
      },
      {
        method: 'POST', path: '/api/alerts/ack', access: 'coordinator+technician', input: '`{id}` (CSRF header)',
        output: '`{alert}`; 404 unknown; 409 already resolved', summary: 'Coordinator: acknowledges an alert (who and when are kept).',
        handler: async (req) => {
          const s = need();
          const by = user(req);
          const input = await readJson(req, AckInput);
          try {
            return json({ alert: s.monitor.acknowledge(input.id, by) });
          } catch (err) {
            return consoleError(err);
          }
        },
      },
      {
        method: 'POST', path: '/api/alerts/resolve', access: 'coordinator+technician', input: '`{id, note?: ≤200}` (CSRF header)',
        output: '`{alert}`; 404 unknown; 409 already resolved',
        summary: 'Coordinator: resolves an alert by hand (alerts also resolve themselves when the condition clears).',
        handler: async (req) => {
          const s = need();
          const by = user(req);
          const input = await readJson(req, ResolveInput);
          try {
            return json({ alert: s.monitor.resolve(input.id, by, input.note ?? null) });
          } catch (err) {
            return consoleError(err);
          }
        },
      },
      {
        method: 'GET', path: '/api/inbox', access: 'coordinator+technician',
        input: 'query `state` all (default)|unhandled, `kind` emergency|needs|safe, `point`, `limit` 1–500 (default 200)',
        output: '`{messages: [{id, point, pointName, seq, kind, body, created, received, path, delivered, readAt, readBy, handledAt, handledBy}], counts: {emergency|needs|safe: {total, unread, unhandled}}}`: emergencies, then needs, then safe; unhandled first, newest first',
        summary: 'Coordinator: reports relayed by the points (delivery is acknowledged to the point on arrival).',
        handler: (req, url) => {
          const s = need();
          user(req);
          const q = query(InboxQuery, url);
          const name = (p: string) => s.monitor.pointName(p);
          const messages = s.monitor.inbox.list({ unhandled: q.state === 'unhandled', limit: q.limit, ...(q.kind ? { kind: q.kind } : {}), ...(q.point ? { point: q.point } : {}) }, name);
          return json({ messages, counts: s.monitor.inbox.counts() });
        },
      },
      {
        method: 'POST', path: '/api/inbox/read', access: 'coordinator+technician', input: '`{point, seq}` (CSRF header)',
        output: '`{message}`; 404 unknown', summary: 'Coordinator: marks a relayed report as read.',
        handler: async (req) => {
          const s = need();
          const by = user(req);
          const input = await readJson(req, InboxMarkInput);
          const name = (p: string) => s.monitor.pointName(p);
          if (!s.monitor.inbox.get(input.point, input.seq, name)) throw new HttpError(404, `no report ${input.point}:${input.seq}`);
          s.monitor.inbox.markRead(input.point, input.seq, by, ctx.clock.now());
          s.inboxChanged?.();
          return json({ message: s.monitor.inbox.get(input.point, input.seq, name) });
        },
      },
      {
        method: 'POST', path: '/api/inbox/handled', access: 'coordinator+technician', input: '`{point, seq, handled?: boolean (default true)}` (CSRF header)',
        output: '`{message}`; 404 unknown', summary: 'Coordinator: marks a relayed report as handled (also read), or reopens it.',
        handler: async (req) => {
          const s = need();
          const by = user(req);
          const input = await readJson(req, InboxHandledInput);
          const name = (p: string) => s.monitor.pointName(p);
          if (!s.monitor.inbox.get(input.point, input.seq, name)) throw new HttpError(404, `no report ${input.point}:${input.seq}`);
          s.monitor.inbox.markHandled(input.point, input.seq, by, ctx.clock.now(), input.handled);
          s.inboxChanged?.();
          return json({ message: s.monitor.inbox.get(input.point, input.seq, name) });
        },
      },
      {
        method: 'GET', path: '/api/broadcasts/templates', access: 'coordinator+technician', input: '—',
        output: '`{templates: [{id, title: {nl, en}, content: board content, placeholders: ["[…]"]}]}`',
        summary: 'Coordinator: broadcast templates in Dutch and English (power outage update, water distribution, shelter open, all clear).',
        handler: (req) => {
          need();
          user(req);
          return json({ templates: BROADCAST_TEMPLATES.map((t) => ({ ...t, content: { ...t.content, updatedAt: new Date(ctx.clock.now()).toISOString() } })) });
        },
      },
      {
        method: 'POST', path: '/api/broadcasts/cap', access: 'coordinator+technician',
        input: 'body: CAP 1.2 XML (`Content-Type: application/xml`, `text/xml` or `application/cap+xml`, ≤256 KB); query `name` (point name in the draft) (CSRF header)',
        output: '`{draft: {kind: draft, content, replaces, from, expiresAt, warnings} | {kind: cancel, references, warnings}}`; 400 not a usable CAP 1.2 alert',
        summary: 'Coordinator: imports an OASIS CAP 1.2 alert as a board-content draft to review, edit and send.',
        handler: async (req, url) => {
          const s = need();
          user(req);
          const q = query(CapQuery, url);
          const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
          if (!XML_TYPES.has(type)) throw new HttpError(415, 'expected Content-Type: application/xml');
          const xml = validate(CapXml, await readBody(req, MAX_CAP_BYTES));
          try {
            return json({ draft: capToDraft(parseCap(xml), { pointName: q.name ?? s.name, now: ctx.clock.now() }) });
          } catch (err) {
            if (err instanceof CapParseError || err instanceof CapImportError) throw new HttpError(400, err.message);
            throw err;
          }
        },
      },
      {
        method: 'GET', path: '/api/broadcasts/panels', access: 'coordinator+technician', input: '—',
        output: '`{panels: [{id, name, width, height}]}`', summary: 'Coordinator: the e-ink panels a preview can be rendered for.',
        handler: (req) => {
          const s = need();
          user(req);
          return json({ panels: s.previewer.panels() });
        },
      },
      {
        method: 'POST', path: '/api/broadcasts/preview', access: 'coordinator+technician',
        input: '`{content: board content (as POST /api/broadcasts), panels?: [panel id] (default all), page?: 0–20}` (CSRF header)',
        output: '`{previews: [{panel, name, width, height, pages, page, png: "data:image/png;base64,…"}]}`; 400 invalid content or unknown panel',
        summary: 'Coordinator: the e-ink frame the content gives on each panel, before it is signed and sent.',
        handler: async (req) => {
          const s = need();
          user(req);
          const input = await readJson(req, PreviewInput);
          const content = validate(BoardContentSchema, { updatedAt: new Date(ctx.clock.now()).toISOString(), ...input.content, source: 'coordinator' });
          try {
            return json({ previews: await s.previewer.render(content, input.panels, input.page) });
          } catch (err) {
            if (err instanceof PreviewError) throw new HttpError(400, err.message);
            throw err;
          }
        },
      },
      {
        method: 'GET', path: '/api/evidence', access: 'coordinator+technician',
        input: `query \`from\`, \`to\` (ms, ISO date/time, or YYYY-MM-DD = local midnight; default the last 7 days up to now), \`period\` hour (default)|day, \`tz\` IANA zone of the periods (default ${EVIDENCE_TIME_ZONE}), \`point\``,
        output: `\`{filename, columns, rows, csv}\`; columns: ${EVIDENCE_COLUMNS.slice(0, 14).join(', ')}, needs_<category>… (counts only, no personal data)`,
        summary: 'Coordinator: pilot evidence per point and hour/day (visitors, charging, fuel, uptime, relayed reports, needs by category) as CSV.',
        handler: (req, url) => {
          const s = need();
          user(req);
          const q = query(EvidenceQuery, url);
          s.monitor.flush();
          // Default: up to and including now.
          const to = q.to ?? ctx.clock.now() + 1;
          const from = q.from ?? to - 7 * DAY_MS;
          if (from >= to) throw new HttpError(400, 'invalid input: from must be before to');
          const rows = evidenceRows(s.db, { from, to, period: q.period, timeZone: q.tz, ...(q.point ? { point: q.point } : {}) });
          return json({ filename: `noodsteun-evidence-${stamp(from)}-${stamp(to)}-${q.period}.csv`, columns: EVIDENCE_COLUMNS, rows, csv: toCsv(EVIDENCE_COLUMNS, rows) });
        },
      },
    ];
    return routes;
  };
}
