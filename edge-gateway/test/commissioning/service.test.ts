// The commissioning service on the gateway's real core (SQLite store, ingest, bus, registry) with fake
// nodes on a fake serial link and a fake MQTT link that answer commands like the firmware.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/log/logger.js';
import { LogRing, teeLogger } from '../../src/commissioning/index.js';
import type { CommissioningReport } from '../../src/commissioning/report.js';
import { loadSteps } from '../../src/commissioning/steps.js';
import { until } from '../support/until.js';
import { FakeNode } from './fake-nodes.js';
import { core, FW, type Core } from './core.js';

describe('commissioning service', () => {
  let c: Core;
  let fuel: FakeNode;
  let battery: FakeNode;
  let charger: FakeNode;
  let stray: FakeNode;

  beforeEach(async () => {
    c = await core();
    fuel = c.mqtt.add(new FakeNode('fuel-1', 'fuel', FW.fuel!, { table: '0:0,100:10', depthMm: 600 }));
    battery = c.serial.add(new FakeNode('battery-1', 'battery', '0.9.0+old'));
    charger = c.mqtt.add(new FakeNode('charger-1', 'charger', FW.charger!));
    stray = c.serial.add(new FakeNode('visitors-9', 'visitors', FW.visitors!));
    for (const n of [fuel, battery, charger, stray]) n.heartbeat();
    battery.heartbeat(['LOW_MEMORY']);
    await until('heartbeats stored', async () => c.registry.nodes().length === 4 && c.registry.node('battery-1')?.lastHeartbeat?.flags.length === 1);
  });

  afterEach(async () => {
    await c.close();
    rmSync(c.dir, { recursive: true, force: true });
  });

  it('persists a run: verdicts survive a new service on the same database (a gateway restart)', async () => {
    const svc = c.svc();
    expect(svc.current()).toBeNull();
    const v = svc.start('tech-anna');
    expect(v.steps.map((s) => s.step)).toEqual(loadSteps().map((s) => s.id));
    svc.decide('site', 'passed', null, 'tech-anna');
    expect(() => svc.decide('hotspot', 'skipped', '  ', 'tech-anna')).toThrow(/reason/);
    svc.decide('hotspot', 'skipped', 'no Wi-Fi module fitted', 'tech-anna');
    expect(() => svc.decide('no-such-step', 'passed', null, 'tech-anna')).toThrow(/unknown step/);

    const again = c.svc();
    const resumed = again.current();
    expect(resumed?.run.id).toBe(v.run.id);
    expect(again.start('tech-bob').run.id).toBe(v.run.id);
    expect(resumed?.steps.find((s) => s.step === 'site')).toMatchObject({ status: 'passed', decidedBy: 'tech-anna' });
    expect(resumed?.steps.find((s) => s.step === 'hotspot')).toMatchObject({ status: 'skipped', note: 'no Wi-Fi module fitted' });
  });

  it('discovers nodes with the link they came over, firmware, heartbeat, and a node that is not configured', async () => {
    const svc = c.svc();
    svc.start('tech');
    const d = svc.discover();
    const byId = Object.fromEntries(d.nodes.map((n) => [n.id, n]));
    expect(byId['fuel-1']).toMatchObject({ link: 'mqtt', online: true, fw: FW.fuel, expected: true });
    expect(byId['battery-1']).toMatchObject({ link: 'serial:/dev/ttyFAKE0', fw: '0.9.0+old' });
    expect(byId['battery-1']?.heartbeat?.flags).toEqual(['LOW_MEMORY']);
    expect(byId['battery-1']?.heartbeat?.mem).toBe(4200);
    expect(d.unexpected).toEqual(['visitors-9']);
    expect(d.missing).toEqual(['visitors-1']);
    const m = svc.recordDiscovery('tech');
    expect(m.ok).toBe(false);
    expect(m.step).toBe('nodes');
  });

  it('verifies firmware against the build: an old node does not match', () => {
    const svc = c.svc();
    svc.start('tech');
    const m = svc.verifyFirmware('tech');
    const rows = (m.value as { nodes: { id: string; match: boolean; reported: string | null; expected: string | null }[] }).nodes;
    expect(rows.find((r) => r.id === 'battery-1')).toMatchObject({ match: false, reported: '0.9.0+old', expected: FW.battery });
    expect(rows.find((r) => r.id === 'fuel-1')).toMatchObject({ match: true });
    expect(m.ok).toBe(false);
  });

  it('sets node config over the link and records the node\'s answer; passwords are not recorded', async () => {
    const svc = c.svc();
    svc.start('tech');
    const ok = await svc.configureNode('battery-1', { hbSec: 20 }, 'tech');
    expect(ok.ok).toBe(true);
    expect(battery.config.hbSec).toBe(20);
    const bad = await svc.configureNode('battery-1', { nonsense: 1 }, 'tech');
    expect(bad).toMatchObject({ ok: false, value: { error: 'bad key nonsense' } });
    const gone = await svc.configureNode('nobody-7', { hbSec: 20 }, 'tech');
    expect(gone).toMatchObject({ ok: false, value: { error: 'no link reaches this node now' } });
    battery.config.pass = '';
    const secret = await svc.configureNode('battery-1', { pass: 'wifi-secret' }, 'tech');
    expect(secret.ok).toBe(true);
    expect(JSON.stringify(svc.current()?.measurements)).not.toContain('wifi-secret');
  });

  it('calibrates the fuel tank with a shape table and verifies the next reading', async () => {
    const svc = c.svc();
    svc.start('tech');
    await expect(svc.calibrateFuel('fuel-1', 600, [{ mm: 100, litres: 10 }, { mm: 200, litres: 5 }], 'tech')).rejects.toThrow(/rise/);
    const m = await svc.calibrateFuel('fuel-1', 600, [{ mm: 0, litres: 0 }, { mm: 200, litres: 60 }, { mm: 500, litres: 200 }], 'tech');
    expect(m.ok).toBe(true);
    expect(fuel.config).toMatchObject({ table: '0:0,200:60,500:200', depthMm: 600 });
    expect(svc.fuelCheck('fuel-1', 'tech')).toEqual({ waiting: true });
    fuel.rawMm = 250; // 350 mm of fuel → 60 + 150/300 × 140 = 130 l
    fuel.reportFuel();
    const check = await until('fuel reading after calibration', async () => {
      const r = svc.fuelCheck('fuel-1', 'tech');
      return 'waiting' in r ? null : r;
    });
    expect(check.ok).toBe(true);
    expect(check.value).toMatchObject({ heightMm: 350, reportedLitres: 130, expectedLitres: 130 });
  });

  it('tests a charging port out of the charging service\'s hands and records the measured current', async () => {
    const svc = c.svc();
    svc.start('tech');
    const on = await svc.portOn(0);
    expect(on).toMatchObject({ node: 'charger-1', ok: true });
    expect(c.charging.disabled.has(0)).toBe(true);
    const r = await until('fresh port reading', async () => (svc.portReading(0).fresh ? svc.portReading(0) : null));
    expect(r).toMatchObject({ on: true, mA: 1800 });
    const m = await svc.portOff(0, true, 'tech');
    expect(m).toMatchObject({ step: 'charging', what: 'port 1', ok: true, value: { measuredMa: 1800, technicianConfirmed: true, switchedOff: true } });
    expect(charger.ports[0]?.on).toBe(false);
    expect(c.charging.calls).toEqual(['disable 0', 'enable 0']);
    // A port the technician did not confirm is recorded as not ok.
    await svc.portOn(1);
    await until('port 1 reading', async () => svc.portReading(1).fresh);
    expect((await svc.portOff(1, false, 'tech')).ok).toBe(false);
    await expect(svc.portOn(5)).rejects.toThrow(/2 ports/);
  });

  // The board test pattern on the panel: board-test.test.ts.
  it('joins LoRa', async () => {
    let joins = 0;
    const svc = c.svc({
      lora: { join: async () => void joins++, linkCheck: async () => ({ ok: true, marginDb: 18, gateways: 2, rssi: -97, snr: 6, dr: 5 }), status: () => ({ ready: true, frames: 0 }) },
    });
    svc.start('tech');
    // Join, then the link check (lora-link-check.test.ts covers its verdicts).
    const l = await svc.loraCheck('tech');
    expect(l).toMatchObject({ what: 'link check', ok: true, value: { joined: true, ready: true, marginDb: 18, gateways: 2 } });
    expect(joins).toBe(1);
    const linkCheck = () => Promise.reject(new Error('not reached'));
    const failing = c.svc({ lora: { join: () => Promise.reject(new Error('JOIN FAILED')), linkCheck, status: () => ({ ready: false }) } });
    expect(await failing.loraCheck('tech')).toMatchObject({ ok: false, value: { joined: false, error: 'JOIN FAILED' } });
  });

  it('saves a report with every step, measured value and who did it, as JSON and Markdown', async () => {
    const svc = c.svc();
    svc.start('tech-anna');
    await svc.portOn(0);
    await until('port reading', async () => svc.portReading(0).fresh);
    await svc.portOff(0, true, 'tech-anna');
    svc.measure('battery', 'tech-anna');
    expect(() => svc.finish('tech-anna')).toThrow(/still open/);
    for (const s of svc.steps) svc.decide(s.id, s.id === 'lora' ? 'skipped' : 'passed', s.id === 'lora' ? 'no coverage yet' : null, 'tech-anna');
    const { run, report } = svc.finish('tech-anna');
    expect(run.finishedBy).toBe('tech-anna');
    expect(report.summary).toMatchObject({ passed: svc.steps.length - 1, skipped: 1, open: 0 });
    const charging = report.steps.find((s) => s.step === 'charging');
    expect(charging?.measurements[0]).toMatchObject({ by: 'tech-anna', value: { measuredMa: 1800 } });
    const onDisk = JSON.parse(readFileSync(join(c.dir, 'commissioning', `report-${run.id}.json`), 'utf8')) as CommissioningReport;
    expect(onDisk.steps.find((s) => s.step === 'charging')?.measurements[0]?.value).toMatchObject({ measuredMa: 1800 });
    const md = readFileSync(join(c.dir, 'commissioning', `report-${run.id}.md`), 'utf8');
    expect(md).toContain('"measuredMa": 1800');
    expect(md).toContain('| skipped | no coverage yet | tech-anna |');
    expect(svc.report(run.id)?.run.finishedAt).toBe(run.finishedAt);
    expect(svc.current()).toBeNull();
    expect(existsSync(join(c.dir, 'commissioning', `report-${run.id}.md`))).toBe(true);
  });

  it('diagnostics: link quality with CRC errors, heartbeat memory and flags, recent logs without personal fields', async () => {
    const svc = c.svc();
    c.serial.corrupt('crc mismatch 1234abcd != 00000000');
    c.serial.corrupt('crc mismatch');
    const log = teeLogger(memoryLogger('gw'), c.ring);
    log.info('report stored', { kind: 'safe', name: 'Jan Jansen', where: 'Dorpsstraat 1', count: 2 });
    log.warn('set-up code', { setupCode: '123-456' });
    const d = svc.diagnostics();
    const serial = d.links.find((l) => l.name === 'serial:/dev/ttyFAKE0');
    expect(serial).toMatchObject({ up: true, rejected: { crc: 2 } });
    expect(serial?.messages).toBeGreaterThan(0);
    expect(d.nodes.find((n) => n.id === 'battery-1')?.heartbeat).toMatchObject({ mem: 4200, flags: ['LOW_MEMORY'] });
    const text = JSON.stringify(d.logs);
    expect(text).toContain('report stored');
    expect(text).toContain('"count":2');
    expect(text).not.toContain('Jan Jansen');
    expect(text).not.toContain('Dorpsstraat');
    expect(text).not.toContain('123-456');
  });
});

describe('log ring', () => {
  it('keeps only the newest lines', () => {
    const ring = new LogRing(3);
    for (let i = 0; i < 5; i++) ring.push('info', 'gw', `line ${i}`);
    expect(ring.recent().map((l) => l.msg)).toEqual(['line 2', 'line 3', 'line 4']);
    ring.push('warn', 'gw', 'careful');
    expect(ring.recent(10, 'warn').map((l) => l.msg)).toEqual(['careful']);
  });
});
