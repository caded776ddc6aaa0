// The wizard's LoRa step: join, then a link check; shows RSSI, SNR, margin and gateways of the network's
// answer and the verdict against the thresholds the gateway applied (they travel with the measurement).
import { useState } from 'preact/hooks';
import type { CommissioningState, Measurement, TechnicianApi } from '../../../lib/api/technician.js';
import type { TechT } from '../../../lib/i18n/tables/technician.js';
import { Msg, useAction } from './ui.js';

/** The gateway's thresholds (edge-gateway commissioning/lora-link.ts), for the hint before a first check. */
const DEFAULT_MIN_MARGIN_DB = 10;
const DEFAULT_MIN_GATEWAYS = 1;

interface LinkValue {
  joined?: boolean;
  answered?: boolean;
  rssi?: number | null;
  snr?: number | null;
  marginDb?: number | null;
  gateways?: number;
  dr?: number | null;
  verdict?: string;
  minMarginDb?: number;
  minGateways?: number;
  error?: string | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The verdict line for a LoRa measurement (a failed join, or a link check). */
export function loraMessage(t: TechT, m: Measurement): { tone: 'ok' | 'warn' | 'bad'; text: string } {
  const v = m.value as LinkValue;
  const error = String(v.error ?? '');
  if (v.joined === false) return { tone: 'bad', text: t('lora.joinFailed', { error }) };
  const margin = num(v.marginDb) ?? '—';
  switch (v.verdict) {
    case 'ok':
      return { tone: 'ok', text: t('lora.ok', { margin, gateways: num(v.gateways) ?? 0 }) };
    case 'low-margin':
      return { tone: 'warn', text: t('lora.lowMargin', { margin, min: num(v.minMarginDb) ?? DEFAULT_MIN_MARGIN_DB }) };
    case 'no-gateway':
      return { tone: 'warn', text: t('lora.noGateway') };
    case 'no-answer':
      return { tone: 'bad', text: t('lora.noAnswer') };
    default:
      return { tone: 'bad', text: t('lora.error', { error }) };
  }
}

/** Label, shown value and whether it meets its threshold (null: no threshold) for each figure. */
export function loraRows(t: TechT, m: Measurement): { key: string; label: string; value: string; ok: boolean | null }[] {
  const v = m.value as LinkValue;
  const unknown = t('unknown');
  const rssi = num(v.rssi);
  const snr = num(v.snr);
  const margin = num(v.marginDb);
  const gateways = num(v.gateways);
  const dr = num(v.dr);
  const minMargin = num(v.minMarginDb) ?? DEFAULT_MIN_MARGIN_DB;
  const minGateways = num(v.minGateways) ?? DEFAULT_MIN_GATEWAYS;
  return [
    { key: 'joined', label: t('lora.joined'), value: v.joined ? t('yes') : t('no'), ok: v.joined === true },
    { key: 'rssi', label: t('lora.rssi'), value: rssi === null ? unknown : t('lora.dbm', { v: rssi }), ok: null },
    { key: 'snr', label: t('lora.snr'), value: snr === null ? unknown : t('lora.db', { v: snr }), ok: null },
    {
      key: 'margin',
      label: t('lora.margin'),
      value: t('lora.min', { value: margin === null ? unknown : t('lora.db', { v: margin }), min: t('lora.db', { v: minMargin }) }),
      ok: margin === null ? false : margin >= minMargin,
    },
    { key: 'gateways', label: t('lora.gateways'), value: t('lora.min', { value: gateways ?? unknown, min: minGateways }), ok: (gateways ?? 0) >= minGateways },
    { key: 'dr', label: t('lora.dr'), value: dr === null ? unknown : `DR${dr}`, ok: null },
  ];
}

export function LoraResult({ t, m }: { t: TechT; m: Measurement }) {
  const msg = loraMessage(t, m);
  return (
    <div data-lora-result={m.what} data-ok={String(m.ok === true)}>
      <table class="nc-table" data-table="lora">
        <caption>{t('lora.table')}</caption>
        <tbody>
          {loraRows(t, m).map((r) => (
            <tr key={r.key} data-lora-row={r.key} data-ok={r.ok === null ? 'none' : String(r.ok)}>
              <th scope="row">{r.label}</th>
              <td>{r.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Msg tone={msg.tone} text={msg.text} />
    </div>
  );
}

/** The last LoRa measurement of the run, so the result survives a reload of the wizard. */
export function lastLora(state: CommissioningState): Measurement | null {
  return state.run?.measurements.filter((m) => m.step === 'lora').at(-1) ?? null;
}

export function LoraTools({ state, api, t, onMeasured }: { state: CommissioningState; api: TechnicianApi; t: TechT; onMeasured: () => void }) {
  const [last, setLast] = useState<Measurement | null>(() => lastLora(state));
  const a = useAction(async () => {
    setLast(await api.lora());
    onMeasured();
  });
  return (
    <div>
      <p>{t('lora.hint', { minMargin: DEFAULT_MIN_MARGIN_DB, minGateways: DEFAULT_MIN_GATEWAYS })}</p>
      <div class="nc-actions">
        <button type="button" class="nc-button" data-action="lora" disabled={a.busy} onClick={() => void a.run()}>
          {a.busy ? t('busy') : t('lora.run')}
        </button>
      </div>
      <Msg tone="bad" text={a.error} />
      {last && <LoraResult t={t} m={last} />}
    </div>
  );
}
