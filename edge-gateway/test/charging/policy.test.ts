import { describe, expect, it } from 'vitest';
import { chargingConfig } from '../../src/charging/config.js';
import { detect, newDetector } from '../../src/charging/detector.js';
import { batteryAllows, portsAllowed, resumeOrder, shedOrder, shedStage, withinLimit } from '../../src/charging/policy.js';
import { powerView, registryPowerInputs } from '../../src/charging/power.js';
import { EventBus } from '../../src/core/bus.js';
import { ManualClock } from '../../src/core/clock.js';
import type { GatewayEvents } from '../../src/core/events.js';
import { NodeRegistry } from '../../src/core/registry.js';
import { EXAMPLE_POWER_CONFIG, loadPowerConfig, toPowerSystem } from '../../../hardware/src/power-config.js';

const cfg = chargingConfig({ enabled: true, ports: 8, portW: 12, reserveHours: 24, reducedBelowHours: 36 });

describe('shedding stage', () => {
  it('goes normal → reduced → off as the hours of critical load left fall', () => {
    expect(shedStage(100, cfg)).toBe('normal');
    expect(shedStage(30, cfg)).toBe('reduced');
    expect(shedStage(20, cfg)).toBe('off');
  });
  it('treats unknown energy as off', () => {
    expect(shedStage(null, cfg)).toBe('off');
    expect(shedStage(Number.NaN, cfg)).toBe('off');
  });
  it('needs a margin to climb back a stage (no flapping on a jumpy fuel reading)', () => {
    expect(shedStage(24.5, cfg, 'off')).toBe('off');
    expect(shedStage(26.5, cfg, 'off')).toBe('reduced');
    expect(shedStage(36.5, cfg, 'reduced')).toBe('reduced');
    expect(shedStage(38.5, cfg, 'reduced')).toBe('normal');
    // Going down needs no margin.
    expect(shedStage(35.9, cfg, 'normal')).toBe('reduced');
  });
});

describe('ports allowed', () => {
  it('counts every active port at its full rating and halves the budget when reduced', () => {
    expect(portsAllowed(60, 'normal', cfg)).toBe(5);
    expect(portsAllowed(59.9, 'normal', cfg)).toBe(4);
    expect(portsAllowed(60, 'reduced', cfg)).toBe(2);
    expect(portsAllowed(1000, 'off', cfg)).toBe(0);
    expect(portsAllowed(1000, 'normal', cfg)).toBe(8);
    expect(portsAllowed(1000, 'normal', cfg, 6)).toBe(6);
    expect(portsAllowed(-5, 'normal', cfg)).toBe(0);
  });
  it('allows battery-only charging above the SoC floor, resuming only above floor + hysteresis', () => {
    expect(batteryAllows(55, 50, true)).toBe(true);
    expect(batteryAllows(49, 50, true)).toBe(false);
    expect(batteryAllows(52, 50, false)).toBe(false);
    expect(batteryAllows(56, 50, false)).toBe(true);
    expect(batteryAllows(null, 50, true)).toBe(false);
    expect(batteryAllows(90, null, true)).toBe(false);
  });
});

describe('fairness', () => {
  it('sheds offers first, then served sessions by most energy, then the rest', () => {
    const order = shedOrder([
      { port: 0, kind: 'charging', wh: 2, since: 0 },
      { port: 1, kind: 'charging', wh: 7, since: 0 },
      { port: 2, kind: 'offered', wh: 0, since: 5 },
      { port: 3, kind: 'charging', wh: 9, since: 0 },
      { port: 4, kind: 'charging', wh: 4, since: 0 },
      { port: 5, kind: 'offered', wh: 0, since: 9 },
    ]);
    expect(order).toEqual([5, 2, 3, 1, 4, 0]);
  });
  it('resumes the paused session with least energy first', () => {
    expect(resumeOrder([{ port: 0, wh: 6, since: 1 }, { port: 1, wh: 1, since: 5 }, { port: 2, wh: 1, since: 2 }])).toEqual([2, 1, 0]);
  });
  it('limits session starts per number and period', () => {
    const limit = { sessions: 2, periodHours: 24 };
    const h = 3_600_000;
    expect(withinLimit([], 0, limit)).toBe(true);
    expect(withinLimit([10 * h], 20 * h, limit)).toBe(true);
    expect(withinLimit([10 * h, 12 * h], 20 * h, limit)).toBe(false);
    expect(withinLimit([10 * h, 12 * h], 35 * h, limit)).toBe(true);
  });
});

