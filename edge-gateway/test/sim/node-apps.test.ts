// The sensing side of the simulated nodes against the world's hardware, without any transport.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { createNodeApp, UnackedRing } from '../../src/sim/nodes/index.js';
import type { NodeAppContext } from '../../src/sim/nodes/index.js';
import { World } from '../../src/sim/world/index.js';
import type { ScenarioInput } from '../../src/sim/world/index.js';

function setup(scenario: ScenarioInput = {}) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 9));
  const world = new World(clock, { seed: 8, scenario: { visitors: { peakPerHour: 0 }, ...scenario } });
  world.start();
  let requests = 0;
  const ctx: NodeAppContext = { clock, log: silentLogger, requestTelemetry: () => requests++ };
  return { clock, world, ctx, requests: () => requests };
}

describe('fuel node app', () => {
  it('reports litres near the truth, blind when overfull, unplugged without echo, and refuelling while the level rises', () => {
    const { clock, world } = setup({ generator: { initialFuelL: 30 } });
    const app = createNodeApp('fuel', world);
    const ok = app.read();
    if (app.kind !== 'fuel' || !('litres' in ok)) throw new Error('unreachable');
    expect(ok.status).toBe('ok');
    expect(ok.litres!).toBeCloseTo(30, 0);
    expect(ok.pct!).toBeCloseTo(50, 0);
    expect(ok.refuelling).toBe(false);

    world.refuel(10);
    clock.advance(30_000);
    const rising = app.read();
    if (!('refuelling' in rising)) throw new Error('unreachable');
    expect(rising.refuelling).toBe(true);
    expect(rising.litres!).toBeGreaterThan(32);

    world.refuel(30);
    clock.advance(5 * 60_000);
    expect(app.read()).toMatchObject({ status: 'blind', litres: null, pct: null });

    world.setSensorPlugged('fuel', false);
    expect(app.read()).toEqual({ litres: null, pct: null, rawMm: null, status: 'unplugged', refuelling: false });
  });
});

describe('battery node app', () => {
  it('reports voltage, current, SoC and time-to-go while discharging; fault when the monitor is gone', () => {
    const { clock, world } = setup({ battery: { initialSoc: 60 } });
    clock.advance(60_000);
    const app = createNodeApp('battery', world);
    const body = app.read();
    if (!('soc' in body)) throw new Error('unreachable');
    const truth = world.truth().battery;
    expect(body.status).toBe('ok');
    expect(body.soc!).toBeCloseTo(truth.soc, 1);
    expect(body.v!).toBeCloseTo(truth.v, 1);
    expect(body.a!).toBeLessThan(0);
    // Day load ≈ 54 W through the inverter ≈ 1.1 A: 60 Ah lasts about 54 h.
    const expected = ((truth.soc / 100) * 100 * 60) / -truth.a;
    expect(body.ttgMin!).toBeGreaterThan(expected * 0.9);
    expect(body.ttgMin!).toBeLessThan(expected * 1.1);
    expect(body.ttgMin!).toBeGreaterThan(45 * 60);
    world.setSensorPlugged('battery', false);
    expect(app.read()).toEqual({ v: null, a: null, soc: null, status: 'fault' });
  });
});

describe('visitors node app', () => {
  it('counts sensed crossings, floors inside at 0, asks for telemetry on change, resets by config', () => {
    const { world, ctx, requests } = setup();
    const app = createNodeApp('visitors', world);
    app.start(ctx);
    world.admitVisitors(1, 1);
    world.admitVisitors(1, 1);
    expect(app.read()).toEqual({ entries: 2, exits: 0, inside: 2 });
    expect(requests()).toBe(2);
    app.command!({ op: 'config', set: { reset: true } });
    expect(app.read()).toEqual({ entries: 0, exits: 0, inside: 0 });
  });

  it('inside never goes negative when exits outnumber sensed entries', () => {
    const { clock, world, ctx } = setup();
    const app = createNodeApp('visitors', world);
    app.start(ctx);
    world.setSensorPlugged('doors', false);
    world.admitVisitors(1, 5);
    world.setSensorPlugged('doors', true);
    clock.advance(6 * 60_000);
    expect(app.read()).toEqual({ entries: 0, exits: 1, inside: 0 });
  });
});

describe('charger node app', () => {
  it('reports a sensor fault per port when current sensing is gone', () => {
    const { world, ctx } = setup();
    const app = createNodeApp('charger', world);
    app.start(ctx);
    world.setSensorPlugged('ports', false);
    const body = app.read();
    if (!('ports' in body)) throw new Error('unreachable');
    expect(body.ports[0]).toEqual({ p: 0, on: false, mA: null, fault: 'sensor' });
  });
});

describe('unacked ring', () => {
  it('drops the oldest when full and returns due messages oldest first', () => {
    const ring = new UnackedRing(3);
    for (let seq = 1; seq <= 5; seq++) ring.add({ seq, json: String(seq), sentAt: seq === 4 ? 1000 : null, sentWall: seq === 4 ? 100 : null, tries: 0 });
    expect(ring.dropped).toBe(2);
    expect(ring.all().map((m) => m.seq)).toEqual([3, 4, 5]);
    expect(ring.due(2000, 5000, 8).map((m) => m.seq)).toEqual([3, 5]);
    expect(ring.due(7000, 5000, 2).map((m) => m.seq)).toEqual([3, 4]);
    // Clock time has passed but not enough wall time for an ack to come back: not yet due.
    expect(ring.due(7000, 5000, 8, { wallNow: 500, retryWallMs: 1000 }).map((m) => m.seq)).toEqual([3, 5]);
    expect(ring.due(7000, 5000, 8, { wallNow: 1100, retryWallMs: 1000 }).map((m) => m.seq)).toEqual([3, 4, 5]);
    // Backoff doubles per try, capped.
    const item = ring.all()[1]!;
    item.tries = 3;
    expect(ring.due(1000 + 19_999, 5000, 8, { maxRetryMs: 60_000 }).map((m) => m.seq)).toEqual([3, 5]);
    expect(ring.due(1000 + 20_000, 5000, 8, { maxRetryMs: 60_000 }).map((m) => m.seq)).toEqual([3, 4, 5]);
    expect(ring.due(1000 + 8_000, 5000, 8, { maxRetryMs: 8_000 }).map((m) => m.seq)).toEqual([3, 4, 5]);
    expect(ring.ack([4, 9])).toBe(1);
    expect(ring.has(4)).toBe(false);
  });
});
