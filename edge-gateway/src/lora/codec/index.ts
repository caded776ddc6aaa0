// LoRa application codec v1 (see edge-gateway/docs/lora-codec.md).
export * from './errors.js';
export * from './messages.js';
export * from './ports.js';
export { encodeMessage, encodeFrames, encodeFragment, decodeFrame, decodeMessage, MAX_MESSAGE_BYTES } from './frame.js';
export { Reassembler, type ReassemblerOptions } from './reassembler.js';
export type { StatusMessage } from './status.js';
export type { EmergencyMessage } from './emergency.js';
export type { NeedsMessage, NeedEntry } from './needs.js';
export type { SafeMessage } from './safe.js';
export type { TextMessage } from './text.js';
export type { AckMessage } from './ack.js';
export { HELP_MAX, HELP_MAX_CATEGORIES, type HelpMessage, type HelpCategoryCounts } from './help.js';
export { renderBoard, BOARD_TEMPLATES, type BoardMessage, type BoardTemplate } from './board.js';
export { COMMANDS, type CommandMessage, type CommandName } from './command.js';
export { NEED_CATEGORIES, SEVERITIES } from './vocab.js';
