/** @jsxRuntime automatic */
/** @jsxImportSource preact */
// The resident screen as a pure view of (status, connection): rendered in the browser by App.tsx and to a
// string in tests. Its class names (ns-*) are the ones the gateway's no-JS fallback uses (shared/fallback.css).
import type { StatusData } from '../lib/api/types.js';
import type { BoardContent } from '../lib/api/board.js';
import type { LiveMode } from '../lib/api/live.js';
import type { I18n } from '../lib/i18n/i18n.js';
import { formatClock } from '../lib/format.js';
import { batteryLevel, crowdLevel, fuelLevel, levelTone, type Tone } from '../lib/levels.js';
import { LangSwitch } from '../components/LangSwitch.js';
import { ReportLinks } from './ReportScreen.js';
import { HelpLinks } from './help/HelpLinks.js';
import { BoardSlots } from './BoardSlots.js';
import { ChargingSummary } from './ChargingScreen.js';

export { SLOTS } from './BoardSlots.js';

export interface StatusPageProps {
  i18n: I18n;
  status: StatusData | null;
  mode: LiveMode;
  lost: boolean;
  /** The board's current content: null when the point has none, undefined while it is being loaded. */
  content?: BoardContent | null | undefined;
  /** Rendered by the gateway for a browser that may run no JavaScript: help links go to real paths. */
  plain?: boolean | undefined;
}

const TONE_ICON: Record<Tone, string> = { ok: '✓', warn: '!', bad: '!!', unknown: '?' };

function StatusItem(props: { kind: string; label: string; value: string; tone: Tone; note?: string | undefined }) {
  return (
    <li class="ns-status__item" data-kind={props.kind} data-tone={props.tone}>
      <span class="ns-status__icon" aria-hidden="true">
        {TONE_ICON[props.tone]}
      </span>
      <span class="ns-status__label">{props.label}</span>
      <strong class="ns-status__value">{props.value}</strong>
      {props.note ? <span class="ns-status__note">{props.note}</span> : null}
    </li>
  );
}

export function StatusPage({ i18n, status, mode, lost, content, plain }: StatusPageProps) {
  const t = i18n.t;
  const r = status?.readings;
  const fuel = fuelLevel(r?.fuel ?? null);
  const battery = batteryLevel(r?.battery ?? null);
  const crowd = crowdLevel(r?.visitors ?? null);
  const name = status?.point.name ?? t('app.title');
  const conn = lost ? 'lost' : mode === 'live' ? 'live' : 'polling';

  return (
    <div class="ns-page">
      <header class="ns-header">
        <p class="ns-header__kind">{t('app.title')}</p>
        {/* dir=auto: a Dutch place name inside an Arabic page keeps its own direction */}
        <h1 class="ns-header__name" dir="auto">
          {name}
        </h1>
        <LangSwitch i18n={i18n} />
      </header>
      <main class="ns-main">
        {status === null ? (
          <p class="ns-loading" role="status">
            {lost ? t('conn.lost') : t('loading')}
          </p>
        ) : null}
        <BoardSlots i18n={i18n} content={content} now={status?.time ?? Date.now()} />
        {content?.charging?.enabled || content?.services.includes('charging') ? <ChargingSummary i18n={i18n} charging={content.charging ?? null} /> : null}
        {status?.board.image ? (
          <section class="ns-board" aria-labelledby="board-title">
            <h2 id="board-title">{t('board.title')}</h2>
            <img
              class="ns-board__image"
              // updatedAt busts the browser cache: the URL stays the same when the board changes
              src={`${status.board.image}?v=${status.board.updatedAt ?? 0}`}
              alt={t('board.alt', { name })}
            />
            <p class="ns-board__updated">{t('board.updated', { time: formatClock(i18n, status.board.updatedAt) })}</p>
          </section>
        ) : null}
        {status ? (
          <section class="ns-status" aria-labelledby="status-title">
            <h2 id="status-title">{t('status.title')}</h2>
            <ul class="ns-status__list">
              <StatusItem
                kind="fuel"
                label={t('fuel.label')}
                value={fuel === 'unknown' ? t('unknown') : t(`fuel.${fuel}`)}
                tone={levelTone(fuel)}
                note={r?.fuel?.refuelling ? t('fuel.refuelling') : undefined}
              />
              <StatusItem
                kind="battery"
                label={t('battery.label')}
                value={battery === 'unknown' ? t('unknown') : t(`battery.${battery}`)}
                tone={levelTone(battery)}
              />
              <StatusItem
                kind="visitors"
                label={t('visitors.label')}
                value={crowd === 'unknown' ? t('unknown') : t(`visitors.${crowd}`)}
                tone={levelTone(crowd)}
              />
            </ul>
          </section>
        ) : null}
        <ReportLinks i18n={i18n} />
        <HelpLinks i18n={i18n} plain={plain} />
        <p class="ns-help">{t('help.ask')}</p>
      </main>
      <footer>
        <p class="ns-conn" role="status" data-state={conn}>
          {t(conn === 'lost' ? 'conn.lost' : conn === 'live' ? 'conn.live' : 'conn.polling')}
        </p>
      </footer>
    </div>
  );
}
