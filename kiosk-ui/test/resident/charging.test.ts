// Charging for residents: the client's reading of the gateway's answers, the ticket kept in the browser,
// and what the screen says in each state of a number (rendered as the gateway renders it without JS).
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import {
  ChargingRefused,
  createChargingApi,
  isFinal,
  loadTicket,
  minutesLeft,
  portLabel,
  saveTicket,
  type TicketStatus,
} from '../../src/lib/api/charging.js';
import { ChargingScreen, type ChargingView } from '../../src/resident/ChargingScreen.js';
import { initialTicket } from '../../src/resident/ChargingApp.js';
import { createI18n } from '../../src/lib/i18n/i18n.js';
import type { Lang } from '../../src/lib/i18n/strings.js';

function answer(status: number, body: unknown) {
  return async () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
}

describe('charging client', () => {
  it('takes a number (kiosk numbers with ?kiosk=1) and reads the ticket', async () => {
    const urls: string[] = [];
    const api = createChargingApi({
      fetch: async (url, init) => {
        urls.push(`${init?.method} ${url}`);
        if (url.startsWith('/api/charging/number')) return answer(201, { status: 'ok', data: { ok: true, number: 7, token: 'abcDEF123_-x', position: 2 } })();
        return answer(200, { status: 'ok', data: { number: 7, state: 'offered', ahead: null, port: 2, msLeft: 540_000, paused: false, wh: 0, end: null } })();
      },
    });
    expect(await api.take({ kiosk: true })).toEqual({ ok: true, number: 7, token: 'abcDEF123_-x', position: 2 });
    await api.take({ kiosk: false });
    expect((await api.ticket('abcDEF123_-x'))?.port).toBe(2);
    expect(urls).toEqual(['POST /api/charging/number?kiosk=1', 'POST /api/charging/number', 'GET /api/charging/ticket?token=abcDEF123_-x']);
  });

  it('turns refusals into ChargingRefused with the reason, an unknown ticket into null', async () => {
    for (const [status, reason] of [[503, 'no-power'], [503, 'off'], [503, 'queue-full'], [429, 'limit']] as const) {
      const api = createChargingApi({ fetch: answer(status, { status: 'error', error: reason }) });
      const err = await api.take({ kiosk: false }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChargingRefused);
      expect((err as ChargingRefused).reason).toBe(reason);
    }
    expect(await createChargingApi({ fetch: answer(404, { status: 'error', error: 'unknown number' }) }).ticket('abcd')).toBeNull();
    expect(await createChargingApi({ fetch: answer(409, { status: 'error', error: 'number not waiting' }) }).cancel('abcd')).toBe(false);
    await expect(createChargingApi({ fetch: () => Promise.reject(new Error('wifi gone')) }).board()).rejects.toMatchObject({ httpStatus: 0 });
  });

  it('keeps the ticket in storage, ignores junk, and survives storage that throws', () => {
    const s = new MemoryStorage();
    expect(loadTicket(s)).toBeNull();
    saveTicket(s, { number: 4, token: 'tok_1234', takenAt: 5 });
    expect(loadTicket(s)).toEqual({ number: 4, token: 'tok_1234', takenAt: 5 });
    s.setItem('noodsteun.chargingTicket', '{"number":4,"token":"<script>","takenAt":1}');
    expect(loadTicket(s)).toBeNull();
    s.setItem('noodsteun.chargingTicket', 'not json');
    expect(loadTicket(s)).toBeNull();
    saveTicket(s, null);
    expect(s.items.size).toBe(0);
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); }, removeItem: () => undefined };
    expect(loadTicket(broken)).toBeNull();
    expect(() => saveTicket(broken, { number: 1, token: 'tok_1234', takenAt: 1 })).not.toThrow();
  });

  it('adopts a ticket from the address, starts over on ?new=1, else keeps the stored one', () => {
    const stored = { number: 3, token: 'stored_tok', takenAt: 1 };
    expect(initialTicket('?t=other_tok&lang=nl', stored, 9)).toEqual({ number: 0, token: 'other_tok', takenAt: 9 });
    expect(initialTicket('?t=stored_tok', stored, 9)).toBe(stored);
    expect(initialTicket('?new=1', stored, 9)).toBe('new');
    expect(initialTicket('?t=<bad>', stored, 9)).toBe(stored);
    expect(initialTicket('', null, 9)).toBeNull();
  });

  it('counts minutes up, numbers ports from 1, and knows when a ticket is over', () => {
    expect(minutesLeft(1)).toBe(1);
    expect(minutesLeft(600_000)).toBe(10);
    expect(minutesLeft(-5)).toBe(0);
    expect(minutesLeft(null)).toBeNull();
    expect(portLabel(2)).toBe(3);
    expect(isFinal({ state: 'ended', msLeft: 60_000 })).toBe(false);
    expect(isFinal({ state: 'ended', msLeft: 0 })).toBe(true);
    expect(isFinal({ state: 'missed', msLeft: null })).toBe(true);
    expect(isFinal({ state: 'waiting', msLeft: null })).toBe(false);
  });
});

const NOW = 1_800_000_000_000;
const ticket = (s: Partial<TicketStatus>): TicketStatus => ({ number: 12, state: 'waiting', ahead: 3, port: null, msLeft: null, paused: false, wh: 0, end: null, ...s });

