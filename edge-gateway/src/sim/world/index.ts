export * from './world.js';
export * from './scenario.js';
export * from './sensors.js';
export * from './prng.js';
export { lfpCellOcv } from './battery.js';
export type { GeneratorMode } from './generator.js';
export type { ChargeSession, Phone } from './phones.js';
export type { DoorCrossing, DoorDirection } from './visitors.js';
