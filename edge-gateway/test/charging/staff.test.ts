// Staff actions of the charging service: open/close at the point, the queue view, skipping a no-show,
// putting a late number back, handing a phone back — with a charger node played by the test.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chargingConfig } from '../../src/charging/config.js';
import { ChargingService } from '../../src/charging/service.js';
import { CHARGING_MIGRATION, SqliteChargingPersistence } from '../../src/charging/store.js';
import type { ChargingPersistence } from '../../src/charging/types.js';
import { MemoryChargingPersistence } from '../../src/charging/types.js';
import { EventBus } from '../../src/core/bus.js';
import { ManualClock } from '../../src/core/clock.js';
import type { GatewayEvents } from '../../src/core/events.js';
import { migrate } from '../../src/store/migrations.js';
import { EXAMPLE_POWER_CONFIG, loadPowerConfig, toPowerSystem } from '../../../hardware/src/power-config.js';

const MIN = 60_000;
const system = toPowerSystem(loadPowerConfig(EXAMPLE_POWER_CONFIG));

function harness(ports = 2, persistence: ChargingPersistence = new MemoryChargingPersistence(), clock = new ManualClock()) {
  const config = chargingConfig({ enabled: true, ports, sessionMinutes: 60, offerMinutes: 10, collectMinutes: 10, tickS: 30 });
  const bus = new EventBus<GatewayEvents>();
  const relays = new Array<boolean>(ports).fill(false);
  const draw = new Array<number>(ports).fill(0);
  const service = new ChargingService({
    config,
    bus,
    clock,
    persistence,
    power: { system, inputs: () => ({ generatorRunning: true, fuelL: 50, soc: 90 }) },
    sendCommand: (_node, cmd) => {
      relays[cmd.port] = cmd.on;
      return true;
    },
  });
  let seq = 0;
  const report = () => {
    const now = clock.now();
    const body = { ports: relays.map((on, p) => ({ p, on, mA: on ? draw[p]! : 0, fault: null })), failsafe: false };
    bus.emit('reading', { msg: { v: 1, node: config.node, boot: 1, seq: ++seq, ts: now, type: 'charger', body }, link: 'test', receivedAt: now });
  };
  const run = (ms: number) => {
    for (let t = 0; t < ms; t += 30_000) {
      clock.advance(30_000);
      report();
    }
  };
  service.start();
  report();
  const take = () => {
    const r = service.takeNumber();
    if (!r.ok) throw new Error(`refused: ${r.reason}`);
    return r;
  };
  const ticket = (n: number) => service.staffView().tickets.find((t) => t.number === n) ?? service.staffView().finished.find((t) => t.number === n);
  return { service, relays, draw, clock, report, run, take, ticket };
}

