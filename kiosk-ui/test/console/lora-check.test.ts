// The wizard's LoRa step: the link check's RSSI, SNR, margin and gateways against the gateway's thresholds,
// and the verdict line for each outcome, in Dutch and English (measurement values as the gateway records them).
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { LoraResult, LoraTools, lastLora, loraMessage, loraRows } from '../../src/console/routes/technician/LoraCheck.js';
import type { CommissioningState, Measurement, TechnicianApi } from '../../src/lib/api/technician.js';
import { createI18n } from '../../src/lib/i18n/i18n.js';
import { translator } from '../../src/lib/i18n/table.js';
import { technicianStrings } from '../../src/lib/i18n/tables/technician.js';

const tFor = (lang: 'nl' | 'en') => translator(technicianStrings, createI18n(lang, ['nl', 'en']));
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

const check = (value: Record<string, unknown>, ok: boolean): Measurement => ({
  id: 2,
  step: 'lora',
  at: 0,
  by: 'tech',
  what: 'link check',
  ok,
  value: { joined: true, answered: true, rssi: -92, snr: 8, marginDb: 14, gateways: 1, dr: 5, verdict: 'ok', minMarginDb: 10, minGateways: 1, error: null, ready: true, ...value },
});
const good = check({}, true);
const weak = check({ rssi: -117, snr: -1, marginDb: 6, verdict: 'low-margin' }, false);
const silent = check({ answered: false, rssi: null, snr: null, marginDb: null, gateways: 0, verdict: 'no-answer' }, false);
const failedJoin: Measurement = { id: 1, step: 'lora', at: 0, by: 'tech', what: 'join', ok: false, value: { joined: false, error: 'join failed after 3 attempt(s)', joinMs: 40_000 } };

describe('wizard LoRa link check', () => {
  it('shows RSSI, SNR, margin and gateways with their thresholds, in English and Dutch', () => {
    expect(loraRows(tFor('en'), good).map((r) => [r.key, r.value, r.ok])).toEqual([
      ['joined', 'yes', true],
      ['rssi', '-92 dBm', null],
      ['snr', '8 dB', null],
      ['margin', '14 dB (at least 10 dB)', true],
      ['gateways', '1 (at least 1)', true],
      ['dr', 'DR5', null],
    ]);
    const nl = loraRows(tFor('nl'), weak);
    expect(nl.find((r) => r.key === 'margin')).toMatchObject({ value: '6 dB (minimaal 10 dB)', ok: false });
    expect(nl.find((r) => r.key === 'rssi')?.value).toBe('-117 dBm');
    expect(loraRows(tFor('en'), silent).find((r) => r.key === 'margin')).toMatchObject({ value: 'unknown (at least 10 dB)', ok: false });
  });

  it('words the verdict for each outcome', () => {
    const en = tFor('en');
    expect(loraMessage(en, good)).toEqual({ tone: 'ok', text: 'Link good: margin 14 dB, 1 gateway(s).' });
    expect(loraMessage(en, weak)).toEqual({ tone: 'warn', text: 'Margin too small: 6 dB, at least 10 dB needed. Mount the antenna higher or elsewhere and test again.' });
    expect(loraMessage(en, check({ gateways: 0, verdict: 'no-gateway' }, false)).text).toBe('No gateway heard the message.');
    expect(loraMessage(tFor('nl'), silent)).toEqual({ tone: 'bad', text: 'Geen antwoord van het netwerk op de linkcheck. Controleer de antenne en of er dekking is.' });
    expect(loraMessage(en, check({ verdict: 'error', error: 'LoRa link check: no result within 60 s' }, false)).text).toBe('Link check failed: LoRa link check: no result within 60 s');
    expect(loraMessage(tFor('nl'), failedJoin)).toEqual({ tone: 'bad', text: 'Aanmelden bij het netwerk mislukt: join failed after 3 attempt(s)' });
  });

  it('renders the result table and verdict, and picks up the run\'s last LoRa measurement', () => {
    const html = renderToString(h(LoraResult, { t: tFor('nl'), m: weak }));
    expect(html).toContain('data-lora-result="link check"');
    expect(html).toContain('data-lora-row="margin" data-ok="false"');
    expect(text(html)).toContain('Marge te klein: 6 dB');
    const state = { run: { measurements: [failedJoin, good] } } as unknown as CommissioningState;
    expect(lastLora(state)).toBe(good);
    const api = { lora: () => new Promise(() => undefined) } as unknown as TechnicianApi;
    const tools = renderToString(h(LoraTools, { state, api, t: tFor('en'), onMeasured: () => undefined }));
    expect(tools).toContain('data-action="lora"');
    expect(text(tools)).toContain('a margin of at least 10 dB and at least 1 gateway');
    expect(text(tools)).toContain('Link good: margin 14 dB');
    expect(lastLora({ run: null } as unknown as CommissioningState)).toBeNull();
  });
});
