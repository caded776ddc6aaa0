// Flashing from the commissioning wizard, against a real simulated board: the battery firmware bundle under
// the Espruino emulation on a socat pty, booted with an outdated version label (scenario firmware.outdated);
// the gateway's real serial link, ingest, store and registry; the simulator's board programmer as flasher.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBundles } from '../../../firmware/test/helpers/bundles.js';
import { EventBus } from '../../src/core/bus.js';
import { SystemClock } from '../../src/core/clock.js';
import type { GatewayEvents } from '../../src/core/events.js';
import { NodeRegistry } from '../../src/core/registry.js';
import { Ingest } from '../../src/ingest/index.js';
import { SerialNodeLink } from '../../src/links/serial/index.js';
import { memoryLogger } from '../../src/log/logger.js';
import type { CommandBody, DownlinkMessage } from '../../src/protocol/index.js';
import { Store } from '../../src/store/index.js';
import { CommissioningService, LinkMonitor, espruinoFlasher, firmwareVersions, serialFlashPorts, type FirmwareFlasher, type FlashPort } from '../../src/commissioning/index.js';
import { CONSOLE_HANDED_OVER, CONSOLE_UNSUPPORTED, handOverConsole, runFlash } from '../../src/commissioning/flash.js';
import { usbConsoleHandoff } from '../../src/commissioning/usb-handoff.js';
import type { Measurement } from '../../src/commissioning/store.js';
import { wizardFlasher } from '../../src/sim/firmware/programmer.js';
import { createSimulation, type Simulation } from '../../src/sim/simulation.js';
import { skipWithout } from '../support/externals.js';
import { until } from '../support/until.js';
import { core, type Core } from './core.js';
import { FakeNode } from './fake-nodes.js';

const noSocat = skipWithout('socat', 'flashing a simulated board over a serial pty');
/** Simulated seconds per real second: the firmware's 30 s heartbeat comes every second. */
const SPEED = 30;
const OLD = '0.0.1+outdated';

