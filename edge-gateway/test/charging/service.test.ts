import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { chargingConfig } from '../../src/charging/config.js';
import type { ChargingConfigInput } from '../../src/charging/config.js';
import type { PowerInputs } from '../../src/charging/power.js';
import { STAGE_CLIMB_HOLD_MS } from '../../src/charging/policy.js';
import { ChargingService } from '../../src/charging/service.js';
import type { PortCommand } from '../../src/charging/service.js';
import { SqliteChargingPersistence, withChargingMigration } from '../../src/charging/store.js';
import type { ChargingAlert, ChargingPersistence } from '../../src/charging/types.js';
import { MemoryChargingPersistence } from '../../src/charging/types.js';
import { EventBus } from '../../src/core/bus.js';
import { ManualClock } from '../../src/core/clock.js';
import type { GatewayEvents } from '../../src/core/events.js';
import { MIGRATIONS, migrate } from '../../src/store/index.js';
import { EXAMPLE_POWER_CONFIG, loadPowerConfig, toPowerSystem } from '../../../hardware/src/power-config.js';

const MIN = 60_000;
const system = toPowerSystem(loadPowerConfig(EXAMPLE_POWER_CONFIG));

/** A charger node played by the test: relays follow commands; the test sets what each port draws. */
function harness(cfgIn: ChargingConfigInput = {}, persistence: ChargingPersistence = new MemoryChargingPersistence(), clock = new ManualClock()) {
  const config = chargingConfig({ enabled: true, ports: 4, sessionMinutes: 60, offerMinutes: 10, collectMinutes: 10, tickS: 30, ...cfgIn });
  const bus = new EventBus<GatewayEvents>();
  const relays = new Array<boolean>(config.ports).fill(false);
  const draw = new Array<number>(config.ports).fill(0);
  const commands: PortCommand[] = [];
  const alerts: ChargingAlert[] = [];
  let linkUp = true;
  let power: PowerInputs = { generatorRunning: true, fuelL: 50, soc: 90 };
  const service = new ChargingService({
    config,
    bus,
    clock,
    persistence,
    power: { system, inputs: () => power },
    sendCommand: (node, cmd) => {
      if (!linkUp || node !== config.node) return false;
      commands.push(cmd);
      relays[cmd.port] = cmd.on;
      return true;
    },
    onAlert: (a) => alerts.push(a),
  });
  let seq = 0;
  const report = (over: Partial<Record<number, { on?: boolean; mA?: number | null; fault?: 'overcurrent' | 'stuck-on' | 'sensor' }>> = {}) => {
    const now = clock.now();
    const ports = relays.map((on, p) => ({ p, on: over[p]?.on ?? on, mA: over[p]?.mA !== undefined ? (over[p]?.mA ?? null) : on ? draw[p]! : 0, fault: over[p]?.fault ?? null }));
    bus.emit('reading', { msg: { v: 1, node: config.node, boot: 1, seq: ++seq, ts: now, type: 'charger', body: { ports, failsafe: false } }, link: 'test', receivedAt: now });
  };
  /** Advances time in 30 s steps, reporting after each. */
  const run = (ms: number, over?: Parameters<typeof report>[0]) => {
    for (let t = 0; t < ms; t += 30_000) {
      clock.advance(30_000);
      report(over);
    }
  };
  return {
    config, bus, clock, service, relays, draw, commands, alerts, persistence, report, run,
    setPower: (p: PowerInputs) => (power = p),
    setLink: (up: boolean) => (linkUp = up),
    port: (p: number) => service.status().ports[p]!,
  };
}

function started(h: ReturnType<typeof harness>) {
  h.service.start();
  h.report(); // the charger speaks: it is online
  return h;
}

