export * from './canonical-json.js';
export * from './counters.js';
export * from './envelope.js';
export * from './keys.js';
export * from './lora-board.js';
export * from './verifier.js';
