import { describe, it, expect } from 'vitest';
import { decodeMessage, encodeMessage } from '../../src/lora/codec/index.js';
import type { PointStatus } from '../../src/protocol/index.js';
import { statusReportFromPoint } from '../../src/relay/status-report.js';

const ps: PointStatus = {
  v: 1,
  point: 'punt-1',
  name: 'Punt 1',
  seq: 5,
  ts: 1,
  nodes: [
    { id: 'fuel-1', kind: 'fuel', online: true, lastSeen: 1 },
    { id: 'door-1', kind: 'visitors', online: false, lastSeen: 1 },
  ],
  fuel: { litres: 40, pct: 12.4, status: 'ok' },
  battery: { v: 12.61, soc: 55, a: -3 },
  visitors: { inside: 37, entries: 200 },
  charging: { portsOn: 6, ports: 24, watts: 61.5 },
  alarms: ['node-offline:door-1'],
};

describe('statusReportFromPoint', () => {
  it('maps a PointStatus to a status frame the codec encodes, leaving unknowns unknown', () => {
    const r = statusReportFromPoint(ps, { link: 'ip_down', hoursToEmpty: 8.25 });
    expect(r).toMatchObject({ fuelPct: 12, batteryPct: 55, visitorsPresent: 37, chargingW: 62, chargingSessions: 6, generator: 'unknown', visitorsLastHour: null, link: 'ip_down' });
    expect(r.alarms).toEqual(['fuel_low', 'node_offline']);
    const f = encodeMessage({ kind: 'status', ...r });
    expect(f.bytes.length).toBe(12);
    expect(decodeMessage(f.port, f.bytes)).toMatchObject({ kind: 'status', fuelPct: 12, batteryV: 12.6, hoursToEmpty: 8.3, link: 'ip_down' });
  });

  it('sends null readings for a point without sensors', () => {
    const r = statusReportFromPoint({ ...ps, nodes: [], fuel: null, battery: null, visitors: null, charging: null, alarms: [] });
    expect(r).toMatchObject({ fuelPct: null, batteryPct: null, batteryV: null, visitorsPresent: null, chargingW: null, alarms: [] });
    expect(() => encodeMessage({ kind: 'status', ...r })).not.toThrow();
  });
});
