// `{op:'console'}`: a serial node answers, then hands the USB UART back to Espruino's REPL (for the espruino
// CLI) and stops its framed protocol there; a node on Wi-Fi refuses. Real bundle under the host emulation.
import { describe, it, expect, beforeAll } from 'vitest';
import { FakeINA226 } from '../../host/devices/ina226.js';
import { HostStorage } from '../../host/storage.js';
import { ensureBundles } from '../helpers/bundles.js';
import { bootNode } from '../helpers/gateway.js';

describe("{op:'console'} hands the USB UART to the REPL (real bundle, virtual time)", () => {
  beforeAll(async () => {
    await ensureBundles();
  }, 120_000);

  it('a serial node answers first, then moves the console to Serial1 and stops framing; it reboots into the firmware if no upload comes', () => {
    const { host, clock, gw } = bootNode('battery', {}, (h) => h.i2c.attach(0x40, new FakeINA226(0.00075)));
    clock.advance(1000);
    // At boot the firmware moved the REPL off the UART (Espruino echoes the move on the old console).
    expect(host.consoleDevice).toBe('LoopbackA');
    expect(host.usb.written).toContain('-> LoopbackA\r\n');
    expect(host.usb.dataHandlers).toBe(1);
    const node = gw.of('hb')[0]!.node;

    const seq = gw.send({ type: 'cmd', node, body: { op: 'console' } });
    clock.advance(50);
    expect(gw.of('result').find((r) => r.body.cmd === seq)?.body).toEqual({ cmd: seq, ok: true });
    // The result went out while the UART still carried frames only.
    expect(host.consoleDevice).toBe('LoopbackA');
    clock.advance(300);
    expect(host.consoleDevice).toBe('Serial1');
    expect(host.consoleForced).toBe(true);
    expect(host.usb.written.endsWith('<- LoopbackA\r\n')).toBe(true);
    expect(host.usb.dataHandlers).toBe(0);

    // What comes in now reaches the REPL, not the frame reader: a ping frame goes unanswered.
    const heard = gw.messages.length;
    const ping = gw.send({ type: 'cmd', node, body: { op: 'ping' } });
    host.usb.inject('\x03');
    clock.advance(60_000);
    expect(host.replInput).toContain('"op":"ping"');
    expect(host.replInput.endsWith('\x03')).toBe(true);
    // No heartbeats, telemetry or resends interleave with the CLI's session.
    expect(gw.messages.length).toBe(heard);
    expect(gw.of('result').some((r) => r.body.cmd === ping)).toBe(false);

    // No upload replaced the code: the node reboots into its firmware and talks frames again.
    clock.advance(61_000);
    expect(host.reboots.map((r) => r.reason)).toEqual(['command']);
    expect(host.consoleDevice).toBe('LoopbackA');
    clock.advance(1000);
    expect(gw.messages.length).toBeGreaterThan(heard);
    expect(gw.invalid).toEqual([]);
    expect(host.errors).toEqual([]);
    host.shutdown();
  });

  it('a node on Wi-Fi answers an error and keeps its console where it is', () => {
    const storage = new HostStorage();
    storage.writeJSON('ns.cfg', { id: 'battery-9', link: 'mqtt', ssid: 'x', pass: '', mqttHost: '127.0.0.1', mqttPort: 1 });
    const { host, clock } = bootNode('battery', { storage }, (h) => h.i2c.attach(0x40, new FakeINA226(0.00075)));
    clock.advance(1000);
    // The command as the MQTT client hands it over (no broker here: the result waits in the ring).
    const cmd = { v: 1, node: 'battery-9', boot: 1, seq: 7, ts: 0, type: 'cmd', body: { op: 'console' } };
    host.evaluate(`node.uplink.receive(${JSON.stringify(JSON.stringify(cmd))})`);
    const items = host.evaluate('node.uplink.ring.items') as Array<{ json: string }>;
    const result = items.map((i) => JSON.parse(i.json) as { type: string; body: { cmd: number; ok: boolean; error?: string } }).find((m) => m.type === 'result');
    expect(result?.body).toEqual({ cmd: 7, ok: false, error: expect.stringMatching(/Wi-Fi/) });
    clock.advance(1000);
    expect(host.consoleDevice).toBe('LoopbackA');
    expect(host.replInput).toBe('');
    host.shutdown();
  });

  it('the emulated E.setConsole takes names, Serial objects and null, and refuses anything else', () => {
    const { host, clock } = bootNode('battery', {}, (h) => h.i2c.attach(0x40, new FakeINA226(0.00075)));
    clock.advance(100);
    host.evaluate("E.setConsole('Serial1')");
    expect(host.consoleDevice).toBe('Serial1');
    expect(host.consoleForced).toBe(false);
    host.evaluate('E.setConsole(null)');
    expect(host.consoleDevice).toBeNull();
    expect(host.evaluate('E.getConsole()')).toBeNull();
    expect(() => host.evaluate('E.setConsole({})')).toThrow(/Unknown device/);
    host.evaluate('E.setConsole(LoopbackA, {force: true})');
    expect(host.consoleDevice).toBe('LoopbackA');
    host.shutdown();
  });
});
