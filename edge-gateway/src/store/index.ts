export * from './store.js';
export * from './errors.js';
export { MIGRATIONS, migrate, currentVersion } from './migrations.js';
export type { Migration } from './migrations.js';
export { metricsOf } from './metrics.js';
