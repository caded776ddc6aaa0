// The message union of codec v1.
import type { AckMessage } from './ack.js';
import type { BoardMessage } from './board.js';
import type { CommandMessage } from './command.js';
import type { EmergencyMessage } from './emergency.js';
import type { HelpMessage } from './help.js';
import type { NeedsMessage } from './needs.js';
import type { SafeMessage } from './safe.js';
import type { StatusMessage } from './status.js';
import type { TextMessage } from './text.js';

export type LoraMessage =
  | StatusMessage
  | EmergencyMessage
  | NeedsMessage
  | SafeMessage
  | TextMessage
  | AckMessage
  | BoardMessage
  | CommandMessage
  | HelpMessage;

/** One piece of a message that did not fit one frame (fPort 6). */
export interface FragmentMessage {
  kind: 'fragment';
  /** Id of the fragmented message (its own id, or the one given for id-less kinds). */
  id: number;
  /** fPort of the whole message. */
  port: number;
  index: number;
  total: number;
  chunk: Uint8Array;
}

export interface Frame {
  port: number;
  bytes: Uint8Array;
}
