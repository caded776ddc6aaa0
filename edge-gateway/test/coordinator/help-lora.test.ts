// The coordinator's side of help counts over LoRa: the ingest decodes fPort 11 into PointStatus.help's shape
// (and refuses malformed frames), the monitor shows the newest counts in the point list — merged into the
// held status when they came over LoRa later, on their own for a point heard only over LoRa.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { CoordinatorMonitor } from '../../src/coordinator/monitor.js';
import { PointBook } from '../../src/coordinator/point-book.js';
import { MessageInbox } from '../../src/coordinator/message-inbox.js';
import { RelayIngest } from '../../src/coordinator/lora-ingest.js';
import type { NetworkUplink } from '../../src/coordinator/lora-ingest.js';
import { encodeMessage, FrameDecodeError } from '../../src/lora/codec/index.js';
import { crc8 } from '../../src/lora/codec/crc8.js';
import type { PointStatus } from '../../src/protocol/index.js';
import { helpReportFromAggregate, type HelpAggregate } from '../../src/relay/help-report.js';
import { migrate } from '../../src/store/migrations.js';
import { relayDb } from '../relay/support.js';

const MIN = 60_000;
const AGG: HelpAggregate = { requests: { water: { open: 4, matched: 1, done: 2 }, care: { open: 1, matched: 0, done: 0 } }, offers: { transport: { open: 2, matched: 1, done: 0 } }, mostNeeded: ['water', 'care'] };

const uplink = (bytes: Uint8Array, fPort = 11): NetworkUplink => ({ network: 'chirpstack', application: 'app', device: 'ac1f09fffe0a1b2c', devEui: 'ac1f09fffe0a1b2c', deviceName: 'punt-1', fPort, fCnt: 1, bytes });

function status(seq: number, ts: number, help?: HelpAggregate): PointStatus {
  return { v: 1, point: 'punt-1', name: 'Dorpshuis', seq, ts, nodes: [], fuel: null, battery: null, visitors: null, charging: null, alarms: [], ...(help ? { help } : {}) };
}

function setup() {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 12));
  const db = new Database(':memory:');
  migrate(db);
  const book = new PointBook(3 * MIN);
  const monitor = new CoordinatorMonitor({ db, book, clock, log: silentLogger });
  const got: { point: string; help: HelpAggregate; received: number; cut: boolean }[] = [];
  const ingest = new RelayIngest({
    url: 'mqtt://unused',
    inbox: new MessageInbox(relayDb()),
    clock,
    log: silentLogger,
    on: {
      help: (point, help, meta) => {
        got.push({ point, help, received: meta.received, cut: meta.cut });
        monitor.loraHelp(point, help, meta.received, meta.cut);
      },
    },
  });
  return { clock, book, monitor, ingest, got };
}

describe('help counts relayed over LoRa at the coordinator', () => {
  it('decodes fPort 11 into the MQTT shape and shows it for a point heard only over LoRa, with the time received', () => {
    const t = setup();
    const f = encodeMessage({ kind: 'help', ...helpReportFromAggregate(AGG) });
    t.ingest.onUplink(uplink(f.bytes, f.port));
    expect(t.got).toEqual([{ point: 'punt-1', help: AGG, received: t.clock.now(), cut: false }]);
    expect(t.ingest.stats.helps).toBe(1);
    const [p] = t.monitor.overview();
    expect(p).toMatchObject({ point: 'punt-1', status: null, help: { counts: AGG, at: t.clock.now(), via: 'lora', cut: false } });
  });

  it('merges LoRa counts newer than the held status into status.help, and lets a newer MQTT status win again', () => {
    const t = setup();
    const old: HelpAggregate = { requests: { water: { open: 1, matched: 0, done: 0 } }, offers: {}, mostNeeded: ['water'] };
    t.book.applyStatus(status(1, t.clock.now(), old), t.clock.now());
    expect(t.monitor.overview()[0]).toMatchObject({ help: { counts: old, via: 'mqtt' }, status: { help: old } });
    t.clock.advance(5 * MIN);
    const f = encodeMessage({ kind: 'help', ...helpReportFromAggregate(AGG) });
    t.ingest.onUplink(uplink(f.bytes));
    const lora = t.monitor.overview()[0]!;
    expect(lora.status?.help).toEqual(AGG);
    expect(lora.status?.seq).toBe(1); // the rest of the status is untouched
    expect(lora.help).toEqual({ counts: AGG, at: t.clock.now(), via: 'lora', cut: false });
    expect(t.book.get('punt-1', t.clock.now())?.status?.help).toEqual(old); // the book keeps what MQTT said
    t.clock.advance(MIN);
    t.book.applyStatus(status(2, t.clock.now(), old), t.clock.now());
    expect(t.monitor.overview()[0]).toMatchObject({ help: { counts: old, via: 'mqtt' }, status: { help: old } });
    // an older LoRa frame (reordered) does not replace newer LoRa counts
    t.monitor.loraHelp('punt-1', { requests: {}, offers: {}, mostNeeded: [] }, t.clock.now() - 10 * MIN);
    expect(t.monitor.overview()[0]!.help?.via).toBe('mqtt');
  });

  it('carries the cut flag to the point list', () => {
    const t = setup();
    const f = encodeMessage({ kind: 'help', ...helpReportFromAggregate(AGG), cut: true });
    t.ingest.onUplink(uplink(f.bytes));
    expect(t.monitor.overview()[0]!.help?.cut).toBe(true);
  });

  it('refuses malformed help frames with FrameDecodeError and applies nothing', () => {
    const t = setup();
    const good = encodeMessage({ kind: 'help', ...helpReportFromAggregate(AGG) }).bytes;
    expect(() => t.ingest.onUplink(uplink(good.subarray(0, good.length - 3)))).toThrow(FrameDecodeError);
    const body = Uint8Array.from(good.subarray(0, good.length - 1));
    // the same category twice behind a valid CRC
    const twice = Uint8Array.from([...body, ...body.subarray(1, 7)]);
    expect(() => t.ingest.onUplink(uplink(Uint8Array.from([...twice, crc8(twice)])))).toThrow(/twice/);
    expect(t.got).toEqual([]);
    expect(t.monitor.overview()).toEqual([]);
  });
});