describe('charging service: staff at the point', () => {
  it('closing refuses numbers, puts offers back, ends sessions for collection and keeps the queue; reopening resumes', () => {
    const h = harness(1);
    const a = h.take();
    const b = h.take();
    h.draw[0] = 1500;
    h.run(2 * MIN); // number 1 plugged in and charging
    expect(h.ticket(a.number)?.state).toBe('charging');
    expect(h.ticket(b.number)?.state).toBe('waiting');

    h.service.setLocalOpen(false);
    const view = h.service.staffView();
    expect(view).toMatchObject({ open: false, localOpen: false, policy: 'budget' });
    expect(h.service.ticketStatus(a.token)).toMatchObject({ state: 'ended', end: 'stopped' });
    expect(h.relays[0]).toBe(false);
    expect(h.service.takeNumber()).toEqual({ ok: false, reason: 'off' });
    expect(h.service.board()).toMatchObject({ enabled: false, freePorts: 0, queueLength: 1 });
    h.draw[0] = 0;
    h.run(20 * MIN); // collection time passes: the port is free, but nothing is offered while closed
    expect(h.service.ticketStatus(b.token)).toMatchObject({ state: 'waiting', ahead: 0 });

    h.service.setLocalOpen(true);
    expect(h.service.ticketStatus(b.token)).toMatchObject({ state: 'offered', port: 0 });
    expect(h.service.takeNumber().ok).toBe(true);
  });

  it('withdraws an offer when closed: the number keeps its place at the head of the queue', () => {
    const h = harness(1);
    const a = h.take();
    const b = h.take();
    expect(h.service.ticketStatus(a.token)?.state).toBe('offered');
    h.service.setLocalOpen(false);
    expect(h.service.ticketStatus(a.token)).toMatchObject({ state: 'waiting', ahead: 0 });
    expect(h.service.ticketStatus(b.token)).toMatchObject({ state: 'waiting', ahead: 1 });
    h.service.setLocalOpen(true);
    expect(h.service.ticketStatus(a.token)?.state).toBe('offered');
  });

  it("the coordinator's off wins over the staff switch", () => {
    const h = harness(1);
    h.service.setPolicy('off');
    h.service.setLocalOpen(true);
    expect(h.service.staffView()).toMatchObject({ open: false, localOpen: true, policy: 'off' });
    expect(h.service.takeNumber()).toEqual({ ok: false, reason: 'off' });
    h.service.setPolicy('budget');
    expect(h.service.takeNumber().ok).toBe(true);
  });

  it('a closure by staff outlasts a restart (SQLite snapshot)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ns-charging-staff-'));
    try {
      const db = new Database(join(dir, 'gw.db'));
      migrate(db, [CHARGING_MIGRATION]);
      const clock = new ManualClock();
      const first = harness(1, new SqliteChargingPersistence(db, () => clock.now()), clock);
      first.take();
      first.service.setLocalOpen(false);
      first.service.stop();
      const second = harness(1, new SqliteChargingPersistence(db, () => clock.now()), clock);
      expect(second.service.staffView()).toMatchObject({ open: false, localOpen: false, waiting: 1 });
      expect(second.service.takeNumber()).toEqual({ ok: false, reason: 'off' });
      second.service.stop();
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows numbers, states and ports, never tokens or holder ids', () => {
    const h = harness(1);
    const r = h.service.takeNumber({ holder: 'card-0042' });
    h.take();
    const view = h.service.staffView();
    expect(view.tickets.map((t) => [t.number, t.state, t.port])).toEqual([
      [1, 'offered', 0],
      [2, 'waiting', null],
    ]);
    expect(view.now).toBe(h.clock.now());
    expect(view.tickets[0]!.until).toBe(h.clock.now() + 10 * MIN);
    expect(view.ports).toEqual([expect.objectContaining({ p: 0, state: 'offered', number: 1 })]);
    expect(view.nowServing).toEqual([1]);
    const text = JSON.stringify(view);
    expect(r.ok && text.includes(r.token)).toBe(false);
    expect(text).not.toContain('card-0042');
    expect(text).not.toMatch(/token|holder/);
  });

  it('skips a no-show: the number is missed and the port goes to the next number now', () => {
    const h = harness(1);
    const a = h.take();
    const b = h.take();
    expect(h.service.skip(b.number)).toBe(false); // waiting, not offered
    expect(h.service.skip(a.number)).toBe(true);
    expect(h.service.ticketStatus(a.token)?.state).toBe('missed');
    expect(h.service.ticketStatus(b.token)).toMatchObject({ state: 'offered', port: 0 });
    expect(h.relays[0]).toBe(true);
    expect(h.service.skip(a.number)).toBe(false);
  });

  it('puts a missed number back in the queue in its place, ahead of higher numbers', () => {
    const h = harness(1);
    const a = h.take();
    const b = h.take();
    const c = h.take();
    h.service.skip(a.number); // b is offered now
    expect(h.service.reoffer(b.number)).toBe(false); // not missed
    expect(h.service.reoffer(a.number)).toBe(true);
    expect(h.service.ticketStatus(a.token)).toMatchObject({ state: 'waiting', ahead: 0 });
    expect(h.service.ticketStatus(c.token)).toMatchObject({ state: 'waiting', ahead: 1 });
    h.service.skip(b.number);
    expect(h.service.ticketStatus(a.token)).toMatchObject({ state: 'offered', port: 0 });
  });

  it('a number missed by the offer timing out can be put back too', () => {
    const h = harness(1);
    const a = h.take();
    h.run(11 * MIN);
    expect(h.service.ticketStatus(a.token)?.state).toBe('missed');
    expect(h.service.reoffer(a.number)).toBe(true);
    expect(h.service.ticketStatus(a.token)?.state).toBe('offered');
  });

  it('hands a phone back: a charging or collected port is freed for the next number at once', () => {
    const h = harness(1);
    const a = h.take();
    const b = h.take();
    expect(h.service.releasePort(0)).toBe(false); // offered, not charging
    h.draw[0] = 1500;
    h.run(2 * MIN);
    expect(h.service.releasePort(0)).toBe(true);
    expect(h.service.ticketStatus(a.token)).toMatchObject({ state: 'ended', end: 'stopped' });
    expect(h.service.ticketStatus(b.token)).toMatchObject({ state: 'offered', port: 0 });
    expect(h.service.releasePort(5)).toBe(false);
  });

  it('frees a port waiting for collection before the collection time is up', () => {
    const h = harness(1);
    const a = h.take();
    h.draw[0] = 1500;
    h.run(2 * MIN);
    h.service.setLocalOpen(false); // session ends: port waits for collection
    h.service.setLocalOpen(true);
    const b = h.take();
    expect(h.service.staffView().ports[0]).toMatchObject({ state: 'done', number: a.number });
    expect(h.service.ticketStatus(b.token)?.state).toBe('waiting');
    expect(h.service.releasePort(0)).toBe(true);
    expect(h.service.ticketStatus(b.token)).toMatchObject({ state: 'offered', port: 0 });
  });
});

