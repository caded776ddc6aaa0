// Residents' reports through the relay's ReportSink on a real SQLite outbox: the coordinator's downAck
// confirms the report it came from (also after a restart), a report handed over twice is stored once,
// and a report too long for the codec goes shortened rather than not at all.
import { describe, it, expect } from 'vitest';
import type { Database } from 'better-sqlite3';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import type { OutgoingReport } from '../../src/api/reports/sink.js';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';
import { LoraBudget } from '../../src/relay/scheduler.js';
import { LoraPath } from '../../src/relay/lora-path.js';
import { Outbox, relayOutboxMigration } from '../../src/relay/outbox.js';
import { Relay } from '../../src/relay/relay.js';
import { RelayReportSink, relayReportRefMigration } from '../../src/relay/report-sink.js';
import { advance, relayDb, VirtualModem } from './support.js';

function withRefTable(db: Database): Database {
  migrate(db, [...MIGRATIONS, relayOutboxMigration, relayReportRefMigration]);
  return db;
}

function setup(db: Database, clock = new ManualClock(Date.UTC(2026, 10, 27, 12))) {
  const modem = new VirtualModem(clock, 1000);
  const budget = new LoraBudget();
  const outbox = new Outbox(db);
  const lora = new LoraPath({ modem, budget, clock, log: silentLogger, busyWaitMs: 200 });
  const relay = new Relay({ pointId: 'p1', outbox, clock, log: silentLogger, lora, budget });
  const confirmed: string[] = [];
  const sink = new RelayReportSink({ db, relay, log: silentLogger, confirmed: (id) => confirmed.push(id) });
  return { clock, modem, outbox, relay, sink, confirmed };
}

const report = (id: string, body: Record<string, unknown> = { what: 'medical', where: 'Kerkstraat 12', details: 'man onwel', people: 1 }): OutgoingReport => ({
  id,
  kind: 'emergency',
  createdAt: Date.UTC(2026, 10, 27, 12),
  body,
});

describe('RelayReportSink', () => {
  it('confirms the report whose message the coordinator acknowledged, and only that one', async () => {
    const t = setup(withRefTable(relayDb()));
    await t.sink.send(report('rep-a'));
    await t.sink.send({ id: 'rep-b', kind: 'need', createdAt: 0, body: { category: 'water', people: 4, details: '', where: '' } });
    t.relay.start();
    await advance(t.clock, 30_000);
    const rows = t.outbox.rows();
    expect(rows.map((r) => r.kind).sort()).toEqual(['emergency', 'needs']);
    const emergencyRow = rows.find((r) => r.kind === 'emergency')!;
    expect(emergencyRow.payload.body).toMatchObject({ type: 'medical', severity: 'high', people: 1, note: 'Kerkstraat 12 — man onwel' });
    expect(emergencyRow.seq).not.toBeNull();

    t.modem.downAck([emergencyRow.seq! & 63]);
    expect(t.confirmed).toEqual(['rep-a']);
    expect(t.outbox.rows().map((r) => r.kind)).toEqual(['needs']);
    t.relay.stop();
  });

  it('stores a report handed over twice once, and still confirms it after a restart', async () => {
    const db = withRefTable(relayDb());
    const first = setup(db);
    await first.sink.send(report('rep-a'));
    // The gateway stopped before the API noted the report as sent, so it is offered again.
    first.sink.close();
    const second = setup(db, first.clock);
    await second.sink.send(report('rep-a'));
    expect(second.outbox.rows()).toHaveLength(1);

    second.relay.start();
    await advance(second.clock, 30_000);
    const row = second.outbox.rows()[0]!;
    second.modem.downAck([row.seq! & 63]);
    expect(second.confirmed).toEqual(['rep-a']);
    expect(first.confirmed).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM relay_report_ref').pluck().get()).toBe(0);
    second.relay.stop();
  });

  it('sends a note too long for the codec shortened, and maps every need category and emergency kind', async () => {
    const t = setup(withRefTable(relayDb()));
    const long = 'ü€漢'.repeat(167);
    await t.sink.send(report('rep-long', { what: 'water', where: long.slice(0, 200), details: long, people: null }));
    const note = (t.outbox.rows()[0]!.payload.body as { note: string }).note;
    expect(note.length).toBe(120);
    expect(note.endsWith('…')).toBe(true);
    expect(t.outbox.rows()[0]!.payload.body).toMatchObject({ type: 'flooding', people: null });

    for (const category of ['water', 'food', 'medicine', 'power', 'shelter', 'transport', 'care', 'other']) {
      await t.sink.send({ id: `need-${category}`, kind: 'need', createdAt: 0, body: { category, people: null, details: '', where: '' } });
    }
    for (const what of ['medical', 'fire', 'trapped', 'violence', 'other']) await t.sink.send(report(`em-${what}`, { what, where: 'Kade 1', details: '', people: 2 }));
    expect(t.outbox.rows()).toHaveLength(1 + 8 + 5);
  });
});