function screen(view: ChargingView, lang: Lang = 'nl', opts: { kiosk?: boolean; now?: number } = {}): string {
  return renderToString(h(ChargingScreen, { i18n: createI18n(lang), view, kiosk: opts.kiosk ?? false, now: opts.now ?? NOW }));
}
const ticketView = (status: TicketStatus | null | 'unknown', extra: Partial<Extract<ChargingView, { phase: 'ticket' }>> = {}): ChargingView => ({
  phase: 'ticket', number: 12, token: 'tok_abcd', status, at: NOW, confirm: false, busy: false, error: null, ...extra,
});
const text = (html: string, cls: string) => (new RegExp(`class="${cls}"[^>]*>(.*?)</p>`).exec(html)?.[1] ?? '').replace(/<[^>]+>/g, '');

describe('ChargingScreen', () => {
  it('offers a number as a plain form post (works without JavaScript), with free ports and the queue', () => {
    const html = screen({ phase: 'start', board: { enabled: true, chargerOnline: true, freePorts: 2, queueLength: 5, nowServing: [8, 9] }, busy: false, error: null });
    expect(html).toContain('<form class="ns-charging__take" method="post" action="/charging/number?lang=nl">');
    expect(html).toMatch(/<button class="ns-action ns-action--primary ns-charging__button" type="submit"[^>]*>Neem een nummer<\/button>/);
    expect(html).toContain('Vrije plekken nu: 2');
    expect(html).toContain('Mensen in de rij: 5');
    expect(html).toContain('Nu aan de beurt: 8, 9');
  });

  it('explains a refusal in words', () => {
    const html = screen({ phase: 'start', board: null, busy: false, error: 'no-power' }, 'en');
    expect(html).toContain('role="alert" data-error="no-power">There is not enough power to charge phones right now.');
  });

  it('waiting: the number large, how many are ahead, and a way to give it back', () => {
    const html = screen(ticketView(ticket({ ahead: 3 })));
    expect(html).toContain('data-state="waiting"');
    expect(html).toMatch(/class="ns-ticket__number"[^>]*>12</);
    expect(text(html, 'ns-ticket__main')).toBe('Voor u in de rij: 3');
    expect(html).toContain('href="/charging?t=tok_abcd&amp;lang=nl&amp;cancel=1"');
    expect(text(screen(ticketView(ticket({ ahead: 0 }))), 'ns-ticket__main')).toBe('U bent de volgende.');
    // the language links keep the ticket (a page without JavaScript has it only in its address)
    expect(html).toContain('href="?t=tok_abcd&amp;lang=ar"');
  });

  it('offered: the port as printed (index 2 → port 3) and whole minutes to plug in, counting down', () => {
    const v = ticketView(ticket({ state: 'offered', ahead: null, port: 2, msLeft: 600_000 }));
    expect(text(screen(v), 'ns-ticket__main')).toBe('Ga naar poort 3');
    expect(screen(v)).toContain('Steek uw telefoon erin binnen 10 min.');
    expect(screen(v, 'nl', { now: NOW + 4 * 60_000 + 1 })).toContain('binnen 6 min.');
    expect(text(screen(v, 'ar'), 'ns-ticket__main')).toBe('اذهب إلى المنفذ 3');
  });

  it('charging, paused, ended and collected, missed, cancelled, unknown', () => {
    const charging = screen(ticketView(ticket({ state: 'charging', ahead: null, port: 0, msLeft: 30 * 60_000, paused: true })), 'en');
    expect(text(charging, 'ns-ticket__main')).toBe('Your phone is charging at port 1');
    expect(charging).toContain('About 30 min left.');
    expect(charging).toContain('Charging is paused');
    expect(charging).not.toContain('data-action="cancel"');
    const ended = screen(ticketView(ticket({ state: 'ended', ahead: null, port: 4, msLeft: 10 * 60_000, end: 'full' })), 'en');
    expect(text(ended, 'ns-ticket__main')).toBe('Done. Collect your phone at port 5.');
    expect(ended).toContain('Your phone is full.');
    expect(ended).not.toContain('data-action="again"');
    const over = screen(ticketView(ticket({ state: 'ended', ahead: null, port: 4, msLeft: 0, end: 'timeout' })), 'en');
    expect(text(over, 'ns-ticket__main')).toBe('This number has finished.');
    expect(over).toContain('data-action="again"');
    expect(text(screen(ticketView(ticket({ state: 'missed', ahead: null }))), 'ns-ticket__main')).toContain('U was niet op tijd bij de poort.');
    expect(text(screen(ticketView(ticket({ state: 'cancelled', ahead: null }))), 'ns-ticket__main')).toBe('U hebt uw nummer teruggegeven.');
    expect(text(screen(ticketView('unknown')), 'ns-ticket__main')).toBe('Dit nummer is niet meer bekend.');
  });

  it('asks before giving a number back, as a form carrying the token', () => {
    const html = screen(ticketView(ticket({}), { confirm: true }));
    expect(html).toContain('<form class="ns-ticket__confirm" method="post" action="/charging/cancel?lang=nl">');
    expect(html).toContain('<input type="hidden" name="t" value="tok_abcd"/>');
    expect(html).toContain('Wilt u uw nummer echt teruggeven?');
    expect(html).not.toContain('data-action="cancel"');
  });

  it('on the kiosk reminds people of their number and lets them clear the screen', () => {
    const html = screen(ticketView(ticket({})), 'nl', { kiosk: true });
    expect(html).toContain('Onthoud uw nummer.');
    expect(html).toContain('data-action="kiosk-done"');
    expect(screen(ticketView(ticket({})))).not.toContain('kiosk-done');
  });
});
