/** @jsxRuntime automatic */
/** @jsxImportSource preact */
// Phone charging for residents as a pure view of (what is known, what the resident did): take a number,
// your turn, your port, time left. Plain forms and links underneath, so the gateway can serve the same
// markup to a browser without JavaScript; the app (ChargingApp.tsx) intercepts them and works in place.
import type { ChargingBoard, Refusal, TicketStatus } from '../lib/api/charging.js';
import { minutesLeft, portLabel } from '../lib/api/charging.js';
import type { I18n } from '../lib/i18n/i18n.js';
import { translator, type Translate } from '../lib/i18n/table.js';
import { chargingStrings } from '../lib/i18n/tables/charging.js';
import { LangSwitch } from '../components/LangSwitch.js';

type ChargingKey = keyof (typeof chargingStrings)['nl'];
export type ChargingError = Refusal | 'network';

export type ChargingView =
  | { phase: 'start'; board: ChargingBoard | null; busy: boolean; error: ChargingError | null }
  | {
      phase: 'ticket';
      number: number;
      token: string;
      /** null while loading; 'unknown' when the gateway no longer knows the token. */
      status: TicketStatus | null | 'unknown';
      /** When `status` was read (ms, this device's clock): msLeft counts down from there. */
      at: number;
      /** The resident pressed "give my number back" and is asked to confirm. */
      confirm: boolean;
      busy: boolean;
      error: ChargingError | null;
    };

export interface ChargingScreenProps {
  i18n: I18n;
  view: ChargingView;
  /** The shared kiosk screen: remind people of their number and let them clear the screen. */
  kiosk: boolean;
  /** Now on this device's clock (ms), for the countdown between reads. */
  now: number;
  onTake?: () => void;
  onCancel?: (step: 'ask' | 'yes' | 'no') => void;
  onForget?: () => void;
}

/** Paths of the charging screens (also the no-JavaScript form targets on the gateway). */
export const CHARGING_PATH = '/charging';

function Header({ i18n, title, search }: { i18n: I18n; title: string; search: string }) {
  return (
    <header class="ns-header">
      <p class="ns-header__kind">{i18n.t('app.title')}</p>
      <h1 class="ns-header__name">{title}</h1>
      <LangSwitch i18n={i18n} search={search} />
    </header>
  );
}

function BoardFigures({ board, t }: { board: ChargingBoard; t: Translate<ChargingKey> }) {
  return (
    <ul class="ns-charging__figures">
      <li data-figure="free">{t('free', { n: board.freePorts })}</li>
      <li data-figure="queue">{t('queue', { n: board.queueLength })}</li>
      {board.nowServing.length > 0 ? <li data-figure="serving">{t('serving', { numbers: board.nowServing.join(', ') })}</li> : null}
    </ul>
  );
}

function left(status: TicketStatus, at: number, now: number): number | null {
  return minutesLeft(status.msLeft === null ? null : status.msLeft - Math.max(0, now - at));
}

/** The lines that tell the resident where they stand; the first is the one to read from a distance. */
export function ticketLines(t: Translate<ChargingKey>, s: TicketStatus, min: number | null): { main: string; more: string[] } {
  const port = s.port === null ? '?' : portLabel(s.port);
  switch (s.state) {
    case 'waiting':
      return { main: s.ahead === 0 ? t('waiting.next') : t('waiting.ahead', { n: s.ahead ?? '?' }), more: [t('waiting.wait')] };
    case 'offered':
      return { main: t('offered.go', { port }), more: min === null ? [] : [t('offered.time', { min })] };
    case 'charging':
      return { main: t('charging.port', { port }), more: [...(min === null ? [] : [t('charging.time', { min })]), ...(s.paused ? [t('charging.paused')] : [])] };
    case 'ended': {
      const why = s.end ? [t(`end.${s.end}`)] : [];
      if (min !== null && min > 0) return { main: t('ended.port', { port }), more: [t('ended.time', { min }), ...why] };
      return { main: t('ended.over'), more: why };
    }
    case 'missed':
      return { main: t('missed'), more: [] };
    case 'cancelled':
      return { main: t('cancelled'), more: [] };
  }
}

export function ChargingScreen({ i18n, view, kiosk, now, onTake, onCancel, onForget }: ChargingScreenProps) {
  const t = translator(chargingStrings, i18n);
  const lang = i18n.lang.value;
  const q = `lang=${lang}`;
  return (
    <div class="ns-page ns-charging">
      {/* without JavaScript the ticket lives in the address: another language keeps it */}
      <Header i18n={i18n} title={t('title')} search={view.phase === 'ticket' ? `t=${encodeURIComponent(view.token)}` : ''} />
      <main class="ns-main">
        {view.phase === 'start' ? (
          <>
            <p class="ns-charging__intro">{t('intro')}</p>
            {view.board ? <BoardFigures board={view.board} t={t} /> : null}
            {view.error ? (
              <p class="ns-error" role="alert" data-error={view.error}>
                {t(view.error === 'network' ? 'error.network' : `refused.${view.error}`)}
              </p>
            ) : null}
            <form
              class="ns-charging__take"
              method="post"
              action={`${CHARGING_PATH}/number?${q}`}
              onSubmit={(ev) => {
                if (!onTake) return;
                ev.preventDefault();
                onTake();
              }}
            >
              <button class="ns-action ns-action--primary ns-charging__button" type="submit" disabled={view.busy} data-action="take">
                {view.busy ? t('taking') : t('take')}
              </button>
            </form>
          </>
        ) : (
          <TicketView {...{ i18n, view, kiosk, now, t, q, onCancel, onForget }} />
        )}
        <a class="ns-back" href={`/?${q}`}>
          {t('back')}
        </a>
      </main>
    </div>
  );
}

