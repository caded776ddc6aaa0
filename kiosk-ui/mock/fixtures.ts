// Fixtures for the mock backend (dev server and end-to-end test): one point and a coordinator's overview.
// They follow src/lib/api/types.ts; unknown values are null, as the gateway sends them.
import type { PointsData, StatusData } from '../src/lib/api/types.js';

export function statusFixture(now = Date.now()): StatusData {
  return {
    point: { id: 'dorpshuis-de-linde', name: 'Dorpshuis De Linde', role: 'point' },
    time: now,
    nodes: [
      { id: 'fuel-1', kind: 'fuel', online: true, lastSeen: now - 4_000, fw: '0.3.1' },
      { id: 'battery-1', kind: 'battery', online: true, lastSeen: now - 2_000, fw: '0.3.1' },
      { id: 'visitors-1', kind: 'visitors', online: true, lastSeen: now - 9_000, fw: '0.3.0' },
      { id: 'charger-1', kind: 'charger', online: false, lastSeen: now - 25 * 60_000, fw: null },
    ],
    readings: {
      fuel: { litres: 61.5, pct: 41, status: 'ok', refuelling: false },
      battery: { v: 25.6, a: -3.2, soc: 78, status: 'ok' },
      visitors: { entries: 143, exits: 121, inside: 22 },
      charger: {
        ports: [
          { p: 0, on: true, mA: 1830, fault: null },
          { p: 1, on: false, mA: 0, fault: null },
          { p: 2, on: false, mA: null, fault: 'sensor' },
        ],
        failsafe: false,
      },
    },
    board: { image: null, updatedAt: null },
  };
}

export function pointsFixture(now = Date.now()): PointsData {
  const base = {
    v: 1 as const,
    seq: 12,
    ts: now - 30_000,
    nodes: [],
    visitors: { inside: 10, entries: 40 },
    charging: { portsOn: 2, ports: 8, watts: 18 },
  };
  return {
    points: [
      {
        point: 'dorpshuis-de-linde',
        name: 'Dorpshuis De Linde',
        online: true,
        receivedAt: now - 30_000,
        status: {
          ...base,
          point: 'dorpshuis-de-linde',
          name: 'Dorpshuis De Linde',
          fuel: { litres: 61.5, pct: 41, status: 'ok' },
          battery: { v: 25.6, soc: 78, a: -3.2 },
          alarms: [],
        },
      },
      {
        point: 'kerk-oosterhout',
        name: 'Kerk Oosterhout',
        online: true,
        receivedAt: now - 45_000,
        status: {
          ...base,
          point: 'kerk-oosterhout',
          name: 'Kerk Oosterhout',
          fuel: { litres: 9, pct: 6, status: 'ok' },
          battery: { v: 24.1, soc: 35, a: -8.5 },
          alarms: ['fuel-low'],
        },
      },
      {
        point: 'school-het-anker',
        name: 'School Het Anker',
        online: false,
        receivedAt: now - 40 * 60_000,
        status: {
          ...base,
          point: 'school-het-anker',
          name: 'School Het Anker',
          fuel: { litres: null, pct: null, status: 'fault' },
          battery: null,
          alarms: ['fuel-sensor'],
        },
      },
      { point: 'tent-markt', name: 'Tent Markt', online: true, receivedAt: null, status: null },
    ],
  };
}
