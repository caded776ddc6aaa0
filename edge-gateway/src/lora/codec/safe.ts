// "I am safe" registration (uplink, fPort 4): who, how many of the household, and where they live,
// so that family elsewhere can be told. Postcode + house number identify an address in 38 bits.
import type { Layout } from './layout.js';

export interface SafeMessage {
  kind: 'safe';
  id: number;
  /** Household members registered as safe (1–30; null = not given). */
  people: number | null;
  postcode: string | null;
  houseNumber: number | null;
  name: string;
}

export const safeLayout: Layout = {
  fields: [
    { name: 'people', type: 'uint', bits: 5, nullable: true },
    { name: 'postcode', type: 'postcode' },
    { name: 'houseNumber', type: 'uint', bits: 17, nullable: true },
  ],
  tail: { type: 'texts', names: ['name'] },
};
