// Small pieces the technician screens share: an action with busy/error state, a message line, and the
// list of what a step measured.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { I18n } from '../../../lib/i18n/i18n.js';
import type { Measurement } from '../../../lib/api/technician.js';
import type { TechT } from '../../../lib/i18n/tables/technician.js';
import { reasonOf } from '../../../lib/api/client.js';

export function useAction<A extends unknown[]>(fn: (...args: A) => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return {
    busy,
    error,
    async run(...args: A) {
      setBusy(true);
      setError(null);
      try {
        await fn(...args);
      } catch (err) {
        setError(reasonOf(err));
      } finally {
        setBusy(false);
      }
    },
  };
}

export function Msg({ tone, text }: { tone: 'ok' | 'warn' | 'bad'; text: string | null | undefined }) {
  return (
    <p class="nc-msg" data-tone={tone} role={tone === 'bad' ? 'alert' : 'status'}>
      {text ?? ''}
    </p>
  );
}

export function MeasurementList({ t, i18n, items }: { t: TechT; i18n: I18n; items: Measurement[] }) {
  if (!items.length) return <p>{t('nothingMeasured')}</p>;
  return (
    <ul class="tc-measurements">
      {items.map((m) => (
        <li key={m.id} data-measurement={m.what} data-ok={m.ok === null ? 'none' : String(m.ok)}>
          <details>
            <summary>
              <strong>{m.what}</strong> — {m.ok === null ? t('recorded') : m.ok ? t('checkOk') : t('checkNotOk')} ({m.by}, {new Date(m.at).toLocaleTimeString(i18n.locale())})
            </summary>
            <pre class="tc-pre">{JSON.stringify(m.value, null, 2)}</pre>
          </details>
        </li>
      ))}
    </ul>
  );
}

/** Parses a config value typed by the technician: numbers and true/false become their type. */
export function parseConfigValue(text: string): string | number | boolean {
  const s = text.trim();
  if (s === 'true' || s === 'false') return s === 'true';
  if (s !== '' && Number.isFinite(Number(s))) return Number(s);
  return s;
}

/** A table that may be wider than the screen: a keyboard user can focus it to scroll it. */
export function Scroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="nc-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
