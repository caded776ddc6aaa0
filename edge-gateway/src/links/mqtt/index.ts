export * from './mqtt-node-link.js';
