// Phone charging for browsers without JavaScript: the same ChargingScreen the app shows, rendered here, with
// plain forms — take a number (POST → 303 to the ticket page), see the ticket (the page refreshes itself),
// give the number back. The ticket's token travels in the address (`?t=`), the only key to it.
import type { IncomingMessage } from 'node:http';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { ChargingScreen, CHARGING_PATH, type ChargingError, type ChargingView } from '../../../kiosk-ui/src/resident/ChargingScreen.js';
import { translator } from '../../../kiosk-ui/src/lib/i18n/table.js';
import { chargingStrings } from '../../../kiosk-ui/src/lib/i18n/tables/charging.js';
import type { ApiModule, ApiRoute } from '../api/index.js';
import { clientIp, readForm } from '../api/http-input.js';
import { isLoopback } from '../api/routes.js';
import { REFUSAL_STATUS, TOKEN_RE, holderFor, type ChargingService } from '../charging/index.js';
import { HttpError, escapeHtml, type Reply } from './server.js';
import { createPageShell, pageRequest } from './resident-page.js';

function langParam(url: URL): string {
  const l = url.searchParams.get('lang');
  return l && /^[a-z]{2}$/.test(l) ? `&lang=${l}` : '';
}

function redirect(location: string): Reply {
  return { kind: 'html', status: 303, headers: { Location: location }, body: `<a href="${escapeHtml(location)}">${escapeHtml(location)}</a>` };
}

/** The charging screens' no-JS routes; `svc` null (documentation, or charging not run here) answers 404. */
export function chargingPagesApi(svc: ChargingService | null, opts: { uiDir?: string | undefined } = {}): ApiModule {
  return (ctx) => {
    const shell = createPageShell(opts.uiDir);
    const need = (): ChargingService => {
      if (!svc) throw new HttpError(404, 'this gateway does not run phone charging');
      return svc;
    };
    const page = (req: IncomingMessage, url: URL, view: ChargingView, status = 200): Reply => ({
      kind: 'html',
      status,
      body: shell(pageRequest(req, url), (i18n) => ({
        title: translator(chargingStrings, i18n)('title'),
        body: renderToString(h(ChargingScreen, { i18n, view, kiosk: false, now: ctx.clock.now() })),
        // a ticket changes by itself (queue moves, port offered): without JavaScript the page reloads
        ...(view.phase === 'ticket' ? { head: '<noscript><meta http-equiv="refresh" content="15"></noscript>', refreshS: 15 } : {}),
      })),
    });
    const start = (req: IncomingMessage, url: URL, error: ChargingError | null, status = 200) => {
      const b = need().board();
      return page(req, url, { phase: 'start', board: b, busy: false, error }, status);
    };

    const routes: ApiRoute[] = [
      {
        method: 'GET', path: CHARGING_PATH, access: 'public', input: 'query `t` = ticket token (optional), `cancel=1`, `new=1`, `lang`',
        output: 'HTML: take-a-number page, or the ticket (number, place in the queue, port, minutes left)',
        summary: 'Charging screen without JavaScript (the app serves the same page with JavaScript).',
        handler: (req, url) => {
          const s = need();
          const t = url.searchParams.get('t');
          if (!t || url.searchParams.get('new') === '1') return start(req, url, null);
          const st = TOKEN_RE.test(t) ? s.ticketStatus(t) : null;
          const now = ctx.clock.now();
          return page(req, url, { phase: 'ticket', number: st?.number ?? 0, token: t, status: st ?? 'unknown', at: now, confirm: url.searchParams.get('cancel') === '1', busy: false, error: null }, st ? 200 : 404);
        },
      },
      {
        method: 'POST', path: `${CHARGING_PATH}/number`, access: 'resident', input: 'empty form',
        output: '303 → `/charging?t=<token>`; 503/429 HTML page with the reason (no power, off, queue full, limit)',
        summary: 'No-JavaScript page: takes a charging number (same per-holder cookie as POST /api/charging/number).',
        handler: (req, url) => {
          const s = need();
          ctx.resident(req);
          // the kiosk's own screen is shared by everyone: no holder; a phone is one holder by its cookie
          const { holder, headers } = isLoopback(clientIp(req)) ? { holder: undefined, headers: undefined } : holderFor(req);
          const r = s.takeNumber(holder ? { holder } : {});
          if (!r.ok) return { ...start(req, url, r.reason, REFUSAL_STATUS[r.reason]), ...(headers ? { headers } : {}) };
          const to = redirect(`${CHARGING_PATH}?t=${encodeURIComponent(r.token)}${langParam(url)}`);
          return headers ? { ...to, headers: { ...(to.kind === 'html' ? to.headers : {}), ...headers } } : to;
        },
      },
      {
        method: 'POST', path: `${CHARGING_PATH}/cancel`, access: 'resident', input: 'form `t` = ticket token',
        output: '303 → `/charging?t=<token>` (the ticket now says cancelled, or as it stands if it could not be)',
        summary: 'No-JavaScript page: gives a charging number back.',
        handler: async (req, url) => {
          const s = need();
          ctx.resident(req);
          const t = (await readForm(req)).t ?? '';
          if (!TOKEN_RE.test(t)) throw new HttpError(400, 'token missing or malformed');
          s.cancel(t);
          return redirect(`${CHARGING_PATH}?t=${encodeURIComponent(t)}${langParam(url)}`);
        },
      },
    ];
    return routes;
  };
}