describe('phone detection from port current', () => {
  const det = cfg.detection;
  const feed = (values: number[]) => {
    const d = newDetector();
    return values.map((v) => detect(d, v, det));
  };
  it('sees a charging phone taper to full', () => {
    expect(feed([2000, 1900, 900, 140, 120])).toEqual(['charging', 'charging', 'charging', 'charging', 'full']);
    expect(feed([1800, 300, 20, 10])).toEqual(['charging', 'charging', 'charging', 'full']);
  });
  it('sees an unplug as a drop from a high draw', () => {
    expect(feed([2000, 2000, 5, 3])).toEqual(['charging', 'charging', 'charging', 'unplugged']);
  });
  it('ignores a single low sample', () => {
    expect(feed([2000, 5, 2000, 2000])).toEqual(['charging', 'charging', 'charging', 'charging']);
  });
  it('calls a port that never drew unplugged, not full', () => {
    expect(feed([3, 2])).toEqual(['charging', 'unplugged']);
  });
});

describe('power budget through the power model', () => {
  const system = toPowerSystem(loadPowerConfig(EXAMPLE_POWER_CONFIG));
  it('gives the ports what the generator leaves after the critical loads and the battery refill', () => {
    const v = powerView(system, { generatorRunning: true, fuelL: 40, soc: 80 }, cfg, false);
    expect(v.availableW).toBeGreaterThan(0);
    expect(v.availableW).toBeLessThanOrEqual(8 * 12);
    expect(v.hoursLeft).toBeGreaterThan(24);
  });
  it('keeps the configured reserve when it exceeds the model loads', () => {
    const small = powerView(system, { generatorRunning: true, fuelL: 40, soc: 80 }, { ...cfg, ports: 32, reserveW: 0 }, false);
    const big = powerView(system, { generatorRunning: true, fuelL: 40, soc: 80 }, { ...cfg, ports: 32, reserveW: 300 }, false);
    expect(big.criticalW).toBe(300);
    expect(big.availableW).toBeLessThan(small.availableW);
  });
  it('gives nothing on battery unless allowed, and nothing when the state is unknown', () => {
    expect(powerView(system, { generatorRunning: false, fuelL: 40, soc: 90 }, cfg, false).availableW).toBe(0);
    expect(powerView(system, { generatorRunning: false, fuelL: 40, soc: 90 }, cfg, true).availableW).toBe(96);
    const unknown = powerView(system, { generatorRunning: null, fuelL: null, soc: null }, cfg, true);
    expect(unknown.availableW).toBe(0);
    expect(unknown.hoursLeft).toBeNull();
  });
  it('reads the power state from the registry: generator running = battery charging; stale = unknown', () => {
    const bus = new EventBus<GatewayEvents>();
    const clock = new ManualClock();
    const registry = new NodeRegistry({ bus, clock, defaultHeartbeatMs: 60_000 });
    registry.start();
    const inputs = registryPowerInputs(registry, { battery: 'bat-1', fuel: 'fuel-1' });
    expect(inputs()).toEqual({ generatorRunning: null, fuelL: null, soc: null });
    const now = clock.now();
    bus.emit('reading', { msg: { v: 1, node: 'bat-1', boot: 1, seq: 1, ts: now, type: 'battery', body: { v: 13.4, a: 12, soc: 77, status: 'ok' } }, link: 't', receivedAt: now });
    bus.emit('reading', { msg: { v: 1, node: 'fuel-1', boot: 1, seq: 1, ts: now, type: 'fuel', body: { litres: 31, pct: 50, rawMm: 300, status: 'ok', refuelling: false } }, link: 't', receivedAt: now });
    expect(inputs()).toEqual({ generatorRunning: true, fuelL: 31, soc: 77 });
    clock.advance(10 * 60_000);
    expect(inputs()).toEqual({ generatorRunning: null, fuelL: null, soc: null });
    registry.stop();
  });
});
