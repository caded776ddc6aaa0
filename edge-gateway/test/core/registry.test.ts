import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/bus.js';
import { ManualClock } from '../../src/core/clock.js';
import type { GatewayEvents } from '../../src/core/events.js';
import { NodeRegistry } from '../../src/core/registry.js';
import { Ingest } from '../../src/ingest/index.js';
import type { UplinkMessage } from '../../src/protocol/index.js';
import { Store } from '../../src/store/index.js';
import { battery, charger, fuel, hb } from '../store/fixtures.js';

const MIN = 60_000;

/** Real pipeline: ingest stores and emits, the registry follows the bus. */
function setup(store = Store.open(':memory:'), clock = new ManualClock()) {
  const bus = new EventBus<GatewayEvents>();
  const availability: GatewayEvents['availability'][] = [];
  bus.on('availability', (a) => availability.push(a));
  const ingest = new Ingest({ store, bus, clock, commitIntervalMs: 100, maintenanceIntervalMs: null, sendAck: () => true });
  ingest.start();
  const registry = new NodeRegistry({ bus, clock, store, heartbeatMs: { fuel: MIN, charger: 10_000 }, missedHeartbeats: 3 });
  registry.start();
  const send = (m: UplinkMessage) => {
    ingest.accept(m, 'mqtt', clock.now());
    ingest.flush();
  };
  return { store, bus, clock, ingest, registry, availability, send };
}

describe('node registry', () => {
  it('holds the latest reading per node and type', () => {
    const t = setup();
    t.send(fuel({ node: 'fuel-1', seq: 1 }, 100));
    t.send(fuel({ node: 'fuel-1', seq: 2 }, 90));
    t.send(battery({ node: 'bat-1', seq: 1 }, 24.1));
    expect(t.registry.value('fuel-1', 'fuel', 'litres')).toBe(90);
    expect(t.registry.value('bat-1', 'battery', 'v')).toBe(24.1);
    expect(t.registry.node('fuel-1')).toMatchObject({ id: 'fuel-1', kind: 'fuel', online: true, boot: 1 });
    expect(t.registry.value('fuel-1', 'battery', 'v')).toBeNull();
    expect(t.registry.nodes().map((n) => n.id)).toEqual(['bat-1', 'fuel-1']);
  });

  it('marks a node stale after K missed heartbeats; its values then read as null, never 0', () => {
    const t = setup();
    t.send(hb({ node: 'fuel-1', seq: 1 }, 'fuel', '2.1.0'));
    t.send(fuel({ node: 'fuel-1', seq: 2 }, 0)); // a real 0 while online stays 0
    expect(t.registry.value('fuel-1', 'fuel', 'litres')).toBe(0);
    t.send(fuel({ node: 'fuel-1', seq: 3 }, 42));
    expect(t.availability).toMatchObject([{ node: 'fuel-1', online: true, kind: 'fuel' }]);

    t.clock.advance(3 * MIN - 1);
    expect(t.registry.isOnline('fuel-1')).toBe(true);
    t.clock.advance(1);
    expect(t.registry.isOnline('fuel-1')).toBe(false);
    expect(t.availability.at(-1)).toMatchObject({ node: 'fuel-1', online: false, at: t.clock.now() });
    expect(t.registry.value('fuel-1', 'fuel', 'litres')).toBeNull();
    expect(t.registry.value('fuel-1', 'fuel', 'pct')).toBeNull();
    const r = t.registry.reading('fuel-1', 'fuel');
    expect(r?.body).toBeNull();
    expect(r?.lastKnown.litres).toBe(42);
    expect(t.registry.node('fuel-1')).toMatchObject({ online: false, fw: '2.1.0', readings: { fuel: { body: null } } });

    t.send(hb({ node: 'fuel-1', seq: 4 }, 'fuel'));
    expect(t.registry.isOnline('fuel-1')).toBe(true);
    expect(t.availability.map((a) => a.online)).toEqual([true, false, true]);
    expect(t.registry.value('fuel-1', 'fuel', 'litres')).toBe(42);
  });

  it('uses the heartbeat interval of the node kind, and every message counts as a sign of life', () => {
    const t = setup();
    t.send(hb({ node: 'ch-1', seq: 1 }, 'charger'));
    t.clock.advance(20_000);
    t.send(charger({ node: 'ch-1', seq: 2 }));
    t.clock.advance(29_999);
    expect(t.registry.isOnline('ch-1')).toBe(true);
    t.clock.advance(1);
    expect(t.registry.isOnline('ch-1')).toBe(false);
    // Unknown kind falls back to the default interval (60 s × 3).
    expect(t.registry.staleAfterMs(null)).toBe(3 * MIN);
    expect(t.registry.staleAfterMs('charger')).toBe(30_000);
  });

  it('restores nodes and readings from the store, online only if heard recently enough', () => {
    const store = Store.open(':memory:');
    const clock = new ManualClock();
    const a = setup(store, clock);
    a.send(hb({ node: 'fuel-1', seq: 1 }, 'fuel', '3.0.0'));
    a.send(fuel({ node: 'fuel-1', seq: 2 }, 77));
    a.send(battery({ node: 'bat-1', boot: 4, seq: 9 }, 26));
    clock.advance(2 * MIN);
    a.send(fuel({ node: 'fuel-1', seq: 3 }, 70));
    a.registry.stop();
    a.ingest.stop();

    clock.advance(2 * MIN); // bat-1 last heard 4 min ago (stale), fuel-1 2 min ago (online for 1 more min)
    const b = setup(store, clock);
    expect(b.registry.node('fuel-1')).toMatchObject({ kind: 'fuel', fw: '3.0.0', online: true, lastHeartbeat: { fw: '3.0.0' } });
    expect(b.registry.value('fuel-1', 'fuel', 'litres')).toBe(70);
    expect(b.registry.node('bat-1')).toMatchObject({ kind: 'battery', boot: 4, online: false });
    expect(b.registry.value('bat-1', 'battery', 'v')).toBeNull();
    expect(b.registry.reading('bat-1', 'battery')?.lastKnown.v).toBe(26);
    clock.advance(MIN);
    expect(b.registry.isOnline('fuel-1')).toBe(false);
    expect(b.availability).toMatchObject([{ node: 'fuel-1', online: true }, { node: 'fuel-1', online: false }]);
    b.registry.stop();
    store.close();
  });
});
