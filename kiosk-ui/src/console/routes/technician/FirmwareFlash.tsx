// The firmware check's table in the nodes step, with a Flash button for each node on USB serial whose
// firmware differs from the build, and the upload's progress and result (POST/GET /api/commissioning/flash).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DiscoveredNode, FlashState, TechnicianApi } from '../../../lib/api/technician.js';
import type { TechKey, TechT } from '../../../lib/i18n/tables/technician.js';
import { Msg, Scroll, useAction } from './ui.js';

export interface FirmwareRow {
  id: string;
  reported: string | null;
  expected: string | null;
  match: boolean;
}

/** What the action cell offers a row: a Flash button (serial), a USB hint (Wi-Fi), or nothing. */
export function flashOption(row: FirmwareRow, node: DiscoveredNode | undefined): 'flash' | 'usb' | null {
  if (row.match || row.expected === null) return null;
  const link = node?.link ?? null;
  if (link?.startsWith('serial')) return 'flash';
  if (link === 'mqtt') return 'usb';
  return null;
}

export function flashRunning(f: FlashState | null): boolean {
  return f !== null && f.phase !== 'done' && f.phase !== 'failed';
}

const PHASE: Record<Exclude<FlashState['phase'], 'done' | 'failed'>, TechKey> = {
  releasing: 'flash.releasing',
  uploading: 'flash.uploading',
  reopening: 'flash.reopening',
  waiting: 'flash.waiting',
};

/** The progress or result line; `elapsedS` counts from when this screen saw the upload start. */
export function flashMessage(t: TechT, f: FlashState, elapsedS: number): { tone: 'ok' | 'warn' | 'bad'; text: string } {
  if (f.phase === 'done') return { tone: 'ok', text: t('flash.done', { node: f.node, version: f.newVersion ?? f.expected, s: Math.round((f.durationMs ?? 0) / 100) / 10 }) };
  if (f.phase === 'failed') return { tone: 'bad', text: t('flash.failed', { node: f.node, error: f.error ?? '' }) };
  return { tone: 'warn', text: t('flash.progress', { node: f.node, phase: t(PHASE[f.phase]), s: elapsedS }) };
}

interface Props {
  t: TechT;
  api: TechnicianApi;
  rows: FirmwareRow[];
  nodes: DiscoveredNode[];
  /** After an upload finished: the parent checks the firmware again and reloads the measurements. */
  onFlashed: () => void;
}

export function FirmwareTable({ t, api, rows, nodes, onFlashed }: Props) {
  const [flash, setFlash] = useState<FlashState | null>(null);
  const [since, setSince] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());
  // The parent passes a new function on every render: keep the latest without restarting the poll.
  const flashed = useRef(onFlashed);
  flashed.current = onFlashed;
  const start = useAction(async (node: string) => {
    const r = await api.flash(node);
    setSince(Date.now());
    setFlash(r.flash);
  });
  // An upload started before a reload is still shown.
  useEffect(() => {
    void api.flashState().then(
      (r) => setFlash(r.flash),
      () => undefined,
    );
  }, [api]);
  // Poll while it runs; tell the parent once when it ends.
  useEffect(() => {
    if (!flashRunning(flash)) return;
    const timer = setTimeout(() => {
      setNow(Date.now());
      void api.flashState().then(
        (r) => {
          setFlash(r.flash);
          if (!flashRunning(r.flash)) flashed.current();
        },
        // A missed poll (gateway busy): try again on the next tick.
        () => setFlash((f) => (f ? { ...f } : f)),
      );
    }, 1000);
    return () => clearTimeout(timer);
  }, [flash, api]);
  const busy = start.busy || flashRunning(flash);
  const msg = flash ? flashMessage(t, flash, Math.max(0, Math.round((now - since) / 1000))) : null;
  return (
    <div>
      <Scroll label={t('fw.caption')}>
        <table class="nc-table" data-table="firmware">
          <caption>{t('fw.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('col.node')}</th>
              <th scope="col">{t('fw.reported')}</th>
              <th scope="col">{t('fw.expected')}</th>
              <th scope="col">{t('fw.match')}</th>
              <th scope="col">{t('fw.action')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const option = flashOption(r, nodes.find((n) => n.id === r.id));
              return (
                <tr key={r.id} data-fw-match={String(r.match)}>
                  <th scope="row">{r.id}</th>
                  <td>{r.reported ?? t('unknown')}</td>
                  <td>{r.expected ?? t('fw.noBuild')}</td>
                  <td>{r.match ? t('yes') : t('no')}</td>
                  <td>
                    {option === 'flash' ? (
                      <button type="button" class="nc-button" data-action="flash" data-node={r.id} disabled={busy} aria-label={t('flash.buttonLabel', { node: r.id, expected: r.expected ?? '' })} onClick={() => void start.run(r.id)}>
                        {t('flash.button')}
                      </button>
                    ) : option === 'usb' ? (
                      t('flash.usb')
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Scroll>
      <Msg tone="bad" text={start.error} />
      {msg && (
        <div data-flash={flash?.phase}>
          <Msg tone={msg.tone} text={msg.text} />
          {flash?.phase === 'failed' && flash.output && flash.output.length > 0 && (
            <details>
              <summary>{t('flash.output')}</summary>
              <pre class="tc-pre">{flash.output.join('\n')}</pre>
            </details>
          )}
        </div>
      )}
    </div>
  );
}
