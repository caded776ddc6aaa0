export * from './rak3172-modem.js';
export * from './at-transport.js';
export * from './events.js';
