// The request-table rows of citizen help and the neighbourhood directory (docs/api.md is rendered from them).
// Residents register and withdraw with their code and see counts only; staff see and move the entries.
import { z } from 'zod';
import type { ApiModule, ApiRoute } from '../api/index.js';
import { json } from '../api/index.js';
import { checkOrigin, readJson, validate } from '../api/http-input.js';
import { HttpError, type Handler } from '../http/server.js';
import type { DirectoryService } from '../directory/service.js';
import { DirectoryError } from '../directory/service.js';
import { PLACE_KINDS, PlaceInput } from '../directory/schemas.js';
import { CodeInput, EscalateInput, HELP_CATEGORIES, HELP_KINDS, HELP_STATES, MatchInput, OfferInput, RequestInput, StatusInput } from './schemas.js';
import { HelpError, type HelpService, type ListStatus } from './service.js';

const STAFF = ['staff', 'technician'] as const;

const ListQuery = z.strictObject({
  kind: z.enum(HELP_KINDS).optional(),
  status: z.enum([...HELP_STATES, 'active', 'all']).default('active'),
  category: z.enum(HELP_CATEGORIES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
const DeleteInput = z.strictObject({ id: z.string().min(1).max(40) });

/** HelpError → the HTTP status the contract names. */
function mapped<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof HelpError) throw new HttpError(err.reason === 'not-found' ? 404 : err.reason === 'unavailable' ? 503 : 409, err.message);
    if (err instanceof DirectoryError) throw new HttpError(err.reason === 'not-found' ? 404 : 409, err.message);
    throw err;
  }
}

const query = (url: URL) => Object.fromEntries(url.searchParams);

