// fPort table of codec v1: the port says which message kind a frame holds, so no type byte is
// spent. Uplink and downlink kinds use different ports so a frame decodes without knowing its
// direction. A future codec version keeps the ports and bumps the 2-bit version in the first byte.
import type { Layout } from './layout.js';
import { statusLayout } from './status.js';
import { emergencyLayout } from './emergency.js';
import { needsLayout } from './needs.js';
import { safeLayout } from './safe.js';
import { textLayout } from './text.js';
import { ackLayout } from './ack.js';
import { boardLayout } from './board.js';
import { commandLayout } from './command.js';
import { helpLayout } from './help.js';

export const CODEC_VERSION = 1;
/** Largest LoRaWAN application payload (EU868 DR4–DR5); anything longer is not a frame of ours. */
export const MAX_FRAME_BYTES = 222;
export const FRAGMENT_PORT = 6;
/** A fragment carries 3 header bytes and the CRC besides its chunk. */
export const FRAGMENT_OVERHEAD = 4;
export const MAX_FRAGMENTS = 16;

export interface PortSpec {
  port: number;
  dir: 'up' | 'down';
  /** Messages with an id (6 bits) can be acked and fragmented under that id. */
  hasId: boolean;
  layout: Layout;
}

export const KINDS = {
  status: { port: 1, dir: 'up', hasId: false, layout: statusLayout },
  emergency: { port: 2, dir: 'up', hasId: true, layout: emergencyLayout },
  needs: { port: 3, dir: 'up', hasId: true, layout: needsLayout },
  safe: { port: 4, dir: 'up', hasId: true, layout: safeLayout },
  text: { port: 5, dir: 'up', hasId: true, layout: textLayout },
  ack: { port: 7, dir: 'up', hasId: false, layout: ackLayout },
  board: { port: 8, dir: 'down', hasId: true, layout: boardLayout },
  command: { port: 9, dir: 'down', hasId: true, layout: commandLayout },
  downAck: { port: 10, dir: 'down', hasId: false, layout: ackLayout },
  help: { port: 11, dir: 'up', hasId: false, layout: helpLayout },
} as const satisfies Record<string, PortSpec>;

export type MessageKind = keyof typeof KINDS;

export function kindOfPort(port: number): MessageKind | undefined {
  return (Object.keys(KINDS) as MessageKind[]).find((k) => KINDS[k].port === port);
}
