export * from './serial-node-link.js';
export * from './port.js';
export * from './backoff.js';