describe.skipIf(noSocat)('flashing a node from the wizard (real firmware on a pty)', () => {
  let dir: string;
  let sim: Simulation;
  let store: Store;
  let ingest: Ingest;
  let registry: NodeRegistry;
  let bus: EventBus<GatewayEvents>;
  let link: SerialNodeLink;
  let monitor: LinkMonitor;
  let expected: string;
  const log = memoryLogger();
  let seq = 0;

  const send = (node: string, body: CommandBody): number | null => {
    const msg: DownlinkMessage = { v: 1, node, boot: store.boot, seq: ++seq, ts: Date.now(), type: 'cmd', body };
    return link.send(msg) ? msg.seq : null;
  };
  const svc = (flasher: FirmwareFlasher, reportTimeoutMs = 20_000, over: { serialPort?: (node: string) => FlashPort | null; send?: typeof send; resultTimeoutMs?: number } = {}) =>
    new CommissioningService({
      db: store.db,
      clock: new SystemClock(SPEED),
      log,
      point: { id: 'p1', name: 'Dorpshuis' },
      registry,
      bus,
      links: monitor,
      nodes: [{ id: 'battery-1', kind: 'battery' }],
      send: over.send ?? send,
      ...(over.resultTimeoutMs ? { resultTimeoutMs: over.resultTimeoutMs } : {}),
      expectedFirmware: firmwareVersions(),
      dir: join(dir, 'commissioning'),
      flash: { flasher, serialPort: over.serialPort ?? serialFlashPorts([link]), reportTimeoutMs },
    });
  /** The real port, noting where the board's REPL was when the gateway let go of the line. */
  const watchedPort = (seen: Array<{ console: string | null; frameHandlers: number }>) => (node: string) => {
    const t = serialFlashPorts([link])(node);
    const host = sim.firmwareNodes.get(node)!.host;
    return t && { ...t, release: () => (seen.push({ console: host.consoleDevice, frameHandlers: host.usb.dataHandlers }), t.release()) };
  };

  beforeAll(async () => {
    await ensureBundles();
    dir = mkdtempSync(join(tmpdir(), 'ns-flash-'));
    const clock = new SystemClock(SPEED);
    sim = createSimulation({
      clock,
      firmware: true,
      nodes: [{ id: 'battery-1', kind: 'battery', transport: 'serial' }],
      scenario: { firmware: { outdated: ['battery-1'], outdatedVersion: OLD } },
      serial: { dir: join(dir, 'tty') },
      log: log.child('sim'),
    });
    const [port] = await sim.start();
    store = Store.open(join(dir, 'gateway.db'), { log });
    bus = new EventBus<GatewayEvents>(log);
    registry = new NodeRegistry({ bus, clock, store });
    registry.start();
    ingest = new Ingest({ store, bus, clock, nextSeq: () => ++seq, commitIntervalMs: 5, urgentCommitMs: 5 });
    ingest.start();
    link = new SerialNodeLink({ path: port!.path, clock, log: log.child('serial'), backoff: { initialMs: 50, maxMs: 200 } });
    monitor = new LinkMonitor(() => clock.now());
    monitor.attach(link);
    ingest.attach(link);
    await link.start();
    expected = firmwareVersions()('battery')!;
    expect(expected).toMatch(/\+/);
    await until('the outdated heartbeat', async () => registry.node('battery-1')?.fw === OLD);
  }, 180_000);

  afterAll(async () => {
    await link?.stop();
    monitor?.detach();
    await ingest?.stop();
    registry?.stop();
    store?.close();
    await sim?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the wizard sees the outdated version against the build', () => {
    const s = svc(wizardFlasher());
    s.start('tech');
    const v = s.verifyFirmware('tech');
    expect(v.ok).toBe(false);
    expect(v.value).toEqual({ nodes: [{ id: 'battery-1', kind: 'battery', reported: OLD, expected, match: false }] });
  });

  it('a failed upload is recorded with the tool output, and the link comes back with the old firmware', async () => {
    const s = svc({
      flash: () => Promise.reject(Object.assign(new Error('espruino CLI failed: Prompt not detected - upload failed'), { output: 'Connecting to port\nPrompt not detected - upload failed. Trying to recover...' })),
    });
    const { state, done } = s.flashNode('battery-1', 'tech');
    expect(state).toMatchObject({ node: 'battery-1', kind: 'battery', oldVersion: OLD, expected });
    const m = await done;
    expect(m).toMatchObject({ step: 'nodes', what: 'firmware flash battery-1', ok: false, by: 'tech' });
    expect(m.value).toMatchObject({ oldVersion: OLD, phase: 'uploading', console: CONSOLE_HANDED_OVER, error: expect.stringMatching(/^upload failed: espruino CLI failed/), output: ['Connecting to port', 'Prompt not detected - upload failed. Trying to recover...'] });
    expect(s.flashState()).toMatchObject({ phase: 'failed', ok: false, measurementId: m.id });
    expect(link.released).toBe(false);
    // The node left its UART to the REPL; with no upload it reboots into its firmware (120 s firmware time).
    const heardAt = registry.node('battery-1')!.lastHeartbeatAt!;
    await until('a heartbeat after the failed upload', async () => (registry.node('battery-1')?.lastHeartbeatAt ?? 0) > heardAt);
    expect(registry.node('battery-1')?.fw).toBe(OLD);
    expect(sim.firmwareNodes.get('battery-1')!.host.consoleDevice).toBe('LoopbackA');
  });

  it('a node that does not answer the console command: failed record, port never released, the link keeps working', async () => {
    const uploads: string[] = [];
    // The command is lost on the way (sent with a seq, never delivered): the service's result wait times out.
    const lossy: typeof send = (node, body) => (body.op === 'console' ? ++seq : send(node, body));
    const s = svc({ flash: (req) => (uploads.push(req.port), Promise.resolve({ output: 'Upload Complete' })) }, 20_000, { send: lossy, resultTimeoutMs: 1000 });
    const m = await s.flashNode('battery-1', 'tech').done;
    expect(m.ok).toBe(false);
    expect(m.value).toMatchObject({ phase: 'releasing', console: null, error: 'the node did not hand its USB console to the flasher: no answer from the node' });
    expect(uploads).toEqual([]);
    expect(link.released).toBe(false);
    const results: number[] = [];
    const off = bus.on('result', ({ msg }) => void results.push(msg.body.cmd));
    const ping = send('battery-1', { op: 'ping' });
    await until('the answer to a ping after the failed handoff', async () => results.includes(ping!));
    off();
  }, 30_000);

  it("the CLI's handoff with the service stopped: learns the node's id from its frames, sends the command over the port, leaves the REPL on the line", async () => {
    const host = sim.firmwareNodes.get('battery-1')!.host;
    const boot = registry.node('battery-1')!.boot;
    await link.release();
    try {
      const h = await usbConsoleHandoff({ path: link.path, listenMs: 10_000 });
      expect(h).toMatchObject({ outcome: 'handed-over', node: 'battery-1' });
      expect(host.consoleDevice).toBe('Serial1');
      expect(host.usb.dataHandlers).toBe(0);
      // Now the board sends no frames: a second attempt hears nothing and says so (the upload is tried anyway).
      expect(await usbConsoleHandoff({ path: link.path, listenMs: 1500 })).toMatchObject({ outcome: 'silent', node: null });
      expect(await usbConsoleHandoff({ path: join(dir, 'no-such-tty'), listenMs: 1000 })).toMatchObject({ outcome: 'no-port', detail: expect.stringMatching(/cannot (open|use)/) });
    } finally {
      await link.resume();
    }
    // No upload came: the node reboots into its firmware after its hold time.
    await until('the node back after the hold time', async () => (registry.node('battery-1')?.boot ?? 0) > boot!);
    expect(host.consoleDevice).toBe('LoopbackA');
  }, 40_000);

  it('flashes the build: port released, board programmed, link reopened, new version reported; a command sent meanwhile is delivered', async () => {
    const atRelease: Array<{ console: string | null; frameHandlers: number }> = [];
    const s = svc(wizardFlasher(), 20_000, { serialPort: watchedPort(atRelease) });
    const oldBoot = registry.node('battery-1')!.boot;
    let phases: string[] = [];
    let cmdSeq: number | null = null;
    // Watch the phases, and send a command while the port is released: it waits in the link's queue.
    const watch = setInterval(() => {
      const p = s.flashState()?.phase;
      if (p && phases.at(-1) !== p) phases = [...phases, p];
      if (cmdSeq === null && link.released) cmdSeq = send('battery-1', { op: 'ping' });
    }, 1);
    const results: number[] = [];
    const off = bus.on('result', ({ msg }) => msg.node === 'battery-1' && results.push(msg.body.cmd));
    const { state, done } = s.flashNode('battery-1', 'tech');
    expect(state.phase).toBe('releasing');
    // One upload at a time.
    expect(() => s.flashNode('battery-1', 'tech')).toThrow(/a firmware upload is running/);
    const m: Measurement = await done;
    clearInterval(watch);
    expect(m.ok).toBe(true);
    expect(m.value).toMatchObject({ node: 'battery-1', kind: 'battery', port: link.path, link: link.name, oldVersion: OLD, newVersion: expected, expected, error: null, console: CONSOLE_HANDED_OVER });
    // The console command went first: when the port was let go, the board's REPL was on its USB UART and
    // the firmware no longer read frames there.
    expect(atRelease).toEqual([{ console: 'Serial1', frameHandlers: 0 }]);
    expect(sim.firmwareNodes.get('battery-1')!.host.consoleDevice).toBe('LoopbackA');
    const v = m.value as { durationMs: number; output: string[] };
    expect(v.durationMs).toBeGreaterThan(0);
    expect(v.output.at(-1)).toBe('Upload Complete');
    expect(s.flashState()).toMatchObject({ phase: 'done', ok: true, measurementId: m.id });
    expect(phases).toContain('waiting');
    expect(phases.every((p) => ['releasing', 'uploading', 'reopening', 'waiting', 'done'].includes(p))).toBe(true);
    expect(registry.node('battery-1')?.fw).toBe(expected);
    expect(registry.node('battery-1')?.boot).toBeGreaterThan(oldBoot!);
    expect(sim.firmwareNodes.get('battery-1')?.firmware).toBe(expected);
    // The ping queued while the port was released reached the new firmware and was answered.
    expect(cmdSeq).not.toBeNull();
    await until('the answer to the queued ping', async () => results.includes(cmdSeq!));
    off();
    expect(s.verifyFirmware('tech').ok).toBe(true);
  }, 60_000);

  it('a board that never reports the build after the upload is a failed record naming the timeout', async () => {
    // An upload that "succeeds" but leaves the board as it was: no new boot, so the old heartbeats do not count.
    const s = svc({ flash: () => Promise.resolve({ output: 'Upload Complete' }) }, 2500);
    const m = await s.flashNode('battery-1', 'tech').done;
    expect(m.ok).toBe(false);
    expect(m.value).toMatchObject({ phase: 'waiting', newVersion: null, error: expect.stringMatching(/did not report firmware .* within 3 s \(no heartbeat from a new boot\)/) });
    expect(link.released).toBe(false);
  }, 30_000);
});

