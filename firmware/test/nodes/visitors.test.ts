import { describe, it, expect, beforeAll } from 'vitest';
import type { ManualClock } from '../../../edge-gateway/src/core/clock.js';
import { loadPinMap } from '../../../hardware/src/pins.js';
import type { EspruinoHost } from '../../host/runtime.js';
import { HostStorage } from '../../host/storage.js';
import { ensureBundles } from '../helpers/bundles.js';
import { bootNode } from '../helpers/gateway.js';
import type { SerialGateway } from '../helpers/gateway.js';

const PINS = loadPinMap('visitors').pins;
const A = PINS.beamA!.gpio;
const B = PINS.beamB!.gpio;

/** Steps like 'A+ 150 B+ 150 A- 150 B-': beam broken (+) or clear (-), then wait ms. */
function walk(host: EspruinoHost, clock: ManualClock, steps: string): void {
  for (const tok of steps.trim().split(/\s+/)) {
    if (/^\d+$/.test(tok)) clock.advance(Number(tok));
    else host.pins.setInput(tok[0] === 'A' ? A : B, tok[1] === '+');
  }
  clock.advance(200);
}

const ENTRY = 'A+ 150 B+ 150 A- 150 B-';
const EXIT = 'B+ 150 A+ 150 B- 150 A-';

function boot(storage?: HostStorage): { host: EspruinoHost; clock: ManualClock; gw: SerialGateway } {
  const r = bootNode('visitors', storage ? { storage } : {});
  return r;
}

function start(storage?: HostStorage) {
  const r = boot(storage);
  // Beams intact: receivers see their emitters (low).
  r.host.pins.setInput(A, false);
  r.host.pins.setInput(B, false);
  r.clock.advance(2000);
  return r;
}

function latestCounts(gw: SerialGateway) {
  const v = gw.of('visitors');
  return v[v.length - 1]?.body;
}

