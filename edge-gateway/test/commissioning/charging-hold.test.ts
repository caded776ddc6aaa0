// The port test must not be undone by the charging service: a port the technician took out of service
// (disablePort) and switched on stays on, however long the service keeps ticking; back in service, the
// service switches it off again. Real ChargingService, charger node played by the test.
import { describe, expect, it } from 'vitest';
import { chargingConfig } from '../../src/charging/config.js';
import { ChargingService } from '../../src/charging/service.js';
import { MemoryChargingPersistence } from '../../src/charging/types.js';
import { EventBus } from '../../src/core/bus.js';
import { ManualClock } from '../../src/core/clock.js';
import type { GatewayEvents } from '../../src/core/events.js';
import { EXAMPLE_POWER_CONFIG, loadPowerConfig, toPowerSystem } from '../../../hardware/src/power-config.js';

describe('charging service and a port under test', () => {
  it('leaves a disabled port as the technician switched it, and takes it back when re-enabled', () => {
    const clock = new ManualClock();
    const config = chargingConfig({ enabled: true, ports: 2, tickS: 30 });
    const bus = new EventBus<GatewayEvents>();
    const relays = [false, false];
    const service = new ChargingService({
      config,
      bus,
      clock,
      persistence: new MemoryChargingPersistence(),
      power: { system: toPowerSystem(loadPowerConfig(EXAMPLE_POWER_CONFIG)), inputs: () => ({ generatorRunning: true, fuelL: 50, soc: 90 }) },
      sendCommand: (_node, cmd) => {
        if (cmd.op === 'port') relays[cmd.port] = cmd.on;
        return true;
      },
    });
    let seq = 0;
    const report = () => {
      const now = clock.now();
      const body = { ports: relays.map((on, p) => ({ p, on, mA: on ? 900 : 0, fault: null })), failsafe: false };
      bus.emit('reading', { msg: { v: 1, node: config.node, boot: 1, seq: ++seq, ts: now, type: 'charger', body }, link: 'test', receivedAt: now });
    };
    service.start();
    report();
    expect(service.disablePort(0)).toBe(true);
    relays[0] = true; // the commissioning wizard's own `port` command
    for (let i = 0; i < 20; i++) {
      clock.advance(30_000);
      report();
    }
    expect(relays[0]).toBe(true);
    // The charger drops off and comes back (its relays are re-asserted): the port under test is left alone.
    bus.emit('availability', { node: config.node, online: false, kind: 'charger', lastSeen: clock.now(), at: clock.now() });
    bus.emit('availability', { node: config.node, online: true, kind: 'charger', lastSeen: clock.now(), at: clock.now() });
    report();
    expect(relays[0]).toBe(true);
    expect(service.status().ports[0]?.state).toBe('disabled');
    service.enablePort(0);
    for (let i = 0; i < 6; i++) {
      clock.advance(30_000);
      report();
    }
    expect(relays[0]).toBe(false);
    service.stop();
  });
});
