// RUI3 event lines → typed events, in both spellings, including the edge cases of the old RX form.
import { describe, it, expect } from 'vitest';
import { EventParser } from '../../../src/drivers/lora-modem/index.js';

const parseAll = (...lines: string[]) => {
  const p = new EventParser();
  return lines.map((l) => p.parse(l)).filter((e) => e !== null);
};

describe('EventParser', () => {
  it('reads join, tx and confirmation events in both spellings', () => {
    expect(parseAll('+EVT:JOINED', '+EVT:JOIN_FAILED_RX_TIMEOUT', '+EVT:JOIN FAILED', '+EVT:TX_DONE')).toEqual([
      { type: 'joined' },
      { type: 'joinFailed', detail: 'JOIN_FAILED_RX_TIMEOUT' },
      { type: 'joinFailed', detail: 'JOIN FAILED' },
      { type: 'txDone' },
    ]);
    expect(parseAll('+EVT:SEND_CONFIRMED_OK', '+EVT:SEND CONFIRMED OK', '+EVT:SEND_CONFIRMED_FAILED(4)', '+EVT:SEND CONFIRMED FAILED')).toEqual([
      { type: 'confirmedOk' },
      { type: 'confirmedOk' },
      { type: 'confirmedFailed', code: 4 },
      { type: 'confirmedFailed', code: null },
    ]);
  });

  it('reads a one-line downlink, and one without payload', () => {
    const [a, b] = parseAll('+EVT:RX_2:-112:-5:MULTICAST:200:00ff', '+EVT:RX_1:-70:8:UNICAST:0');
    expect(a).toMatchObject({ type: 'rx', window: 'RX_2', rssi: -112, snr: -5, multicast: true, port: 200 });
    expect(a?.type === 'rx' && Buffer.from(a.bytes).toString('hex')).toBe('00ff');
    expect(b).toMatchObject({ type: 'rx', port: 0, bytes: new Uint8Array(0) });
  });

  it('joins the three lines of the old downlink form, with or without the UNICAST line', () => {
    const evs = parseAll('+EVT:RX_1, RSSI -52, SNR 9', '+EVT:UNICAST', '+EVT:3:4321', '+EVT:RX_C, RSSI -60, SNR 2', '+EVT:12:AB');
    expect(evs).toHaveLength(2);
    expect(evs[0]).toMatchObject({ type: 'rx', window: 'RX_1', rssi: -52, snr: 9, port: 3 });
    expect(evs[1]).toMatchObject({ type: 'rx', window: 'RX_C', rssi: -60, snr: 2, port: 12 });
  });

  it('treats an old-form header followed by another event as an ACK-only downlink', () => {
    expect(parseAll('+EVT:RX_1, RSSI -52, SNR 9', '+EVT:SEND CONFIRMED OK', '+EVT:7:AA')).toEqual([
      { type: 'confirmedOk' },
      { type: 'other', text: '7:AA' },
    ]);
  });

  it('passes unknown events through and ignores non-event lines', () => {
    // (LINKCHECK used to be the example here; it is parsed now, see rak3172-linkcheck.test.ts.)
    expect(parseAll('+EVT:TIMEREQ_OK', 'OK', '+EVT:RX_1:-70:8:UNICAST:1:XYZ')).toEqual([
      { type: 'other', text: 'TIMEREQ_OK' },
      { type: 'other', text: 'RX_1:-70:8:UNICAST:1:XYZ' },
    ]);
  });
});
