// Short free text (uplink, fPort 5), compressed; longer texts are fragmented (fPort 6).
import type { Layout } from './layout.js';

export interface TextMessage {
  kind: 'text';
  id: number;
  text: string;
}

export const textLayout: Layout = { fields: [], tail: { type: 'texts', names: ['text'] } };
