// Acknowledgements: the gateway acks downlink ids (uplink, fPort 7), the coordinator acks uplink
// ids (downlink, fPort 10). One byte per id, so one frame can ack a whole backlog.
import type { Layout } from './layout.js';

export interface AckMessage {
  kind: 'ack' | 'downAck';
  ids: number[];
}

export const ackLayout: Layout = {
  fields: [],
  tail: { type: 'list', name: 'ids', min: 1, max: 48, scalar: true, fields: [{ name: 'id', type: 'uint', bits: 6 }] },
};