export function helpApi(help: HelpService | null, directory: DirectoryService | null = null): ApiModule {
  return (ctx) => {
    const h = (): HelpService => {
      if (!help) throw new HttpError(404, 'this gateway does not run citizen help');
      return help;
    };
    const d = (): DirectoryService => {
      if (!directory) throw new HttpError(404, 'this gateway does not run the neighbourhood directory');
      return directory;
    };
    const staff = (req: Parameters<Handler>[0]) => {
      checkOrigin(req);
      ctx.auth.require(req, STAFF);
    };
    const contact = 'contact: {method: at-point|address, note: ≤120 (required for address)}';
    const offer = `\`{category: water|food|medicine|power|shelter|transport|care|other, what: 3–200, transport?: boolean, when?: ≤120, where?: ≤200, ${contact}}\``;
    const request = `\`{category, what: 3–200, where?: ≤200, urgency: low|normal|high|urgent, people: 1–999|null, ${contact}}\``;
    const registered = '201 `{id, code (6 characters, shown once), kind, category, status: open, createdAt, expiresAt}`';
    const entry = '`HelpEntry {id, kind, category, status, origin, transport, urgency, people, personal: {what, where, when, contact}|null, matchedWith, escalation: {reportId, at}|null, createdAt, updatedAt, expiresAt, purgedAt}`';

    const rows: ApiRoute[] = [
      {
        method: 'GET', path: '/api/help/summary', access: 'public', input: '—',
        output: '`{at, categories: [{category, requests: Counts, offers: Counts}], totals: {requests, offers}, mostNeeded: [{category, score, openRequests, people}] ≤3, retention: {entryHours, personalDays}}`, `Counts {open, matched, inProgress, done}`',
        summary: 'Citizen help in aggregate: counts per category and what is most needed now (no personal data).',
        handler: () => json(h().summary()),
      },
      {
        method: 'POST', path: '/api/help/offers', access: 'resident', input: offer, output: registered,
        summary: 'A resident offers help (skills, equipment, transport, time, place).',
        handler: async (req) => {
          const svc = h();
          ctx.resident(req);
          return json(svc.registerOffer(await readJson(req, OfferInput), 'resident'), { status: 201 });
        },
      },
      {
        method: 'POST', path: '/api/help/requests', access: 'resident', input: request, output: registered,
        summary: 'A resident asks for help (what, where, urgency, people affected).',
        handler: async (req) => {
          const svc = h();
          ctx.resident(req);
          return json(svc.registerRequest(await readJson(req, RequestInput), 'resident'), { status: 201 });
        },
      },
      {
        method: 'POST', path: '/api/help/lookup', access: 'resident', input: '`{code: 1–12}` (case and dashes ignored)',
        output: '`{id, kind, category, status, createdAt, expiresAt}`; 404 no entry with this code',
        summary: 'A resident checks their own entry with the code.',
        handler: async (req) => {
          const svc = h();
          ctx.resident(req);
          const r = svc.lookup((await readJson(req, CodeInput)).code);
          if (!r) throw new HttpError(404, 'no entry with this code');
          return json(r);
        },
      },
      {
        method: 'POST', path: '/api/help/withdraw', access: 'resident', input: '`{code: 1–12}`',
        output: '`{id, kind, category, status: withdrawn, createdAt, expiresAt}`; 404 no open entry with this code',
        summary: 'A resident withdraws their own offer or request with the code (a matched partner goes back to open).',
        handler: async (req) => {
          const svc = h();
          ctx.resident(req);
          const { code } = await readJson(req, CodeInput);
          return json(mapped(() => svc.withdrawWithCode(code)));
        },
      },
      {
        method: 'GET', path: '/api/staff/help', access: 'staff+technician',
        input: 'query `kind` offer|request, `status` a state|active (default)|all, `category`, `limit` 1–500 (default 200)',
        output: `\`{entries: [HelpEntry]}\` newest first; ${entry}`,
        summary: 'Offers and requests with their details, for the staff.',
        handler: (req, url) => {
          const svc = h();
          ctx.auth.require(req, STAFF);
          const q = validate(ListQuery, query(url));
          return json({ entries: svc.list({ ...(q.kind ? { kind: q.kind } : {}), ...(q.category ? { category: q.category } : {}), status: q.status as ListStatus, limit: q.limit }) });
        },
      },
      {
        method: 'POST', path: '/api/staff/help/offers', access: 'staff+technician', input: `${offer} (CSRF header)`, output: `${registered}; origin staff`,
        summary: 'Staff register an offer for a resident (hand them the code).',
        handler: async (req) => {
          const svc = h();
          staff(req);
          return json(svc.registerOffer(await readJson(req, OfferInput), 'staff'), { status: 201 });
        },
      },
      {
        method: 'POST', path: '/api/staff/help/requests', access: 'staff+technician', input: `${request} (CSRF header)`, output: `${registered}; origin staff`,
        summary: 'Staff register a request for a resident.',
        handler: async (req) => {
          const svc = h();
          staff(req);
          return json(svc.registerRequest(await readJson(req, RequestInput), 'staff'), { status: 201 });
        },
      },
      {
        method: 'POST', path: '/api/staff/help/match', access: 'staff+technician', input: '`{offer: id, request: id}` (CSRF header)',
        output: '`{offer: HelpEntry, request: HelpEntry}` both matched; 409 unless both are open and of the right kind',
        summary: 'Staff match an open offer to an open request.',
        handler: async (req) => {
          const svc = h();
          staff(req);
          const i = await readJson(req, MatchInput);
          return json(mapped(() => svc.match(i.offer, i.request)));
        },
      },
      {
        method: 'POST', path: '/api/staff/help/status', access: 'staff+technician', input: '`{id, status: in-progress|done|open|withdrawn}` (CSRF header)',
        output: '`{entries: [HelpEntry]}` (the entry and its matched partner); 409 transition not allowed',
        summary: 'Staff move an entry (and its partner) on: in progress, done, back to open (unmatch), withdrawn.',
        handler: async (req) => {
          const svc = h();
          staff(req);
          const i = await readJson(req, StatusInput);
          return json({ entries: mapped(() => svc.setStatus(i.id, i.status)) });
        },
      },
      {
        method: 'POST', path: '/api/staff/help/escalate', access: 'staff+technician', input: '`{id: request id, note?: ≤300}` (CSRF header)',
        output: '201 `{entry: HelpEntry, report: Receipt}`; 409 not an open/matched request or already escalated',
        summary: 'Staff pass a request the point cannot serve to the coordinator as a needs report (relayed).',
        handler: async (req) => {
          const svc = h();
          staff(req);
          const i = await readJson(req, EscalateInput);
          return json(mapped(() => svc.escalate(i.id, i.note)), { status: 201 });
        },
      },
      {
        method: 'GET', path: '/api/staff/help/export', access: 'staff+technician', input: '—',
        output: '`{filename, csv}`; CSV columns day,kind,category,registered,matched,done,withdrawn,expired,escalated,people (counts only)',
        summary: 'Evidence for the pilot evaluation: citizen help per day and category, counts only.',
        handler: (req) => {
          const svc = h();
          ctx.auth.require(req, STAFF);
          return json(svc.evidence());
        },
      },
      {
        method: 'GET', path: '/api/directory', access: 'public', input: `query \`kind\` ${PLACE_KINDS.join('|')} (optional)`,
        output: '`{origin: {lat, lon}|null, updatedAt, places: [Place & {distanceM, walkMinutes}]}` nearest first; `Place {id, kind, name, address, lat, lon, services, status: open|limited|closed|unknown, hours, note, source: local|coordinator, seenAt, updatedAt}`',
        summary: 'Nearby places (other points, shelters, water, first aid…) with status and walking distance from this point.',
        handler: (_req, url) => {
          const svc = d();
          const kind = url.searchParams.get('kind');
          const k = kind === null ? undefined : validate(z.enum(PLACE_KINDS), kind);
          return json(svc.view(k));
        },
      },
      {
        method: 'GET', path: '/api/directory/map', access: 'public', input: '—',
        output: '`{svg}`: a schematic map (no tiles): this point in the centre, numbered markers in `/api/directory` order, 1 km scale, north arrow',
        summary: 'An offline map of the directory, drawn from coordinates alone.',
        handler: () => json({ svg: d().mapSvg() }),
      },
      {
        method: 'POST', path: '/api/staff/directory', access: 'staff+technician',
        input: '`{id?: a-z0-9- ≤40, kind, name: 1–80, address?: ≤120, lat, lon, services?: [service] ≤12, status?: open|limited|closed|unknown, hours?: ≤80, note?: ≤200}` (CSRF header)',
        output: '201 new / 200 changed `Place`; 409 a place from the coordinator',
        summary: 'Staff add or change a local place in the directory.',
        handler: async (req) => {
          const svc = d();
          staff(req);
          const input = await readJson(req, PlaceInput);
          const { place, created } = mapped(() => svc.upsertLocal(input));
          return json(place, { status: created ? 201 : 200 });
        },
      },
      {
        method: 'POST', path: '/api/staff/directory/delete', access: 'staff+technician', input: '`{id}` (CSRF header)',
        output: '`null`; 404 unknown; 409 a place from the coordinator',
        summary: 'Staff remove a local place.',
        handler: async (req) => {
          const svc = d();
          staff(req);
          const { id } = await readJson(req, DeleteInput);
          mapped(() => svc.removeLocal(id));
          return json(null);
        },
      },
    ];
    return rows;
  };
}
