// The wizard's board step: the test pattern onto the e-ink panel and back. The panel needs minutes of rest
// between refreshes, so the step shows what the gateway is doing (waiting for the panel until…, on the
// panel since…, content back since…) and follows it; the technician at the unit says whether it is right.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { I18n } from '../../../lib/i18n/i18n.js';
import type { BoardTest, BoardTestView, Measurement, TechnicianApi } from '../../../lib/api/technician.js';
import type { TechT } from '../../../lib/i18n/tables/technician.js';
import { Msg, useAction } from './ui.js';

interface Props {
  api: TechnicianApi;
  t: TechT;
  i18n: I18n;
  onMeasured: () => void;
}

const ACTIVE: ReadonlyArray<BoardTest['phase']> = ['pending', 'showing', 'restoring'];
/** Faster while the panel is about to change; the wait itself is minutes. */
const POLL_ACTIVE_MS = 2000;
const POLL_IDLE_MS = 10_000;

const phaseOf = (v: BoardTestView) => (v.test ? `${v.test.id}:${v.test.phase}` : 'none');

export function BoardTools({ api, t, i18n, onMeasured }: Props) {
  const [view, setView] = useState<BoardTestView | null>(null);
  const [verdict, setVerdict] = useState<{ test: number; m: Measurement } | null>(null);
  const test = view?.test ?? null;
  const active = test !== null && ACTIVE.includes(test.phase);
  const time = (at: number | null) => (at === null ? t('unknown') : new Date(at).toLocaleTimeString(i18n.locale()));
  /** The test's `id:phase` last seen, by the poll or in an action's answer: only a change the poll sees is news. */
  const last = useRef<string | null>(null);
  const show = (v: BoardTestView) => {
    last.current = phaseOf(v);
    setView(v);
  };

  const start = useAction(async () => {
    setVerdict(null);
    show(await api.boardTest());
    onMeasured();
  });
  const judge = useAction(async (seen: boolean) => {
    if (!test) return;
    setVerdict({ test: test.id, m: await api.boardVerdict(seen) });
    show(await api.boardTestView());
    onMeasured();
  });
  const end = useAction(async () => {
    show(await api.boardRestore());
    onMeasured();
  });

  // Follows the test on the gateway (also one started before a reload); a change of phase means the
  // gateway recorded something, so the step's measurements are reloaded.
  useEffect(() => {
    let stop = false;
    const poll = async () => {
      while (!stop) {
        let wait = POLL_IDLE_MS;
        try {
          const v = await api.boardTestView();
          if (stop) return;
          const seen = last.current;
          show(v);
          if (seen !== null && last.current !== seen) onMeasured();
          if (v.test && ACTIVE.includes(v.test.phase)) wait = POLL_ACTIVE_MS;
        } catch {
          // the next poll tries again
        }
        await new Promise((r) => setTimeout(r, wait));
      }
    };
    void poll();
    return () => {
      stop = true;
    };
  }, []);

  const judged = verdict !== null && verdict.test === test?.id ? verdict.m : null;
  const canJudge = test !== null && test.phase !== 'pending' && test.phase !== 'cancelled' && !judged;
  return (
    <div>
      <p>{t('board.hint')}</p>
      <div class="nc-actions">
        <button type="button" class="nc-button" data-action="board-test" disabled={start.busy || active} onClick={() => void start.run()}>
          {t('board.run')}
        </button>
        {active && test.restoreRequestedAt === null && (
          <button type="button" class="nc-button nc-button--quiet" data-action="board-end" disabled={end.busy} onClick={() => void end.run()}>
            {t('board.end')}
          </button>
        )}
      </div>
      <Msg tone="bad" text={start.error ?? end.error ?? judge.error} />
      {test && (
        <div class="nc-fieldset" data-board-test={test.phase}>
          <p role="status">{boardTestMessage(test, t, time)}</p>
          {test.phase === 'showing' && <p>{t('board.restoreAt', { time: time(test.restoreAt) })}</p>}
          {canJudge && (
            <>
              <p>{t('board.question')}</p>
              <div class="nc-actions">
                <button type="button" class="nc-button" data-action="board-seen" disabled={judge.busy} onClick={() => void judge.run(true)}>
                  {t('board.seen')}
                </button>
                <button type="button" class="nc-button nc-button--danger" data-action="board-not-seen" disabled={judge.busy} onClick={() => void judge.run(false)}>
                  {t('board.notSeen')}
                </button>
              </div>
            </>
          )}
          {judged && <Msg tone={judged.ok ? 'ok' : 'warn'} text={judged.value.technicianConfirmed ? t('board.verdictSeen') : t('board.verdictNotSeen')} />}
        </div>
      )}
      <div class="nc-grid">
        {view?.image && test && (
          <figure>
            <img class="tc-image" src={`${view.image}?test=${test.id}`} alt={t('board.patternAlt')} data-image="pattern" />
            <figcaption>{t('board.pattern')}</figcaption>
          </figure>
        )}
        {view?.panelImage && (
          <figure>
            {/* The query changes when the panel does, so the browser fetches the new image. */}
            <img class="tc-image" src={`${view.panelImage}?at=${test?.restoredAt ?? test?.shownAt ?? 0}`} alt={t('board.panelAlt')} data-image="panel" />
            <figcaption>{t('board.panel')}</figcaption>
          </figure>
        )}
      </div>
    </div>
  );
}

/** The state line of the board step: waiting for the panel until…, on the panel since…, content back since…. */
export function boardTestMessage(test: BoardTest, t: TechT, time: (at: number | null) => string): string {
  switch (test.phase) {
    case 'pending':
      return test.dueAt === null ? t('board.pendingBusy') : t('board.pending', { time: time(test.dueAt) });
    case 'showing':
      return t('board.showing', { time: time(test.shownAt), s: test.refreshMs === null ? t('unknown') : (test.refreshMs / 1000).toFixed(1) });
    case 'restoring':
      return t('board.restoring');
    case 'restored':
      return t('board.restored', { time: time(test.restoredAt) });
    case 'failed':
      return t('board.failed', { error: test.error ?? t('unknown') });
    case 'cancelled':
      return t('board.cancelled');
  }
}
