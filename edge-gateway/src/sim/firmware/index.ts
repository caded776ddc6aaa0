export { FirmwareSimNode } from './firmware-node.js';
export type { FirmwareSimNodeOptions, FirmwareLinkOptions, FirmwareLinkState } from './firmware-node.js';
export { FIRMWARE_DIST, FirmwareBundleError, bundleVersion, firmwareBundlePath, missingFirmwareBundles, readFirmwareBundle } from './bundles.js';
export { wireBoard } from './world-devices.js';
export type { BoardWiring } from './world-devices.js';
