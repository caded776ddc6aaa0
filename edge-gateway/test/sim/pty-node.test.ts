import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ManualClock } from '../../src/core/clock.js';
import type { Message } from '../../src/protocol/index.js';
import { createSimNode, SerialNodeTransport } from '../../src/sim/nodes/index.js';
import type { ProtocolNode } from '../../src/sim/nodes/index.js';
import { createPtyPair, SocatMissingError, socatAvailable } from '../../src/sim/pty.js';
import type { PtyPair } from '../../src/sim/pty.js';
import { World } from '../../src/sim/world/index.js';
import { ack, advanceGently, cmd, SerialGateway, sleep, until } from './gateway-side.js';

const HAS_SOCAT = socatAvailable();
if (!HAS_SOCAT) console.warn('SKIPPED: simulated serial node tests need socat (Debian package "socat"), which is not on PATH');

describe('createPtyPair without socat', () => {
  it('fails with an error that names socat', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(createPtyPair()).rejects.toThrow(SocatMissingError);
      await expect(createPtyPair()).rejects.toThrow(/socat/);
    } finally {
      process.env.PATH = path;
    }
  });
});

describe.skipIf(!HAS_SOCAT)('simulated node over a real pty pair (socat)', () => {
  let pair: PtyPair;
  let gw: SerialGateway;
  let node: ProtocolNode | null = null;
  let clock: ManualClock;
  let world: World;

  beforeEach(async () => {
    pair = await createPtyPair();
    gw = await SerialGateway.open(pair.gatewayPath);
    clock = new ManualClock(Date.UTC(2026, 0, 1, 9));
    world = new World(clock, { seed: 4, scenario: { visitors: { peakPerHour: 0 } } });
    world.start();
  });

  afterEach(async () => {
    await node?.stop();
    node = null;
    await gw.close();
    await pair.close();
  });

  function startNode(kind: 'battery' | 'charger', opts: { failsafeMs?: number } = {}) {
    node = createSimNode({
      id: `${kind}-1`,
      kind,
      world,
      clock,
      boot: 42,
      retryMs: 5000,
      transport: new SerialNodeTransport({ path: pair.nodePath, bootNoise: true }),
      tuning: { failsafeMs: opts.failsafeMs },
    });
    return node.start().then(() => node!);
  }

  it('creates the pair as links and removes them on close', async () => {
    expect(existsSync(pair.gatewayPath)).toBe(true);
    const other = await createPtyPair();
    expect(other.gatewayPath).not.toBe(pair.gatewayPath);
    await other.close();
    expect(existsSync(other.gatewayPath)).toBe(false);
    expect(existsSync(other.nodePath)).toBe(false);
  });

  it('takes socat down when the owning process is killed without cleanup', async () => {
    const ptyModule = fileURLToPath(new URL('../../src/sim/pty.ts', import.meta.url));
    const script = `import(${JSON.stringify(pathToFileURL(ptyModule).href)}).then(async (m) => { const p = await m.createPtyPair(); console.log(p.gatewayPath); setInterval(() => {}, 1000); });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const linkPath = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    expect(existsSync(linkPath)).toBe(true);
    child.kill('SIGKILL');
    // socat removes its links when it exits: the guard saw stdin close and ended it.
    await until(() => !existsSync(linkPath), 5000, 'socat to exit');
    rmSync(dirname(linkPath), { recursive: true, force: true });
  });

  it('boots with a heartbeat and telemetry, past console noise, with valid envelopes', async () => {
    await startNode('battery');
    const hb = await gw.inbox.next((m) => m.type === 'hb');
    expect(hb).toMatchObject({ v: 1, node: 'battery-1', boot: 42, seq: 1, ts: clock.now(), type: 'hb' });
    expect(hb.body).toEqual({ kind: 'battery', fw: 'sim-0.1', up: 0, mem: null, flags: [], link: 'serial' });
    const tele = await gw.inbox.next((m) => m.type === 'battery');
    expect(tele.seq).toBe(2);
    if (tele.type !== 'battery') throw new Error('unreachable');
    expect(tele.body.status).toBe('ok');
    expect(tele.body.soc).toBeCloseTo(world.truth().battery.soc, 0);
    expect(tele.body.v).toBeCloseTo(world.truth().battery.v, 0);
    // The Espruino-style banner went to the gateway as noise and was skipped.
    expect(gw.parser.stats.noiseBytes).toBeGreaterThan(10);
    expect(gw.parser.stats.corrupt).toBe(0);
    expect(gw.inbox.errors).toEqual([]);
  });

  it('retransmits unacknowledged messages oldest first until acked, with monotonic seq', async () => {
    const n = await startNode('battery');
    await gw.inbox.next((m) => m.seq === 2);
    // No ack: after retryMs both go again, same seq and ts, oldest first.
    clock.advance(5000);
    const r1 = await gw.inbox.next();
    const r2 = await gw.inbox.next();
    expect([r1.seq, r2.seq]).toEqual([1, 2]);
    expect(r1.type).toBe('hb');
    expect(r1.ts).toBe(gw.inbox.messages[0]!.ts);
    expect(n.stats.retransmitted).toBe(2);

    gw.send(ack('battery-1', 42, [1]));
    await until(() => n.unacked === 1, 3000, 'ack of seq 1');
    // Backoff doubles: seq 2 (retried at 5 s) is due again at 15 s. Telemetry seq 3 is new at 10 s and
    // first retried at 15 s. Seq 1 never comes again.
    clock.advance(5000);
    expect((await gw.inbox.next()).seq).toBe(3);
    clock.advance(5000);
    const again = [await gw.inbox.next(), await gw.inbox.next()];
    expect(again.map((m) => m.seq)).toEqual([2, 3]);

    // An ack for another boot is ignored: the serial line is ordered, so once the later ack of seq 2
    // has landed, the earlier wrong-boot ack has been handled too — and seq 3 is still pending.
    gw.send(ack('battery-1', 41, [2, 3]));
    gw.send(ack('battery-1', 42, [2]));
    await until(() => n.unacked < 2, 3000, 'ack of seq 2');
    expect(n.unacked).toBe(1);
    gw.send(ack('battery-1', 42, [3]));
    await until(() => n.unacked === 0, 3000, 'ack of seq 3');
    clock.advance(5_000);
    expect((await gw.inbox.next()).seq).toBe(4);
    await sleep(100);
    expect(gw.inbox.drain()).toEqual([]);
    // seq 1: sent once, retried once, then acked.
    expect(gw.inbox.messages.filter((m) => m.seq === 1)).toHaveLength(2);

    const firstSeen: number[] = [];
    for (const m of gw.inbox.messages) if (!firstSeen.includes(m.seq)) firstSeen.push(m.seq);
    expect(firstSeen).toEqual([1, 2, 3, 4]);
  });

  it('keeps at most ringSize unacked messages, dropping the oldest and flagging it', async () => {
    node = createSimNode({
      id: 'battery-1',
      kind: 'battery',
      world,
      clock,
      boot: 5,
      ringSize: 4,
      retryMs: 600_000,
      transport: new SerialNodeTransport({ path: pair.nodePath }),
    });
    await node.start();
    clock.advance(60_000);
    await gw.inbox.next((m) => m.type === 'hb' && m.seq > 1);
    expect(node.unacked).toBe(4);
    const hb = gw.inbox.messages.filter((m) => m.type === 'hb').at(-1)!;
    if (hb.type !== 'hb') throw new Error('unreachable');
    expect(hb.body.flags).toContain('UNACKED_DROPPED');
  });

  it('charger: executes port commands with results, answers a repeated command without re-executing', async () => {
    gw.autoAck = true;
    await startNode('charger');
    const first = await gw.inbox.next((m) => m.type === 'charger');
    if (first.type !== 'charger') throw new Error('unreachable');
    expect(first.body.failsafe).toBe(false);
    expect(first.body.ports).toHaveLength(8);
    expect(first.body.ports.every((p) => !p.on)).toBe(true);

    world.plugPhone({ port: 2, level: 0.3, fullWh: 20, stayMin: 600 });
    gw.send(cmd('charger-1', { op: 'port', port: 2, on: true }, 500));
    const res = await gw.inbox.next((m) => m.type === 'result');
    expect(res.body).toEqual({ cmd: 500, ok: true });
    const state = await gw.inbox.next((m) => m.type === 'charger');
    if (state.type !== 'charger') throw new Error('unreachable');
    expect(state.body.ports[2]!.on).toBe(true);
    expect(world.truth().ports[2]!.relayOn).toBe(true);
    await until(() => node!.unacked === 0, 3000, 'acks to reach the node');
    clock.advance(10_000);
    const drawing = await gw.inbox.next((m) => m.type === 'charger');
    if (drawing.type !== 'charger') throw new Error('unreachable');
    expect(drawing.body.ports[2]!.mA).toBeGreaterThan(1900);
    expect(drawing.body.ports[2]!.mA).toBeLessThan(2100);

    gw.send(cmd('charger-1', { op: 'port', port: 2, on: false }, 501));
    expect((await gw.inbox.next((m) => m.type === 'result' && m.body.cmd === 501)).body).toEqual({ cmd: 501, ok: true });
    // Command 500 again (its result got lost, say): answered, but the port stays off.
    gw.send(cmd('charger-1', { op: 'port', port: 2, on: true }, 500));
    expect((await gw.inbox.next((m) => m.type === 'result' && m.body.cmd === 500)).body).toEqual({ cmd: 500, ok: true });
    expect(world.truth().ports[2]!.relayOn).toBe(false);

    gw.send(cmd('charger-1', { op: 'port', port: 20, on: true }, 502));
    expect((await gw.inbox.next((m) => m.type === 'result' && m.body.cmd === 502)).body).toMatchObject({ cmd: 502, ok: false, error: 'no port 20' });
    gw.send(cmd('charger-1', { op: 'ping' }, 503));
    expect((await gw.inbox.next((m) => m.type === 'result' && m.body.cmd === 503)).body).toEqual({ cmd: 503, ok: true });
    // Commands for another node are not ours.
    gw.send(cmd('charger-2', { op: 'ping' }, 504));
    await sleep(200);
    expect(gw.inbox.drain().filter((m) => m.type === 'result')).toEqual([]);
  });

  it('charger: switches every port off after gateway silence (failsafe) and clears it when heard again', async () => {
    const n = await startNode('charger', { failsafeMs: 30_000 });
    gw.send(cmd('charger-1', { op: 'port', port: 0, on: true }, 600));
    gw.send(cmd('charger-1', { op: 'port', port: 1, on: true }, 601));
    await gw.inbox.next((m) => m.type === 'result' && m.body.cmd === 601);
    expect(world.truth().ports.filter((p) => p.relayOn).map((p) => p.p)).toEqual([0, 1]);

    await advanceGently(clock, 29_000);
    expect(world.truth().ports[0]!.relayOn).toBe(true);
    await advanceGently(clock, 2_000);
    const off = await gw.inbox.next((m) => m.type === 'charger' && m.body.failsafe);
    if (off.type !== 'charger') throw new Error('unreachable');
    expect(off.body.ports.every((p) => !p.on)).toBe(true);
    expect(world.truth().ports.every((p) => !p.relayOn)).toBe(true);
    await advanceGently(clock, 60_000);
    const hb = await gw.inbox.next((m) => m.type === 'hb' && m.seq > 1);
    if (hb.type !== 'hb') throw new Error('unreachable');
    expect(hb.body.flags).toContain('FAILSAFE');

    gw.send(ack('charger-1', n.boot, [1]));
    const back = await gw.inbox.next((m) => m.type === 'charger' && !m.body.failsafe && m.seq > off.seq);
    if (back.type !== 'charger') throw new Error('unreachable');
    // Ports stay off until the gateway commands them again.
    expect(back.body.ports.every((p) => !p.on)).toBe(true);
  });

  it('reboot command: result first, then a new boot with seq restarting and relays off', async () => {
    const n = await startNode('charger');
    gw.send(cmd('charger-1', { op: 'port', port: 3, on: true }, 700));
    await gw.inbox.next((m) => m.type === 'result' && m.body.cmd === 700);
    gw.send(cmd('charger-1', { op: 'reboot' }, 701));
    const res = await gw.inbox.next((m) => m.type === 'result' && m.body.cmd === 701);
    expect(res.body).toEqual({ cmd: 701, ok: true });
    gw.send(ack('charger-1', 42, [...new Set(gw.inbox.messages.map((m) => m.seq))]));
    await until(() => n.unacked === 0, 3000, 'ack of everything incl. the result');
    clock.advance(100);
    const hb: Message = await gw.inbox.next((m) => m.type === 'hb' && m.boot !== 42);
    expect(hb.boot).toBeGreaterThan(42);
    expect(hb.seq).toBe(1);
    if (hb.type !== 'hb') throw new Error('unreachable');
    expect(hb.body.up).toBe(0);
    expect(world.truth().ports[3]!.relayOn).toBe(false);
  });
});