function TicketView(props: {
  view: Extract<ChargingView, { phase: 'ticket' }>;
  kiosk: boolean;
  now: number;
  t: Translate<ChargingKey>;
  q: string;
  onCancel?: ((step: 'ask' | 'yes' | 'no') => void) | undefined;
  onForget?: (() => void) | undefined;
}) {
  const { view, kiosk, now, t, q, onCancel, onForget } = props;
  const s = view.status;
  const state = s === null ? 'loading' : s === 'unknown' ? 'unknown' : s.state;
  const min = s === null || s === 'unknown' ? null : left(s, view.at, now);
  const lines = s === null ? { main: '…', more: [] } : s === 'unknown' ? { main: t('unknown'), more: [] } : ticketLines(t, s, min);
  const open = state === 'waiting' || state === 'offered';
  // nothing more will happen to this number: offer a new one
  const over = state === 'missed' || state === 'cancelled' || state === 'unknown' || (state === 'ended' && !(min !== null && min > 0));
  const ticketHref = `${CHARGING_PATH}?t=${encodeURIComponent(view.token)}&${q}`;
  return (
    <section class="ns-ticket" data-state={state} aria-labelledby="ticket-title">
      <h2 id="ticket-title" class="ns-ticket__title">
        {t('ticket.title')}
      </h2>
      {/* 0: a ticket adopted from a link, before its first read */}
      {view.number > 0 ? (
        <p class="ns-ticket__number" aria-label={t('ticket.number', { number: view.number })}>
          {view.number}
        </p>
      ) : null}
      {/* polite: a screen reader hears "go to port 3" when it changes, without losing its place */}
      <div class="ns-ticket__state" role="status" aria-live="polite">
        <p class="ns-ticket__main">{lines.main}</p>
        {lines.more.map((l, i) => (
          <p key={i} class="ns-ticket__more">
            {l}
          </p>
        ))}
      </div>
      {view.error ? (
        <p class="ns-error" role="alert" data-error={view.error}>
          {t(view.error === 'network' ? 'error.network' : `refused.${view.error}`)}
        </p>
      ) : null}
      {kiosk ? <p class="ns-ticket__kiosk">{t('kiosk.remember')}</p> : null}
      <div class="ns-ticket__actions">
        {open && !view.confirm ? (
          <a
            class="ns-action ns-charging__button"
            href={`${ticketHref}&cancel=1`}
            data-action="cancel"
            onClick={(ev) => {
              if (!onCancel) return;
              ev.preventDefault();
              onCancel('ask');
            }}
          >
            {t('cancel')}
          </a>
        ) : null}
        {open && view.confirm ? (
          <form
            class="ns-ticket__confirm"
            method="post"
            action={`${CHARGING_PATH}/cancel?${q}`}
            onSubmit={(ev) => {
              if (!onCancel) return;
              ev.preventDefault();
              onCancel('yes');
            }}
          >
            <p id="cancel-sure">{t('cancel.sure')}</p>
            <input type="hidden" name="t" value={view.token} />
            <button class="ns-action ns-action--urgent ns-charging__button" type="submit" aria-describedby="cancel-sure" disabled={view.busy} data-action="cancel-yes">
              {t('cancel.yes')}
            </button>
            <a
              class="ns-action ns-charging__button"
              href={ticketHref}
              data-action="cancel-no"
              onClick={(ev) => {
                if (!onCancel) return;
                ev.preventDefault();
                onCancel('no');
              }}
            >
              {t('cancel.no')}
            </a>
          </form>
        ) : null}
        {over ? (
          <a
            class="ns-action ns-action--primary ns-charging__button"
            href={`${CHARGING_PATH}?new=1&${q}`}
            data-action="again"
            onClick={(ev) => {
              if (!onForget) return;
              ev.preventDefault();
              onForget();
            }}
          >
            {t('again')}
          </a>
        ) : null}
        {kiosk ? (
          <a
            class="ns-action ns-charging__button"
            href={`/?${q}`}
            data-action="kiosk-done"
            // the link itself goes back to the overview; the app forgets the ticket first
            onClick={() => onForget?.()}
          >
            {t('kiosk.done')}
          </a>
        ) : null}
      </div>
    </section>
  );
}

/** On the status page: how charging stands and the way to take a number. */
export function ChargingSummary({ i18n, charging }: { i18n: I18n; charging: { enabled: boolean; portsFree: number; portsTotal: number; queue: number } | null }) {
  const t = translator(chargingStrings, i18n);
  return (
    <section class="ns-charging-summary" aria-labelledby="charging-title">
      <h2 id="charging-title">{t('title')}</h2>
      {charging ? (
        <ul class="ns-charging__figures">
          <li data-figure="free">{t('free', { n: charging.portsFree })}</li>
          <li data-figure="queue">{t('queue', { n: charging.queue })}</li>
        </ul>
      ) : null}
      <a class="ns-action ns-action--primary" href={`${CHARGING_PATH}?lang=${i18n.lang.value}`} data-link="charging">
        {t('link')}
      </a>
    </section>
  );
}
