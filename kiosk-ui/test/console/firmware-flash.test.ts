// The wizard's firmware table: a Flash button only for a node on USB serial whose firmware differs from the
// build, a "connect it by USB" note for one on Wi-Fi, and the upload's progress and result lines (nl, en).
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { FirmwareTable, flashMessage, flashOption, flashRunning, type FirmwareRow } from '../../src/console/routes/technician/FirmwareFlash.js';
import type { DiscoveredNode, FlashState, TechnicianApi } from '../../src/lib/api/technician.js';
import { createI18n } from '../../src/lib/i18n/i18n.js';
import { translator } from '../../src/lib/i18n/table.js';
import { technicianStrings } from '../../src/lib/i18n/tables/technician.js';

const tFor = (lang: 'nl' | 'en') => translator(technicianStrings, createI18n(lang, ['nl', 'en']));
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

const node = (id: string, link: string | null): DiscoveredNode => ({
  id, kind: 'battery', expected: true, configKind: 'battery', online: true, fw: '0.0.1+old', lastSeen: 1, lastHeartbeatAt: 1, heartbeat: null, link, links: {},
});
const rows: FirmwareRow[] = [
  { id: 'battery-1', reported: '0.0.1+old', expected: '0.1.0+abc', match: false },
  { id: 'charger-1', reported: '0.0.1+old', expected: '0.1.0+def', match: false },
  { id: 'fuel-1', reported: '0.1.0+aaa', expected: '0.1.0+aaa', match: true },
  { id: 'vedirect-1', reported: null, expected: null, match: false },
];
const nodes = [node('battery-1', 'serial:/dev/ttyUSB0'), node('charger-1', 'mqtt'), node('fuel-1', 'serial:/dev/ttyUSB1'), node('vedirect-1', 'vedirect:/dev/ttyUSB2')];
const state = (over: Partial<FlashState>): FlashState => ({ node: 'battery-1', kind: 'battery', port: '/dev/ttyUSB0', phase: 'uploading', startedAt: 0, oldVersion: '0.0.1+old', expected: '0.1.0+abc', ...over });

describe('wizard firmware flash', () => {
  it('offers Flash only for a mismatching node on serial, USB for Wi-Fi, nothing otherwise', () => {
    expect(rows.map((r) => flashOption(r, nodes.find((n) => n.id === r.id)))).toEqual(['flash', 'usb', null, null]);
    expect(flashOption(rows[0]!, undefined)).toBeNull();
  });

  it('renders the buttons with an accessible name, in Dutch and English', () => {
    const api = { flashState: () => new Promise(() => undefined) } as unknown as TechnicianApi;
    for (const [lang, label, usb] of [
      ['nl', 'Firmware 0.1.0+abc naar battery-1 flashen', 'via wifi: sluit het aan op USB om te flashen'],
      ['en', 'Flash firmware 0.1.0+abc to battery-1', 'on Wi-Fi: connect it by USB to flash'],
    ] as const) {
      const html = renderToString(h(FirmwareTable, { t: tFor(lang), api, rows, nodes, onFlashed: () => undefined }));
      expect(html.match(/data-action="flash"/g)).toHaveLength(1);
      expect(html).toContain('data-node="battery-1"');
      expect(html).toContain(`aria-label="${label}"`);
      expect(text(html)).toContain(usb);
    }
  });

  it('words progress and results, and knows when an upload is running', () => {
    const en = tFor('en');
    expect(flashMessage(en, state({ phase: 'waiting' }), 12)).toEqual({ tone: 'warn', text: 'Flashing battery-1: waiting for the node to report the new version… (12 s)' });
    expect(flashMessage(tFor('nl'), state({ phase: 'uploading' }), 3).text).toBe('battery-1 flashen: firmware uploaden… (3 s)');
    expect(flashMessage(en, state({ phase: 'done', ok: true, newVersion: '0.1.0+abc', durationMs: 8_450 }), 0)).toEqual({ tone: 'ok', text: 'battery-1 now runs firmware 0.1.0+abc (8.5 s).' });
    expect(flashMessage(en, state({ phase: 'failed', ok: false, error: 'upload failed: Prompt not detected' }), 0)).toEqual({ tone: 'bad', text: 'Flashing battery-1 failed: upload failed: Prompt not detected' });
    expect(flashRunning(null)).toBe(false);
    expect(['releasing', 'uploading', 'reopening', 'waiting', 'done', 'failed'].map((phase) => flashRunning(state({ phase: phase as FlashState['phase'] })))).toEqual([true, true, true, true, false, false]);
  });
});
