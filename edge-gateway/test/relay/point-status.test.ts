// The status a point sends its coordinator, built from the real ingest → registry pipeline; it must validate
// against the protocol schema the coordinator checks it with.
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/bus.js';
import { ManualClock } from '../../src/core/clock.js';
import type { GatewayEvents } from '../../src/core/events.js';
import { NodeRegistry } from '../../src/core/registry.js';
import { Ingest } from '../../src/ingest/index.js';
import { PointStatusSchema } from '../../src/protocol/index.js';
import { buildPointStatus } from '../../src/relay/point-status.js';
import { Store } from '../../src/store/index.js';
import { fuel } from '../store/fixtures.js';

function registryWithFuel(litres: number) {
  const store = Store.open(':memory:');
  const clock = new ManualClock(1_700_000_000_000);
  const bus = new EventBus<GatewayEvents>();
  const ingest = new Ingest({ store, bus, clock, commitIntervalMs: 100, maintenanceIntervalMs: null, sendAck: () => true });
  ingest.start();
  const registry = new NodeRegistry({ bus, clock, store, heartbeatMs: { fuel: 60_000 }, missedHeartbeats: 3 });
  registry.start();
  ingest.accept(fuel({ node: 'fuel-1', seq: 1 }, litres), 'mqtt', clock.now());
  ingest.flush();
  return { registry, clock, close: () => (registry.stop(), ingest.stop(), store.close()) };
}

describe('point status for the coordinator', () => {
  it('carries the point location when configured, and validates against the schema', () => {
    const t = registryWithFuel(30);
    try {
      const withLoc = buildPointStatus({ id: 'p1', name: 'Punt', location: { lat: 52.09, lon: 5.11 } }, t.registry, t.clock.now(), 1);
      expect(PointStatusSchema.parse(withLoc)).toMatchObject({ point: 'p1', location: { lat: 52.09, lon: 5.11 }, fuel: { litres: 30 } });
      const without = buildPointStatus({ id: 'p1', name: 'Punt' }, t.registry, t.clock.now(), 2);
      expect('location' in PointStatusSchema.parse(without)).toBe(false);
      // a location outside the globe is refused by the coordinator's schema
      expect(() => PointStatusSchema.parse({ ...withLoc, location: { lat: 95, lon: 5 } })).toThrow();
    } finally {
      t.close();
    }
  });
});
