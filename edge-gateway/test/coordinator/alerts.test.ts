import { describe, expect, it } from 'vitest';
import type { AlertEvent, PointSnapshot } from '../../src/coordinator/alerts.js';
import { AlertEngine, AlertError, DEFAULT_RULES, silentAfterMs } from '../../src/coordinator/alerts.js';
import type { PointStatus } from '../../src/protocol/index.js';

const status = (over: Partial<PointStatus> = {}): PointStatus => ({
  v: 1,
  point: 'p1',
  name: 'Punt 1',
  seq: 1,
  ts: 0,
  nodes: [],
  fuel: { litres: 50, pct: 50, status: 'ok' },
  battery: { v: 25, soc: 80, a: 3 },
  visitors: null,
  charging: null,
  alarms: [],
  ...over,
});
const snap = (s: PointStatus | null, silentMs: number | null = 0, link: 'mqtt' | 'lora' = 'mqtt'): PointSnapshot => ({ point: 'p1', status: s, link, silentMs });
const fuelAt = (pct: number) => snap(status({ fuel: { litres: pct / 2, pct, status: 'ok' } }));

function engine() {
  const events: AlertEvent[] = [];
  const e = new AlertEngine(DEFAULT_RULES, (ev) => events.push(ev));
  const of = (type: AlertEvent['type'], rule = 'fuel-low') => events.filter((x) => x.type === type && x.alert.rule === rule);
  return { e, events, of };
}

describe('alert hysteresis (fuel low: raise < 10 % for 30 s, clear > 15 % for 30 s)', () => {
  it('raises only after the delay, and a dip shorter than the delay raises nothing', () => {
    const { e, of } = engine();
    e.evaluate(fuelAt(9), 0);
    e.evaluate(fuelAt(9), 29_000);
    e.evaluate(fuelAt(11), 29_500); // back above: timer restarts
    e.evaluate(fuelAt(9), 30_000);
    e.evaluate(fuelAt(9), 59_000);
    expect(of('raised')).toHaveLength(0);
    e.evaluate(fuelAt(9), 60_000);
    expect(of('raised')).toHaveLength(1);
    expect(of('raised')[0]!.alert).toMatchObject({ point: 'p1', severity: 'critical', state: 'active', value: 9 });
  });

  it('does not flap between 10 and 15 %, clears only above 15 % held for 30 s', () => {
    const { e, of } = engine();
    e.evaluate(fuelAt(8), 0);
    e.evaluate(fuelAt(8), 30_000);
    expect(of('raised')).toHaveLength(1);
    // Hovering between the thresholds for ten minutes: neither clear nor a new raise.
    for (let t = 40_000; t < 640_000; t += 10_000) e.evaluate(fuelAt(t % 20_000 ? 12 : 14.9), t);
    expect(of('cleared')).toHaveLength(0);
    expect(of('raised')).toHaveLength(1);
    e.evaluate(fuelAt(16), 700_000);
    e.evaluate(fuelAt(16), 729_000);
    expect(of('cleared')).toHaveLength(0);
    e.evaluate(fuelAt(16), 730_000);
    expect(of('cleared')).toHaveLength(1);
    // Falling again later raises a new alert.
    e.evaluate(fuelAt(9), 800_000);
    e.evaluate(fuelAt(9), 830_000);
    expect(of('raised').map((x) => x.alert.id)).toHaveLength(2);
  });

  it('holds its state when the reading is missing', () => {
    const { e, of } = engine();
    e.evaluate(fuelAt(5), 0);
    e.evaluate(snap(status({ fuel: null })), 20_000);
    e.evaluate(fuelAt(5), 30_000);
    expect(of('raised')).toHaveLength(1);
  });
});

describe('alert life cycle', () => {
  it('acknowledge, clear, resolve', () => {
    const { e, of } = engine();
    e.evaluate(fuelAt(5), 0);
    e.evaluate(fuelAt(5), 30_000);
    const id = of('raised')[0]!.alert.id;
    expect(() => e.resolve(id, 'op', 31_000)).toThrow(AlertError);
    expect(e.acknowledge(id, 'op', 40_000)).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'op' });
    expect(e.open().map((a) => a.id)).toEqual([id]);
    e.evaluate(fuelAt(20), 50_000);
    e.evaluate(fuelAt(20), 80_000);
    expect(e.open()[0]).toMatchObject({ id, state: 'cleared', clearedAt: 80_000 });
    expect(e.resolve(id, 'op', 90_000)).toMatchObject({ state: 'resolved', resolvedBy: 'op' });
    expect(e.open()).toEqual([]);
    expect(() => e.resolve(id, 'op', 91_000)).toThrow(/already resolved/);
    expect(() => e.acknowledge(999, 'op', 91_000)).toThrow(/no alert 999/);
  });

  it('a forced resolve of an active alert is not raised again until the condition clears', () => {
    const { e, of } = engine();
    e.evaluate(fuelAt(5), 0);
    e.evaluate(fuelAt(5), 30_000);
    const id = of('raised')[0]!.alert.id;
    e.resolve(id, 'op', 40_000, true);
    e.evaluate(fuelAt(5), 100_000);
    expect(of('raised')).toHaveLength(1);
    e.evaluate(fuelAt(50), 110_000);
    e.evaluate(fuelAt(50), 140_000);
    e.evaluate(fuelAt(5), 150_000);
    e.evaluate(fuelAt(5), 180_000);
    expect(of('raised')).toHaveLength(2);
  });
});

describe('other rules', () => {
  it('point silent depends on the link type', () => {
    const { e, of } = engine();
    const t = silentAfterMs('mqtt') + 1;
    e.evaluate(snap(status(), t, 'mqtt'), 0);
    expect(of('raised', 'point-silent')).toHaveLength(1);
    const other = engine();
    other.e.evaluate(snap(status(), t, 'lora'), 0);
    expect(other.of('raised', 'point-silent')).toHaveLength(0);
    other.e.evaluate(snap(status(), silentAfterMs('lora') + 1, 'lora'), 1);
    expect(other.of('raised', 'point-silent')).toHaveLength(1);
    other.e.evaluate(snap(status(), 0, 'lora'), 2);
    expect(other.of('cleared', 'point-silent')).toHaveLength(1);
  });

  it('battery low, sensor fault, charging fault, generator stopped', () => {
    const { e, of } = engine();
    const bad = status({ battery: { v: 23, soc: 15, a: -6 }, alarms: ['fuel-sensor:unplugged', 'charger:failsafe'] });
    for (let t = 0; t <= 5 * 60_000; t += 30_000) e.evaluate(snap(bad), t);
    for (const rule of ['battery-low', 'sensor-fault', 'charging-fault', 'generator-stopped']) expect(of('raised', rule)).toHaveLength(1);
    // A nearly empty tank below the sensor's blind zone is not a sensor fault.
    const blind = engine();
    for (let t = 0; t <= 120_000; t += 30_000) blind.e.evaluate(snap(status({ alarms: ['fuel-sensor:blind'] })), t);
    expect(blind.of('raised', 'sensor-fault')).toHaveLength(0);
  });
});
