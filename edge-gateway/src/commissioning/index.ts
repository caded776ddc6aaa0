export { CommissioningService, CommissioningError, type CommissioningDeps, type LoraProbe } from './service.js';
export { commissioningApi } from './api.js';
export { COMMISSIONING_MIGRATION } from './store.js';
export { LinkMonitor } from './link-monitor.js';
export { LogRing, teeLogger } from './log-ring.js';
export { firmwareVersions } from './firmware.js';
export { espruinoFlasher, serialFlashPorts, type FirmwareFlasher, type FlashPort, type FlashRequest, type FlashState } from './flash.js';
