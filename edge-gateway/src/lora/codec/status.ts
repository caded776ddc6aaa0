// Point status (uplink, fPort 1): the periodic heartbeat a coordinator watches. 88 bits + CRC =
// 12 bytes. Measurements saturate rather than fail: a full tank of 500 h still says "≥ 409.4 h".
import type { Layout } from './layout.js';

export const GENERATOR_STATES = ['off', 'starting', 'running', 'cooldown', 'fault', 'unknown'] as const;
export const LINK_STATES = ['ip_ok', 'ip_degraded', 'ip_down', 'unknown'] as const;
export const ALARMS = [
  'fuel_low',
  'battery_low',
  'generator_fault',
  'overtemp',
  'node_offline',
  'overload',
  'tamper',
  'water_ingress',
] as const;

export interface StatusMessage {
  kind: 'status';
  fuelPct: number | null;
  hoursToEmpty: number | null;
  batteryPct: number | null;
  batteryV: number | null;
  generator: (typeof GENERATOR_STATES)[number];
  visitorsPresent: number | null;
  visitorsLastHour: number | null;
  chargingW: number | null;
  chargingSessions: number | null;
  alarms: (typeof ALARMS)[number][];
  link: (typeof LINK_STATES)[number];
}

export const statusLayout: Layout = {
  fields: [
    { name: 'fuelPct', type: 'uint', bits: 7, max: 100, nullable: true, clamp: true },
    { name: 'hoursToEmpty', type: 'uint', bits: 12, div: 10, nullable: true, clamp: true },
    { name: 'batteryPct', type: 'uint', bits: 7, max: 100, nullable: true, clamp: true },
    { name: 'batteryV', type: 'uint', bits: 11, div: 20, nullable: true, clamp: true },
    { name: 'generator', type: 'enum', bits: 3, values: GENERATOR_STATES },
    { name: 'visitorsPresent', type: 'uint', bits: 9, nullable: true, clamp: true },
    { name: 'visitorsLastHour', type: 'uint', bits: 10, nullable: true, clamp: true },
    { name: 'chargingW', type: 'uint', bits: 11, nullable: true, clamp: true },
    { name: 'chargingSessions', type: 'uint', bits: 6, nullable: true, clamp: true },
    { name: 'alarms', type: 'flags', bits: 8, values: ALARMS },
    { name: 'link', type: 'enum', bits: 2, values: LINK_STATES },
  ],
};