describe('charging service: queue and sessions', () => {
  it('offers a free port to the next number, sees the phone plugged, charging and time-boxed', () => {
    const h = started(harness());
    const a = h.service.takeNumber();
    expect(a.ok).toBe(true);
    if (!a.ok) return;
    expect(h.service.ticketStatus(a.token)).toMatchObject({ number: 1, state: 'offered', port: 0, msLeft: 10 * MIN });
    expect(h.relays[0]).toBe(true); // on with the offer, so plugging in shows as current
    h.draw[0] = 2000;
    h.run(MIN);
    expect(h.port(0).state).toBe('charging');
    expect(h.service.ticketStatus(a.token)?.state).toBe('charging');
    h.run(60 * MIN);
    h.service.tick();
    const st = h.service.ticketStatus(a.token);
    expect(st).toMatchObject({ state: 'ended', end: 'timeout', port: 0 });
    // 2 A at 5 V for the 60-minute time box: 10 Wh.
    expect(st?.wh).toBeGreaterThan(9.9);
    expect(st?.wh).toBeLessThan(10.2);
    expect(h.relays[0]).toBe(false);
    expect(h.port(0).state).toBe('done');
    h.clock.advance(10 * MIN);
    h.service.tick();
    expect(h.port(0).state).toBe('free');
  });

  it('ends a session when the phone is full (taper) and when it is unplugged', () => {
    const h = started(harness());
    const a = h.service.takeNumber();
    const b = h.service.takeNumber();
    if (!a.ok || !b.ok) throw new Error('numbers refused');
    h.draw[0] = 1500;
    h.draw[1] = 2000;
    h.run(5 * MIN);
    h.draw[0] = 100; // tapering phone
    h.draw[1] = 0; // pulled out
    h.run(2 * MIN);
    expect(h.service.ticketStatus(a.token)).toMatchObject({ state: 'ended', end: 'full' });
    expect(h.service.ticketStatus(b.token)).toMatchObject({ state: 'ended', end: 'unplugged' });
    expect(h.port(0).state).toBe('done'); // owner collects
    expect(h.port(1).state).toBe('free'); // already gone
  });

  it('lets an unanswered offer expire and offers the port to the next number, in order', () => {
    const h = started(harness({ ports: 1 }));
    const nums = [h.service.takeNumber(), h.service.takeNumber(), h.service.takeNumber()];
    if (!nums.every((n) => n.ok)) throw new Error('numbers refused');
    expect(h.service.board()).toMatchObject({ nowServing: [1], queueLength: 2, freePorts: 0 });
    h.run(10 * MIN);
    h.service.tick();
    const [a, b, c] = nums.map((n) => (n.ok ? h.service.ticketStatus(n.token) : null));
    expect(a?.state).toBe('missed');
    expect(b).toMatchObject({ state: 'offered', port: 0 });
    expect(c).toMatchObject({ state: 'waiting', ahead: 0 });
  });

  it('limits numbers per holder and period without storing the holder id', () => {
    const h = started(harness({ perNumberLimit: { sessions: 1, periodHours: 24 } }));
    const a = h.service.takeNumber({ holder: 'card-123' });
    expect(a.ok).toBe(true);
    expect(h.service.takeNumber({ holder: 'card-123' })).toEqual({ ok: false, reason: 'limit' });
    expect(h.service.takeNumber({ holder: 'card-456' }).ok).toBe(true);
    expect(JSON.stringify((h.persistence as MemoryChargingPersistence).snapshot)).not.toContain('card-123');
    h.clock.advance(25 * 3_600_000);
    h.service.tick();
    expect(h.service.takeNumber({ holder: 'card-123' }).ok).toBe(true);
  });

  it('refuses numbers for lack of power and when the coordinator switches charging off', () => {
    const h = started(harness());
    h.setPower({ generatorRunning: false, fuelL: 0, soc: 20 });
    h.service.tick();
    expect(h.service.takeNumber()).toEqual({ ok: false, reason: 'no-power' });
    h.setPower({ generatorRunning: true, fuelL: 50, soc: 90 });
    h.service.setPolicy('off');
    expect(h.service.takeNumber()).toEqual({ ok: false, reason: 'off' });
    h.service.setPolicy('budget');
    const t = h.service.takeNumber();
    expect(t.ok).toBe(true);
    h.draw[0] = 2000;
    h.run(MIN);
    // Switching off ends the running session so its owner collects the phone.
    h.service.setPolicy('off');
    expect(t.ok && h.service.ticketStatus(t.token)).toMatchObject({ state: 'ended', end: 'stopped' });
    expect(h.relays[0]).toBe(false);
    expect(h.service.coordinatorSummary()).toMatchObject({ policy: 'off', stage: 'off', portsAllowed: 0, active: 0, sessionsToday: 1, refusedNoPowerToday: 1 });
    const ev = h.service.evidence(0, Infinity);
    expect(ev.reduce((s, x) => s + x.refusedNoPower, 0)).toBe(1);
    expect(ev.reduce((s, x) => s + x.refusedOther, 0)).toBe(1);
  });
});

