// Diagnostics: live values, node heartbeats (memory, error flags), link quality and recent gateway logs,
// refreshed every few seconds while the page is open.
import type { I18n } from '../../../lib/i18n/i18n.js';
import type { TechnicianApi } from '../../../lib/api/technician.js';
import type { TechT } from '../../../lib/i18n/tables/technician.js';
import { usePolled } from '../../../lib/use-polled.js';
import { Msg, Scroll } from './ui.js';

const REFRESH_MS = 5000;

export function Diagnostics({ api, t, i18n }: { api: TechnicianApi; t: TechT; i18n: I18n }) {
  const { data: d, error } = usePolled(() => api.diagnostics(100), REFRESH_MS, [api]);
  if (!d) return <p role="status">{error ?? t('loading')}</p>;
  const time = (ts: number | null | undefined) => (ts ? new Date(ts).toLocaleTimeString(i18n.locale()) : t('never'));
  const ago = (ts: number | null) => (ts ? t('secondsAgo', { n: Math.max(0, Math.round((d.time - ts) / 1000)) }) : t('never'));
  return (
    <div data-diagnostics>
      <Msg tone="bad" text={error} />
      <p>{t('diag.gateway', { up: Math.round(d.gateway.uptimeS / 60), rss: d.gateway.rssMb, time: time(d.time) })}</p>

      <h3>{t('diag.links')}</h3>
      <Scroll label={t('diag.links')}>
        <table class="nc-table" data-table="links">
          <thead>
            <tr>
              <th scope="col">{t('col.link')}</th>
              <th scope="col">{t('col.state')}</th>
              <th scope="col">{t('diag.messages')}</th>
              <th scope="col">{t('diag.rejected')}</th>
              <th scope="col">{t('diag.lastRejected')}</th>
            </tr>
          </thead>
          <tbody>
            {d.links.map((l) => (
              <tr key={l.name} data-link={l.name}>
                <th scope="row">
                  <code>{l.name}</code>
                </th>
                <td>{l.up === null ? t('unknown') : l.up ? t('up') : t('down')}</td>
                <td>{l.messages}</td>
                <td>
                  {Object.entries(l.rejected)
                    .map(([k, v]) => `${k}: ${v}`)
                    .join(', ') || '0'}
                </td>
                <td>{l.lastRejected ? `${time(l.lastRejected.at)} ${l.lastRejected.reason}: ${l.lastRejected.detail}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
      <p data-lora>{d.lora ? t('diag.lora', { status: JSON.stringify(d.lora) }) : t('diag.noLora')}</p>
      <p>{d.board ? t('diag.board', { at: time(d.board.lastRefreshAt), full: d.board.refreshes.full, partial: d.board.refreshes.partial, error: d.board.lastError ?? '—' }) : t('diag.noBoard')}</p>

      <h3>{t('diag.nodes')}</h3>
      <Scroll label={t('diag.nodes')}>
        <table class="nc-table" data-table="heartbeats">
          <thead>
            <tr>
              <th scope="col">{t('col.node')}</th>
              <th scope="col">{t('col.state')}</th>
              <th scope="col">{t('col.link')}</th>
              <th scope="col">{t('diag.heartbeat')}</th>
              <th scope="col">{t('diag.uptime')}</th>
              <th scope="col">{t('col.mem')}</th>
              <th scope="col">{t('col.flags')}</th>
              <th scope="col">{t('diag.rssi')}</th>
              <th scope="col">{t('diag.values')}</th>
            </tr>
          </thead>
          <tbody>
            {d.nodes.map((n) => {
              const values = d.values.find((v) => v.id === n.id)?.readings ?? {};
              return (
                <tr key={n.id} data-node={n.id}>
                  <th scope="row">
                    <code>{n.id}</code> {n.kind ?? ''} {n.expected ? '' : `(${t('notConfigured')})`}
                  </th>
                  <td>{n.online ? t('online') : t('offline')}</td>
                  <td>{n.link ?? t('unknown')}</td>
                  <td>{ago(n.lastHeartbeatAt)}</td>
                  <td>{n.heartbeat ? t('minutes', { n: Math.round(n.heartbeat.up / 60) }) : t('unknown')}</td>
                  <td>{n.heartbeat?.mem ?? t('unknown')}</td>
                  <td data-flags>{n.heartbeat?.flags.join(', ') || '—'}</td>
                  <td>{n.heartbeat?.rssi !== undefined ? `${n.heartbeat.rssi} dBm` : '—'}</td>
                  <td>
                    {Object.entries(values).map(([type, r]) => (
                      <span key={type} class="nc-value">
                        {type}: {r.body ? compact(r.body) : t('stale')}
                      </span>
                    ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Scroll>

      <h3>{t('diag.logs')}</h3>
      <Scroll label={t('diag.logs')}>
        <table class="nc-table" data-table="logs">
          <thead>
            <tr>
              <th scope="col">{t('diag.time')}</th>
              <th scope="col">{t('diag.level')}</th>
              <th scope="col">{t('diag.source')}</th>
              <th scope="col">{t('diag.message')}</th>
            </tr>
          </thead>
          <tbody>
            {[...d.logs].reverse().map((l, i) => (
              <tr key={i} data-level={l.level}>
                <td>{time(l.t)}</td>
                <td>{l.level}</td>
                <td>
                  <code>{l.ns}</code>
                </td>
                <td>
                  {l.msg} {Object.keys(l.fields).length ? <code>{JSON.stringify(l.fields)}</code> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
    </div>
  );
}

/** One reading in a line: `litres 120, pct 60, status ok`; port lists shortened to on/mA. */
function compact(body: Record<string, unknown>): string {
  return Object.entries(body)
    .map(([k, v]) => {
      if (Array.isArray(v)) return `${k} ${v.map((p: { p?: number; on?: boolean; mA?: number | null }) => `${p.p}:${p.on ? 'on' : 'off'}/${p.mA ?? '?'}mA`).join(' ')}`;
      return `${k} ${String(v)}`;
    })
    .join(', ');
}
