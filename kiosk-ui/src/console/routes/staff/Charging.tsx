// Staff: open or close charging here, the ports and the queue, and the few actions the queue needs from a
// person (it advances by itself): a no-show, a late number, a phone handed back, a broken port.
import { useState } from 'preact/hooks';
import { minutesLeft, portLabel } from '../../../lib/api/charging.js';
import { translator } from '../../../lib/i18n/table.js';
import { staffStrings } from '../../../lib/i18n/tables/staff.js';
import { reasonOf } from '../../../lib/api/client.js';
import { usePolled } from '../../../lib/use-polled.js';
import type { ScreenProps } from '../../screens.js';
import type { StaffChargingView } from './charging-types.js';

const REFRESH_MS = 5_000;

export default function Charging({ i18n, session }: ScreenProps) {
  const t = translator(staffStrings, i18n);
  const polled = usePolled(() => session.get<StaffChargingView>('/api/charging/queue'), REFRESH_MS, [session]);
  const view = polled.data;
  const [confirmClose, setConfirmClose] = useState(false);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ tone: 'ok' | 'bad'; text: string } | null>(null);


  if (!view) return <p role="status">{polled.error ?? t('loading')}</p>;

  const act = async (path: string, body: unknown) => {
    setBusy(true);
    setMsg(null);
    try {
      polled.set(await session.send<StaffChargingView>('POST', path, body));
      setMsg({ tone: 'ok', text: t('charging.done') });
    } catch (err) {
      setMsg({ tone: 'bad', text: t('charging.failed', { reason: reasonOf(err) }) });
    } finally {
      setBusy(false);
      setConfirmClose(false);
    }
  };
  // times count from the gateway's clock, not this browser's
  const mins = (until: number | null) => {
    const m = minutesLeft(until === null ? null : until - view.now);
    return m === null ? '' : t('charging.left', { min: m });
  };
  const isTech = session.can('technician');
  const state = !view.enabled ? 'disabled' : view.policy === 'off' ? 'coordinator' : !view.localOpen ? 'local' : 'open';

  return (
    <section aria-labelledby="charging-title" data-screen="charging">
      <h2 id="charging-title">{t('charging.title')}</h2>
      <p class="nc-msg" data-tone={state === 'open' ? 'ok' : 'warn'} data-charging-state={state}>
        {t(state === 'open' ? 'charging.open' : state === 'local' ? 'charging.closedLocal' : state === 'coordinator' ? 'charging.closedCoordinator' : 'charging.disabled')}
      </p>
      {!view.chargerOnline && view.enabled ? (
        <p class="nc-msg" data-tone="bad">
          {t('charging.chargerOffline')}
        </p>
      ) : null}
      <p>
        {t('charging.summary', {
          waiting: view.waiting,
          serving: view.nowServing.length ? view.nowServing.join(', ') : '—',
          allowed: view.portsAllowed,
          stage: t(`stage.${view.stage}`),
        })}
      </p>
      {view.enabled ? (
        <div class="nc-actions">
          {view.localOpen ? (
            confirmClose ? (
              <>
                <p id="close-warn" class="nc-msg" data-tone="warn">
                  {t('charging.closeWarn')}
                </p>
                <button type="button" class="nc-button nc-button--danger" disabled={busy} aria-describedby="close-warn" data-action="confirm-close" onClick={() => void act('/api/charging/open', { open: false })}>
                  {t('charging.confirmClose')}
                </button>
                <button type="button" class="nc-button" onClick={() => setConfirmClose(false)}>
                  {t('charging.cancel')}
                </button>
              </>
            ) : (
              <button type="button" class="nc-button nc-button--danger" disabled={busy} data-action="close-charging" onClick={() => setConfirmClose(true)}>
                {t('charging.closeButton')}
              </button>
            )
          ) : (
            <button type="button" class="nc-button" disabled={busy} data-action="open-charging" onClick={() => void act('/api/charging/open', { open: true })}>
              {t('charging.openButton')}
            </button>
          )}
        </div>
      ) : null}
      <p class="nc-msg" data-tone={msg?.tone} role="status" data-charging-msg>
        {msg?.text ?? ''}
      </p>

      <h3 id="ports-title">{t('charging.ports')}</h3>
      <div class="nc-scroll">
        <table class="nc-table" data-table="ports" aria-labelledby="ports-title">
          <thead>
            <tr>
              <th scope="col">{t('charging.col.port')}</th>
              <th scope="col">{t('charging.col.state')}</th>
              <th scope="col">{t('charging.col.number')}</th>
              <th scope="col">{t('charging.col.time')}</th>
              <th scope="col">{t('charging.col.power')}</th>
              <th scope="col">{t('charging.col.action')}</th>
            </tr>
          </thead>
          <tbody>
            {view.ports.map((p) => {
              const label = portLabel(p.p);
              return (
                <tr key={p.p} data-port={p.p} data-state={p.state}>
                  <th scope="row">{label}</th>
                  <td data-tone={p.state === 'fault' ? 'bad' : undefined}>
                    {t(`charging.port.${p.state}`)}
                    {p.fault ? ` (${p.fault})` : ''} {p.paused ? t('charging.paused') : ''}
                  </td>
                  <td>{p.number ?? '—'}</td>
                  <td>{mins(p.until)}</td>
                  <td>
                    {p.mA !== null ? `${p.mA} mA` : ''}
                    {p.wh !== null ? ` · ${p.wh} Wh` : ''}
                  </td>
                  <td>
                    <span class="nc-row-actions">
                      {p.state === 'charging' || p.state === 'done' ? (
                        <button type="button" class="nc-button" disabled={busy} onClick={() => void act('/api/charging/release', { port: p.p })}>
                          {t('charging.release', { port: label })}
                        </button>
                      ) : null}
                      {p.state !== 'disabled' && p.state !== 'fault' ? (
                        <button type="button" class="nc-button nc-button--danger" disabled={busy} onClick={() => void act('/api/charging/port/disable', { port: p.p })}>
                          {t('charging.disable', { port: label })}
                        </button>
                      ) : isTech ? (
                        <button type="button" class="nc-button" disabled={busy} onClick={() => void act('/api/charging/port/enable', { port: p.p })}>
                          {t('charging.enable', { port: label })}
                        </button>
                      ) : null}
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <h3 id="queue-title">{t('charging.queue')}</h3>
      <p>{t('charging.auto')}</p>
      {view.tickets.length === 0 ? (
        <p>{t('charging.queueEmpty')}</p>
      ) : (
        <div class="nc-scroll">
          <table class="nc-table" data-table="queue" aria-labelledby="queue-title">
            <thead>
              <tr>
                <th scope="col">{t('charging.col.number')}</th>
                <th scope="col">{t('charging.col.state')}</th>
                <th scope="col">{t('charging.col.port')}</th>
                <th scope="col">{t('charging.col.waited')}</th>
                <th scope="col">{t('charging.col.action')}</th>
              </tr>
            </thead>
            <tbody>
              {view.tickets.map((tk) => (
                <tr key={tk.number} data-number={tk.number} data-state={tk.state}>
                  <th scope="row">{tk.number}</th>
                  <td>
                    {t(`charging.ticket.${tk.state}`)} {tk.state === 'offered' ? mins(tk.until) : ''}
                  </td>
                  <td>{tk.port !== null ? portLabel(tk.port) : '—'}</td>
                  <td>{t('charging.minutes', { min: Math.round(tk.waitedMs / 60_000) })}</td>
                  <td>
                    {tk.state === 'offered' ? (
                      <button type="button" class="nc-button" disabled={busy} onClick={() => void act('/api/charging/skip', { number: tk.number })}>
                        {t('charging.skip', { n: tk.number })}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {view.finished.length ? (
        <>
          <h3 id="finished-title">{t('charging.finished')}</h3>
          <div class="nc-scroll">
            <table class="nc-table" data-table="finished" aria-labelledby="finished-title">
              <thead>
                <tr>
                  <th scope="col">{t('charging.col.number')}</th>
                  <th scope="col">{t('charging.col.state')}</th>
                  <th scope="col">{t('charging.col.port')}</th>
                  <th scope="col">{t('charging.col.action')}</th>
                </tr>
              </thead>
              <tbody>
                {view.finished.map((tk) => (
                  <tr key={tk.number} data-number={tk.number} data-state={tk.state}>
                    <th scope="row">{tk.number}</th>
                    <td>
                      {t(`charging.ticket.${tk.state}`)}
                      {tk.end ? ` (${tk.end})` : ''}
                    </td>
                    <td>{tk.port !== null ? portLabel(tk.port) : '—'}</td>
                    <td>
                      {tk.state === 'missed' ? (
                        <button type="button" class="nc-button" disabled={busy} onClick={() => void act('/api/charging/reoffer', { number: tk.number })}>
                          {t('charging.reoffer', { n: tk.number })}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