describe('charging service: power budget', () => {
  it('sheds offers before sessions, and the session with most energy first; resumes when power returns', () => {
    const h = started(harness({ ports: 4, offerMinutes: 30, batteryMinSoc: null }));
    const t = [1, 2, 3].map(() => h.service.takeNumber());
    h.draw[0] = 2000;
    h.run(10 * MIN); // number 1 charges ~3.3 Wh
    h.draw[1] = 2000;
    h.run(2 * MIN); // number 2 has little; number 3 still only offered (port 2)
    expect(h.port(2).state).toBe('offered');
    // Generator stops, battery may not feed phones: nothing may run.
    h.setPower({ generatorRunning: false, fuelL: 50, soc: 90 });
    const before = h.commands.length;
    h.service.tick();
    expect(h.relays).toEqual([false, false, false, false]);
    // Switch-off order: the offer (port 2), then number 1 (most energy, port 0), then number 2 (port 1).
    expect(h.commands.slice(before)).toEqual([2, 0, 1].map((port) => ({ op: 'port', port, on: false })));
    expect(h.port(0)).toMatchObject({ state: 'charging', paused: true });
    const recs = (h.persistence as MemoryChargingPersistence).rows.filter((r) => r.kind === 'withdrawn');
    expect(recs.map((r) => (r.kind === 'withdrawn' ? r.number : 0))).toEqual([3]);
    h.setPower({ generatorRunning: true, fuelL: 50, soc: 90 });
    h.service.tick();
    expect(h.relays.slice(0, 3)).toEqual([true, true, true]);
    expect(t.every((x) => x.ok)).toBe(true);
  });

  it('drops at once when the fuel reading goes missing, and climbs back only after the reading held for a while', () => {
    const h = started(harness({ ports: 4, batteryMinSoc: null }));
    const t = h.service.takeNumber();
    h.draw[0] = 2000;
    h.run(MIN);
    expect(h.service.status()).toMatchObject({ stage: 'normal' });
    const stages = () => (h.persistence as MemoryChargingPersistence).rows.flatMap((r) => (r.kind === 'stage' ? [r.stage] : []));
    const before = stages().length;
    // The fuel node flickers: stale (unknown, read as empty: only the battery's hours) every other half minute.
    for (let i = 0; i < 8; i++) {
      h.setPower({ generatorRunning: true, fuelL: i % 2 === 0 ? null : 50, soc: 90 });
      h.run(30_000);
    }
    expect(stages().slice(before)).toEqual(['off']);
    expect(h.port(0)).toMatchObject({ state: 'charging', paused: true });
    // Steady again: back once, after the hold, not before.
    h.setPower({ generatorRunning: true, fuelL: 50, soc: 90 });
    h.run(STAGE_CLIMB_HOLD_MS - MIN);
    expect(h.service.status()).toMatchObject({ stage: 'off' });
    h.run(2 * MIN);
    expect(stages().slice(before)).toEqual(['off', 'normal']);
    expect(h.port(0)).toMatchObject({ state: 'charging', paused: false });
    expect(t.ok && h.service.ticketStatus(t.token)).toMatchObject({ state: 'charging' });
  });

  it('starts, and reopens after staff closed it, without waiting', () => {
    const h = started(harness({ ports: 4 }));
    expect(h.service.status()).toMatchObject({ stage: 'normal' });
    h.service.setPolicy('off');
    expect(h.service.status()).toMatchObject({ stage: 'off' });
    h.service.setPolicy('budget');
    expect(h.service.status()).toMatchObject({ stage: 'normal' });
  });

  it('never lets more ports run than the budget allows', () => {
    // Example point: the 420 W mains charger minus 150 W battery refill minus a 250 W reserve leaves 20 W
    // on the bus, 18 W at the ports: one 12 W port.
    const h = started(harness({ ports: 4, reserveW: 250 }));
    for (let i = 0; i < 4; i++) h.service.takeNumber();
    expect(h.service.status()).toMatchObject({ portsAllowed: 1, active: 1, queueLength: 3 });
    expect(h.relays.filter(Boolean).length).toBe(1);
  });
});

