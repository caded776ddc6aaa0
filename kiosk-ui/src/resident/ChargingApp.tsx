/** @jsxRuntime automatic */
/** @jsxImportSource preact */
// The charging screens in the browser: takes a number through the JSON API, keeps the ticket in
// localStorage (a reload or a dropped Wi-Fi keeps the turn), reads the ticket every few seconds and counts
// the minutes down in between. The shared kiosk screen forgets a ticket after a while, for the next person.
import { useEffect, useMemo } from 'preact/hooks';
import { useSignal } from '@preact/signals';
import {
  ChargingRefused,
  createChargingApi,
  isFinal,
  isKioskHost,
  loadTicket,
  saveTicket,
  type ChargingApi,
  type StoredTicket,
  type TicketStatus,
} from '../lib/api/charging.js';
import type { I18n } from '../lib/i18n/i18n.js';
import { ChargingScreen, type ChargingError, type ChargingView } from './ChargingScreen.js';

/** How often an open ticket is read (the offer to plug in lasts minutes; a few seconds' delay is fine). */
export const TICKET_POLL_MS = 5_000;
/** How often the free ports and queue are read while no number is held. */
export const BOARD_POLL_MS = 15_000;
/** The kiosk clears a ticket nobody touched for this long: the next resident must not see it. */
export const KIOSK_FORGET_MS = 3 * 60_000;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function errorOf(err: unknown): ChargingError {
  return err instanceof ChargingRefused ? err.reason : 'network';
}

/** A ticket is done changing: stop asking the gateway. */
function settled(s: TicketStatus | 'unknown' | null): boolean {
  return s === 'unknown' || (s !== null && isFinal(s));
}

/** The ticket to show first: `?t=` from a link (e.g. the no-JS page), `?new=1` to start over, else the stored one. */
export function initialTicket(search: string, stored: StoredTicket | null, now: number): StoredTicket | null | 'new' {
  const params = new URLSearchParams(search);
  if (params.get('new') === '1') return 'new';
  const t = params.get('t');
  if (t && /^[A-Za-z0-9_-]{4,64}$/.test(t)) return stored?.token === t ? stored : { number: 0, token: t, takenAt: now };
  return stored;
}

export function ChargingApp({ i18n, api: given }: { i18n: I18n; api?: ChargingApi }) {
  const api = useMemo(() => given ?? createChargingApi(), [given]);
  const kiosk = isKioskHost(location.hostname);
  // decided before the first render, so the app's first paint matches the page the gateway rendered
  const first = useMemo(() => {
    const f = initialTicket(location.search, loadTicket(storage()), Date.now());
    if (f === 'new') saveTicket(storage(), null);
    return f === 'new' ? null : f;
  }, []);
  const view = useSignal<ChargingView>(
    first
      ? { phase: 'ticket', number: first.number, token: first.token, status: null, at: Date.now(), confirm: new URLSearchParams(location.search).get('cancel') === '1', busy: false, error: null }
      : { phase: 'start', board: null, busy: false, error: null },
  );
  const now = useSignal(Date.now());

  const forget = () => {
    saveTicket(storage(), null);
    view.value = { phase: 'start', board: null, busy: false, error: null };
  };

  const phase = view.value.phase;
  const token = view.value.phase === 'ticket' ? view.value.token : null;
  const done = view.value.phase === 'ticket' && settled(view.value.status);

  // read the ticket until nothing more can happen to it
  useEffect(() => {
    if (!token || done) return;
    let stop = false;
    const read = () =>
      api.ticket(token).then(
        (s) => {
          const v = view.value;
          if (stop || v.phase !== 'ticket' || v.token !== token) return;
          if (s) saveTicket(storage(), { number: s.number, token, takenAt: Date.now() });
          else saveTicket(storage(), null);
          view.value = { ...v, number: s?.number ?? v.number, status: s ?? 'unknown', at: Date.now(), error: null };
        },
        (err: unknown) => {
          const v = view.value;
          if (!stop && v.phase === 'ticket') view.value = { ...v, error: errorOf(err) };
        },
      );
    void read();
    const timer = setInterval(() => void read(), TICKET_POLL_MS);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [token, done]);

  // without a number: how many ports are free and how long the queue is
  useEffect(() => {
    if (phase !== 'start') return;
    let stop = false;
    const read = () =>
      api.board().then(
        (b) => {
          const v = view.value;
          if (!stop && v.phase === 'start') view.value = { ...v, board: b };
        },
        () => undefined,
      );
    void read();
    const timer = setInterval(() => void read(), BOARD_POLL_MS);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [phase]);

  // minutes count down between reads
  useEffect(() => {
    const timer = setInterval(() => (now.value = Date.now()), 10_000);
    return () => clearInterval(timer);
  }, []);

  // the shared kiosk screen: clear a ticket after a while without a touch
  useEffect(() => {
    if (!kiosk || !token) return;
    let timer = setTimeout(clear, KIOSK_FORGET_MS);
    function clear() {
      forget();
      location.assign(`/?lang=${i18n.lang.value}`);
    }
    const touched = () => {
      clearTimeout(timer);
      timer = setTimeout(clear, KIOSK_FORGET_MS);
    };
    document.addEventListener('pointerdown', touched);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('pointerdown', touched);
    };
  }, [kiosk, token]);

  const onTake = () => {
    const v = view.value;
    if (v.phase !== 'start' || v.busy) return;
    view.value = { ...v, busy: true, error: null };
    api.take({ kiosk }).then(
      (r) => {
        const t = { number: r.number, token: r.token, takenAt: Date.now() };
        saveTicket(storage(), t);
        const status: TicketStatus = { number: r.number, state: 'waiting', ahead: r.position, port: null, msLeft: null, paused: false, wh: 0, end: null };
        view.value = { phase: 'ticket', number: r.number, token: r.token, status, at: Date.now(), confirm: false, busy: false, error: null };
        window.scrollTo(0, 0);
      },
      (err: unknown) => {
        const cur = view.value;
        if (cur.phase === 'start') view.value = { ...cur, busy: false, error: errorOf(err) };
      },
    );
  };

  const onCancel = (step: 'ask' | 'yes' | 'no') => {
    const v = view.value;
    if (v.phase !== 'ticket') return;
    if (step !== 'yes') {
      view.value = { ...v, confirm: step === 'ask' };
      return;
    }
    view.value = { ...v, busy: true };
    // a refused cancel (409: the phone is already charging) still shows the ticket as it now stands
    api
      .cancel(v.token)
      .then(() => api.ticket(v.token))
      .then(
      (s) => {
        const cur = view.value;
        if (cur.phase === 'ticket') view.value = { ...cur, status: s ?? 'unknown', at: Date.now(), confirm: false, busy: false, error: null };
      },
      (err: unknown) => {
        const cur = view.value;
        if (cur.phase === 'ticket') view.value = { ...cur, busy: false, error: errorOf(err) };
      },
    );
  };

  return <ChargingScreen i18n={i18n} view={view.value} kiosk={kiosk} now={now.value} onTake={onTake} onCancel={onCancel} onForget={forget} />;
}