describe('flash requests the wizard refuses', () => {
  let c: Core;
  beforeEach(async () => {
    c = await core();
    c.mqtt.add(new FakeNode('fuel-1', 'fuel', '0.9.0+old')).heartbeat();
    c.serial.add(new FakeNode('battery-1', 'battery', '0.9.0+old')).heartbeat();
    await until('heartbeats stored', async () => c.registry.nodes().length === 2);
  });
  afterEach(async () => {
    await c.close();
    rmSync(c.dir, { recursive: true, force: true });
  });

  const never: FirmwareFlasher = { flash: () => new Promise(() => undefined) };

  it('a node on Wi-Fi: connect it by USB; an unknown node; no run; no flasher', async () => {
    const released: string[] = [];
    const svc = c.svc({
      flash: {
        flasher: never,
        serialPort: (node) => (node === 'battery-1' ? { port: '/dev/ttyFAKE0', link: c.serial.name, release: async () => void released.push(node), resume: async () => undefined } : null),
      },
    });
    expect(() => svc.flashNode('fuel-1', 'tech')).toThrow(/no commissioning run/);
    svc.start('tech');
    expect(() => svc.flashNode('fuel-1', 'tech')).toThrow(/fuel-1 is on Wi-Fi \(MQTT\): connect it by USB/);
    expect(() => svc.flashNode('nope-1', 'tech')).toThrow(/unknown node nope-1/);
    expect(released).toEqual([]);
    expect(() => c.svc().flashNode('battery-1', 'tech')).toThrow(/cannot flash firmware/);
    // The serial one starts (and stays in upload with this flasher): a second request is refused.
    const first = svc.flashNode('battery-1', 'tech');
    expect(first.state.port).toBe('/dev/ttyFAKE0');
    expect(() => svc.flashNode('battery-1', 'tech')).toThrow(expect.objectContaining({ status: 409 }));
    // It hands the console over first (the fake node agrees), then releases the port and stays in the upload.
    await until('the upload under way', async () => svc.flashState()?.phase === 'uploading');
    expect(released).toEqual(['battery-1']);
  });

  it('the production flasher (espruino CLI) fails cleanly on a port that is not there, and the link is resumed', async () => {
    await ensureBundles();
    const calls: string[] = [];
    const svc = c.svc({
      expectedFirmware: firmwareVersions(),
      flash: {
        flasher: espruinoFlasher(),
        serialPort: () => ({ port: join(c.dir, 'no-such-tty'), link: c.serial.name, release: async () => void calls.push('release'), resume: async () => void calls.push('resume') }),
      },
    });
    svc.start('tech');
    const m = await svc.flashNode('battery-1', 'tech').done;
    expect(m.ok).toBe(false);
    expect(m.value).toMatchObject({ phase: 'uploading', error: expect.stringMatching(/upload failed: .*(not found|Unable to connect)/) });
    expect((m.value as { output: string[] }).output.join(' ')).toMatch(/not found|Unable to connect/);
    expect(calls).toEqual(['release', 'resume']);
  }, 90_000);
});