describe('charging service: faults', () => {
  it('isolates an over-current port, alerts the technician, and keeps the others charging', () => {
    const h = started(harness());
    const t = [h.service.takeNumber(), h.service.takeNumber(), h.service.takeNumber()];
    h.draw[0] = 2000;
    h.draw[1] = 2000;
    h.run(2 * MIN);
    h.draw[1] = 3400;
    h.run(MIN);
    expect(h.port(1)).toMatchObject({ state: 'fault', fault: 'overcurrent' });
    expect(h.relays[1]).toBe(false);
    expect(h.alerts.map((a) => [a.port, a.fault])).toEqual([[1, 'overcurrent']]);
    expect(h.port(0).state).toBe('charging');
    expect(t[1]!.ok && h.service.ticketStatus(t[1]!.token)?.end).toBe('fault');
    // The faulty port is not offered again until a technician re-enables it.
    for (let i = 0; i < 3; i++) h.service.takeNumber();
    expect(h.port(1).state).toBe('fault');
    expect(h.service.enablePort(1)).toBe(true);
    expect(h.port(1).state).toBe('offered');
  });

  it('detects a relay stuck on and a sensor disagreeing with the relay', () => {
    const h = started(harness());
    h.run(3 * MIN, { 2: { on: true, mA: 900 } }); // port 2 never commanded on, yet on and drawing
    expect(h.port(2)).toMatchObject({ state: 'fault', fault: 'stuck-on' });
    h.run(MIN, { 3: { on: false, mA: 500 } }); // relay says off, current flows
    expect(h.port(3)).toMatchObject({ state: 'fault', fault: 'sensor' });
    h.report({ 0: { fault: 'overcurrent' } }); // the node's own verdict
    expect(h.port(0)).toMatchObject({ state: 'fault', fault: 'overcurrent' });
    expect(h.alerts.map((a) => a.fault)).toEqual(['stuck-on', 'sensor', 'overcurrent']);
  });

  it('pauses everything while the charger node is offline and sends nothing; resumes when it returns', () => {
    const h = started(harness());
    const a = h.service.takeNumber();
    const b = h.service.takeNumber();
    if (!a.ok || !b.ok) throw new Error('refused');
    h.draw[0] = 2000;
    h.run(2 * MIN); // number 1 charging, number 2 offered on port 1
    const now = h.clock.now();
    h.setLink(false);
    h.bus.emit('availability', { node: h.config.node, online: false, kind: 'charger', lastSeen: now, at: now });
    expect(h.service.ticketStatus(a.token)).toMatchObject({ state: 'charging', paused: true });
    expect(h.service.ticketStatus(b.token)).toMatchObject({ state: 'waiting', ahead: 0 });
    expect(h.service.board()).toMatchObject({ chargerOnline: false, freePorts: 0 });
    expect(h.alerts.map((x) => x.fault)).toEqual(['charger-offline']);
    const sent = h.commands.length;
    h.clock.advance(10 * MIN);
    h.service.tick();
    h.service.takeNumber();
    expect(h.commands.length).toBe(sent);
    // Node back (after its failsafe switched all relays off).
    h.relays.fill(false);
    h.setLink(true);
    h.report();
    expect(h.relays[0]).toBe(true);
    expect(h.service.ticketStatus(a.token)).toMatchObject({ state: 'charging', paused: false });
    expect(h.service.ticketStatus(b.token)?.state).toBe('offered');
  });
});

describe('charging service: persistence', () => {
  it('survives a restart through SQLite: numbers continue, sessions resume paused until the charger speaks', () => {
    const db = new Database(':memory:');
    migrate(db, withChargingMigration(MIGRATIONS));
    const clock = new ManualClock();
    const p1 = new SqliteChargingPersistence(db, () => clock.now());
    const h1 = started(harness({}, p1, clock));
    const a = h1.service.takeNumber();
    h1.service.takeNumber();
    h1.draw[0] = 2000;
    h1.run(5 * MIN);
    h1.service.stop();
    if (!a.ok) throw new Error('refused');

    const h2 = harness({}, new SqliteChargingPersistence(db, () => clock.now()), clock);
    h2.service.start();
    expect(h2.service.ticketStatus(a.token)).toMatchObject({ number: 1, state: 'charging', paused: true });
    h2.draw[0] = 2000;
    h2.report();
    expect(h2.service.ticketStatus(a.token)).toMatchObject({ state: 'charging', paused: false });
    const c = h2.service.takeNumber();
    expect(c.ok && c.number).toBe(3);
    expect(h2.service.evidence(0, Infinity).reduce((s, x) => s + x.numbersTaken, 0)).toBe(3);
    h2.service.stop();
    db.close();
  });
});
