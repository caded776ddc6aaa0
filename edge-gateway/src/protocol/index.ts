export * from './messages.js';
export * from './framing.js';
export * from './topics.js';
export * from './point.js';