describe('visitors node (real bundle, virtual time)', () => {
  beforeAll(async () => {
    await ensureBundles();
  }, 120_000);

  it('boots and sends a heartbeat and its totals that the gateway accepts', () => {
    const { host, gw } = start();
    expect(gw.invalid).toEqual([]);
    expect(host.errors).toEqual([]);
    const hb = gw.of('hb');
    expect(hb[0]!.body).toMatchObject({ kind: 'visitors', link: 'serial', flags: [] });
    expect(hb[0]!.body.fw).toMatch(/^0\.1\.0\+[0-9a-f]{8}$/);
    expect(latestCounts(gw)).toEqual({ entries: 0, exits: 0, inside: 0 });
    host.shutdown();
  });

  it('counts entries and exits from beam order, reports totals', () => {
    const { host, clock, gw } = start();
    walk(host, clock, ENTRY);
    walk(host, clock, ENTRY);
    walk(host, clock, EXIT);
    clock.advance(6000);
    expect(latestCounts(gw)).toEqual({ entries: 2, exits: 1, inside: 1 });
    expect(host.errors).toEqual([]);
    expect(gw.invalid).toEqual([]);
    host.shutdown();
  });

  it('does not count half crossings, hand-waving or a single beam', () => {
    const { host, clock, gw } = start();
    walk(host, clock, 'A+ 150 B+ 150 B- 150 A-'); // stepped in, backed out
    walk(host, clock, 'B+ 150 A+ 150 A- 150 B-'); // stepped out, came back in
    walk(host, clock, 'A+ 30 B+ 30 A- 30 B-'); // hand waved through both beams in 90 ms
    walk(host, clock, 'A+ 300 A-'); // only the outer beam
    walk(host, clock, 'A+ 5 A- 5 A+ 5 A- 5 A+ 5 A-'); // bouncing contact within the debounce
    clock.advance(6000);
    expect(latestCounts(gw)).toEqual({ entries: 0, exits: 0, inside: 0 });
    const counter = host.evaluate('JSON.stringify(node.kind)');
    expect(counter).toBe('"visitors"');
    host.shutdown();
  });

  it('a group walking close together undercounts (one crossing), never overcounts', () => {
    const { host, clock, gw } = start();
    // Second person breaks A while the first is still in B: the beams are never both clear in between.
    walk(host, clock, 'A+ 150 B+ 150 A- 100 A+ 100 B- 50 B+ 150 A- 150 B-');
    clock.advance(6000);
    expect(latestCounts(gw)).toEqual({ entries: 1, exits: 0, inside: 1 });
    host.shutdown();
  });

  it('counts survive a reboot, and flash writes stay bounded', () => {
    const storage = new HostStorage();
    const first = start(storage);
    const writesAtBoot = storage.writes;
    // 120 people over 10 minutes: one every 5 s.
    for (let i = 0; i < 120; i++) {
      walk(first.host, first.clock, ENTRY);
      first.clock.advance(4400);
    }
    // At most one counts write per minute (plus nothing else recurring).
    expect(storage.writes - writesAtBoot).toBeLessThanOrEqual(11);
    first.gw.send({ type: 'cmd', node: 'visitors', body: { op: 'reboot' } });
    first.clock.advance(2000);
    expect(first.host.reboots.map((r) => r.reason)).toEqual(['command']);
    expect(first.host.boots).toBe(2);
    first.clock.advance(3000);
    expect(latestCounts(first.gw)).toEqual({ entries: 120, exits: 0, inside: 120 });
    const hbs = first.gw.of('hb');
    expect(hbs[hbs.length - 1]!.boot).toBe(hbs[0]!.boot + 1);
    first.host.shutdown();
  });

  it('retransmits unacknowledged telemetry until the gateway acks it: nothing lost', () => {
    const { host, clock, gw } = start();
    gw.acking = false;
    for (let i = 0; i < 5; i++) {
      walk(host, clock, ENTRY);
      clock.advance(6000);
    }
    const sentWhileDown = gw.of('visitors').map((m) => m.seq);
    // Retries wait longer than the gateway's 30 s group commit, so a slow ack is not mistaken for a loss.
    clock.advance(60_000);
    const withRetries = gw.of('visitors').map((m) => m.seq);
    // Same messages again (same seq), not new ones.
    expect(withRetries.length).toBeGreaterThan(sentWhileDown.length);
    expect(new Set(withRetries)).toEqual(new Set(sentWhileDown));
    gw.acking = true;
    clock.advance(90_000);
    const delivered = new Set(gw.of('visitors').map((m) => m.seq));
    for (const s of sentWhileDown) expect(delivered.has(s)).toBe(true);
    // Drained: once acked, no more resends.
    const count = gw.of('visitors').length;
    clock.advance(60_000);
    expect(gw.of('visitors').length).toBe(count);
    host.shutdown();
  });

  it('config over the link is validated and kept in Storage', () => {
    const storage = new HostStorage();
    const { host, clock, gw } = start(storage);
    const ok = gw.send({ type: 'cmd', node: 'visitors', body: { op: 'config', set: { minDwellMs: 500 } } });
    const bad = gw.send({ type: 'cmd', node: 'visitors', body: { op: 'config', set: { minDwelMs: 500 } } });
    const wrongType = gw.send({ type: 'cmd', node: 'visitors', body: { op: 'config', set: { minDwellMs: 'x' } } });
    clock.advance(1000);
    const results = gw.of('result').map((r) => r.body);
    expect(results).toEqual([
      { cmd: ok, ok: true },
      { cmd: bad, ok: false, error: 'bad key minDwelMs' },
      { cmd: wrongType, ok: false, error: 'bad key minDwellMs' },
    ]);
    // Only what differs from the defaults is written.
    expect(storage.readJSON('ns.cfg')).toEqual({ minDwellMs: 500 });
    // Takes effect at once: a 400 ms crossing is now too short.
    walk(host, clock, 'A+ 130 B+ 130 A- 130 B-');
    clock.advance(6000);
    expect(latestCounts(gw)).toEqual({ entries: 0, exits: 0, inside: 0 });
    host.shutdown();
    // And after a reboot, from Storage.
    const again = start(storage);
    expect(again.host.evaluate('node.cfg.values.minDwellMs')).toBe(500);
    again.host.shutdown();
  });

  it('reports a beam blocked for over a minute as BEAM_STUCK, and clears it', () => {
    const { host, clock, gw } = start();
    host.pins.setInput(A, true);
    clock.advance(95_000);
    const flags = gw.of('hb').map((h) => h.body.flags);
    expect(flags[flags.length - 1]).toContain('BEAM_STUCK');
    host.pins.setInput(A, false);
    clock.advance(31_000);
    const after = gw.of('hb').map((h) => h.body.flags);
    expect(after[after.length - 1]).not.toContain('BEAM_STUCK');
    // The stuck beam's release is not a crossing.
    expect(latestCounts(gw)).toEqual({ entries: 0, exits: 0, inside: 0 });
    host.shutdown();
  });

  it('kicks the watchdog while healthy; an unhealthy node stops kicking and is rebooted by it', () => {
    const { host, clock } = start();
    clock.advance(120_000);
    expect(host.reboots).toEqual([]);
    expect(host.watchdog!.kicks).toBeGreaterThan(20);
    host.freeVarsOverride = 50; // a leak: below the node's healthy minimum
    clock.advance(30_000);
    expect(host.reboots.map((r) => r.reason)).toEqual(['watchdog']);
    host.shutdown();
  });

  it("reports Espruino's error flags in the next heartbeat, once", () => {
    const { host, clock, gw } = start();
    host.raiseErrorFlag('BUFFER_FULL');
    clock.advance(31_000);
    const flags = gw.of('hb').map((h) => h.body.flags);
    expect(flags.at(-1)).toContain('BUFFER_FULL');
    clock.advance(30_000);
    expect(gw.of('hb').at(-1)!.body.flags).not.toContain('BUFFER_FULL');
    expect(gw.of('hb').at(-1)!.body.mem).toBeGreaterThan(10_000);
    host.shutdown();
  });
});