describe('the console handoff against firmware from before the console command', () => {
  it('proceeds with the upload and says so in the outcome', async () => {
    const bus = new EventBus<GatewayEvents>(memoryLogger());
    const calls: string[] = [];
    const target: FlashPort = { port: '/dev/ttyFAKE1', link: 'serial:/dev/ttyFAKE1', release: async () => void calls.push('release'), resume: async () => void calls.push('resume') };
    const r = await runFlash({
      node: 'battery-1',
      kind: 'battery',
      expected: '0.2.0+new',
      oldBoot: 5,
      target,
      // What firmware without the handler answers (firmware/src/core/node.ts command()).
      command: async (body) => (calls.push(`cmd ${body.op}`), { ok: false, error: `unsupported op ${body.op}` }),
      flasher: {
        flash: async () => {
          calls.push('flash');
          // The new firmware's first heartbeat, as the ingest reports it once the link is back.
          setTimeout(() => bus.emit('heartbeat', { msg: { v: 1, node: 'battery-1', boot: 6, seq: 1, ts: 0, type: 'hb', body: { kind: 'battery', fw: '0.2.0+new', up: 1, mem: 9000, flags: [], link: 'serial' } }, link: target.link, receivedAt: 0 }), 20);
          return { output: 'Upload Complete' };
        },
      },
      bus,
      log: memoryLogger(),
      reportTimeoutMs: 2000,
      onPhase: () => undefined,
    });
    expect(r).toMatchObject({ ok: true, newVersion: '0.2.0+new', console: CONSOLE_UNSUPPORTED });
    expect(calls).toEqual(['cmd console', 'release', 'flash', 'resume']);
  });

  it('a node that refuses for another reason keeps its port', async () => {
    await expect(handOverConsole(async () => ({ ok: false, error: 'no USB serial link (node on Wi-Fi)' }))).rejects.toThrow(/did not hand its USB console to the flasher: no USB serial link/);
    expect(await handOverConsole(async () => ({ ok: true }), 0)).toBe(CONSOLE_HANDED_OVER);
  });
});
