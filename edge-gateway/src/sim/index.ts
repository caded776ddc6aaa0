export * from './simulation.js';
export * from './pty.js';
export * from './world/index.js';
export * from './nodes/index.js';
