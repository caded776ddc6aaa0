export * from './rak3172-sim.js';
export * from './network-server.js';
export * from './chirpstack.js';
export * from './duty-cycle.js';
export * from './frames.js';
export * from './lora-sim.js';
