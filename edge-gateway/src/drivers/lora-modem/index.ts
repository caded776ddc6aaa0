export * from './modem.js';
export * from './errors.js';
export * from './data-rates.js';
export * from './rak3172/index.js';
