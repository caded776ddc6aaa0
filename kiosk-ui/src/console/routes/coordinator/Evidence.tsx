// Pilot evidence as CSV (counts only): fetched through the session, offered as a download link.
import { useEffect, useState } from 'preact/hooks';
import type { CoordinatorApi } from '../../../lib/api/coordinator.js';
import { errorText } from '../../../lib/stores/errors.js';
import type { T } from './view.js';

/** Dates and periods in Dutch time (the default), or UTC for joining with other data sets. */
const ZONES = ['Europe/Amsterdam', 'UTC'] as const;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The query for the chosen dates (calendar days in the chosen zone, both inclusive). An empty "to" means "up to now" on the
 * coordinator's own clock, so the export never stops short of the newest reports however the browser's clock runs.
 */
export function evidenceRange(from: string, to: string): { from?: string; to?: string } {
  const range: { from?: string; to?: string } = {};
  if (from) range.from = from;
  if (to) range.to = day(Date.parse(`${to}T00:00:00Z`) + 86_400_000);
  return range;
}

export function Evidence(props: { t: T; api: CoordinatorApi }) {
  const { t, api } = props;
  const [from, setFrom] = useState(() => day(Date.now() - 7 * 86_400_000));
  const [to, setTo] = useState('');
  const [period, setPeriod] = useState<'hour' | 'day'>('hour');
  const [tz, setTz] = useState<(typeof ZONES)[number]>('Europe/Amsterdam');
  const [link, setLink] = useState<{ url: string; file: string; rows: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => () => link && URL.revokeObjectURL(link.url), [link]);
  const make = async () => {
    setBusy(true);
    setError(null);
    try {
      const e = await api.evidence({ ...evidenceRange(from, to), period, tz });
      setLink({ url: URL.createObjectURL(new Blob([e.csv], { type: 'text/csv;charset=utf-8' })), file: e.filename, rows: e.rows.length });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="co-ev-title">
      <h2 id="co-ev-title">{t('evidence.title')}</h2>
      <p>{t('evidence.intro')}</p>
      <div class="co-grid">
        <label for="co-ev-from">{t('evidence.from')}</label>
        <input id="co-ev-from" type="date" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        <label for="co-ev-to">{t('evidence.to')}</label>
        <input id="co-ev-to" type="date" value={to} aria-describedby="co-ev-to-hint" onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        <span id="co-ev-to-hint" class="co-hint">{t('evidence.toHint')}</span>
        <label for="co-ev-period">{t('evidence.period')}</label>
        <select id="co-ev-period" value={period} onChange={(e) => setPeriod((e.target as HTMLSelectElement).value as 'hour' | 'day')}>
          <option value="hour">{t('evidence.hour')}</option>
          <option value="day">{t('evidence.day')}</option>
        </select>
        <label for="co-ev-tz">{t('evidence.tz')}</label>
        <select id="co-ev-tz" value={tz} onChange={(e) => setTz((e.target as HTMLSelectElement).value as (typeof ZONES)[number])}>
          {ZONES.map((z) => (
            <option key={z} value={z}>
              {z === 'UTC' ? 'UTC' : t('evidence.tzNl')}
            </option>
          ))}
        </select>
      </div>
      <p>
        <button type="button" class="co-button" disabled={busy} onClick={() => void make()}>
          {t('evidence.make')}
        </button>
      </p>
      {error && <p role="alert">{t('error', { message: error })}</p>}
      {link && (
        <p>
          <a href={link.url} download={link.file} data-evidence>
            {t('evidence.download', { file: link.file, n: link.rows })}
          </a>
        </p>
      )}
    </section>
  );
}
