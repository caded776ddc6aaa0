// RUI3 `+EVT:` lines → typed events. Spellings changed across firmware versions (RUI3 v3.2.0 dropped
// spaces and data types from event output), so both are accepted:
//   new: +EVT:JOINED  +EVT:JOIN_FAILED_RX_TIMEOUT  +EVT:TX_DONE  +EVT:SEND_CONFIRMED_OK
//        +EVT:SEND_CONFIRMED_FAILED(4)  +EVT:RX_1:-70:8:UNICAST:1:1234
//   old: +EVT:JOIN FAILED  +EVT:SEND CONFIRMED OK  +EVT:SEND CONFIRMED FAILED
//        +EVT:RX_1, RSSI -52, SNR 9 / +EVT:UNICAST / +EVT:3:4321   (one downlink over three lines)
// Link check (after AT+LINKCHECK=1 and an uplink): +EVT:LINKCHECK:<result>,<DemodMargin>,<NbGateways>,<RSSI>,<SNR>
// — commas in the RUI3 AT manual, colons in RUI3's service_lora.c; result 0 = answered, any other
// value = no answer (then printed as 1,0,0,0,0).
import type { RxWindow } from '../modem.js';

export type ModemEvent =
  | { type: 'joined' }
  | { type: 'joinFailed'; detail: string }
  | { type: 'txDone' }
  | { type: 'confirmedOk' }
  | { type: 'confirmedFailed'; code: number | null }
  | { type: 'linkCheck'; ok: boolean; code: number; marginDb: number; gateways: number; rssi: number; snr: number }
  | { type: 'rx'; window: RxWindow; rssi: number; snr: number; multicast: boolean; port: number; bytes: Uint8Array }
  | { type: 'other'; text: string };

export const EVENT_PREFIX = '+EVT:';

const WINDOWS = new Set<string>(['RX_1', 'RX_2', 'RX_B', 'RX_C']);
const HEX = /^(?:[0-9A-Fa-f]{2})*$/;

function hexBytes(hex: string): Uint8Array | null {
  return HEX.test(hex) ? Uint8Array.from(Buffer.from(hex, 'hex')) : null;
}

interface PendingRx {
  window: RxWindow;
  rssi: number;
  snr: number;
  multicast: boolean;
}

/** Stateful because the old RX form spans three lines. Feed it every `+EVT:` line in order. */
export class EventParser {
  private pendingRx: PendingRx | null = null;

  parse(line: string): ModemEvent | null {
    if (!line.startsWith(EVENT_PREFIX)) return null;
    const body = line.slice(EVENT_PREFIX.length).trim();
    const normal = body.replace(/ /g, '_').toUpperCase();

    if (normal === 'JOINED') return this.done({ type: 'joined' });
    if (normal.startsWith('JOIN_FAILED')) return this.done({ type: 'joinFailed', detail: body });
    if (normal === 'TX_DONE') return this.done({ type: 'txDone' });
    if (normal === 'SEND_CONFIRMED_OK') return this.done({ type: 'confirmedOk' });
    const failed = /^SEND_CONFIRMED_FAILED(?:\((\d+)\))?$/.exec(normal);
    if (failed) return this.done({ type: 'confirmedFailed', code: failed[1] === undefined ? null : Number(failed[1]) });

    const lc = /^LINKCHECK:\s*(\d+)\s*[,:]\s*(\d+)\s*[,:]\s*(\d+)\s*[,:]\s*(-?\d+)\s*[,:]\s*(-?\d+)$/i.exec(body);
    if (lc) {
      const [code, marginDb, gateways, rssi, snr] = lc.slice(1, 6).map(Number) as [number, number, number, number, number];
      return this.done({ type: 'linkCheck', ok: code === 0, code, marginDb, gateways, rssi, snr });
    }

    // New single-line form: RX_1:<rssi>:<snr>:UNICAST:<port>:<hex>
    const rx = /^(RX_[12BC]):(-?\d+):(-?\d+):(UNICAST|MULTICAST):(\d+)(?::([0-9A-Fa-f]*))?$/.exec(body);
    if (rx) {
      const bytes = hexBytes(rx[6] ?? '');
      this.pendingRx = null;
      if (!bytes) return { type: 'other', text: body };
      return {
        type: 'rx',
        window: rx[1] as RxWindow,
        rssi: Number(rx[2]),
        snr: Number(rx[3]),
        multicast: rx[4] === 'MULTICAST',
        port: Number(rx[5]),
        bytes,
      };
    }
    // Old form, line 1: RX_1, RSSI -52, SNR 9
    const head = /^(RX_[12BC]),\s*RSSI\s+(-?\d+),\s*SNR\s+(-?\d+)$/.exec(body);
    if (head && WINDOWS.has(head[1]!)) {
      this.pendingRx = { window: head[1] as RxWindow, rssi: Number(head[2]), snr: Number(head[3]), multicast: false };
      return null;
    }
    if (this.pendingRx) {
      // Old form, line 2 (absent in some firmware): UNICAST | MULTICAST
      if (normal === 'UNICAST' || normal === 'MULTICAST') {
        this.pendingRx.multicast = normal === 'MULTICAST';
        return null;
      }
      // Old form, line 3: <port>:<hex>
      const data = /^(\d+):([0-9A-Fa-f]*)$/.exec(body);
      const rxHead = this.pendingRx;
      this.pendingRx = null;
      const bytes = data ? hexBytes(data[2]!) : null;
      if (data && bytes) return { type: 'rx', ...rxHead, port: Number(data[1]), bytes };
    }
    return { type: 'other', text: body };
  }

  private done(ev: ModemEvent): ModemEvent {
    // An old-form downlink header with no data line was an ACK-only downlink.
    this.pendingRx = null;
    return ev;
  }
}
