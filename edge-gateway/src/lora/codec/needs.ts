// Needs report (uplink, fPort 3): counts per need category, two bytes per entry.
import type { Layout } from './layout.js';
import { NEED_CATEGORIES, SEVERITIES, type NeedCategory, type Severity } from './vocab.js';

export interface NeedEntry {
  category: NeedCategory;
  severity: Severity;
  /** Number of people with this need (0–510; null = unknown). */
  people: number | null;
}

export interface NeedsMessage {
  kind: 'needs';
  id: number;
  needs: NeedEntry[];
}

export const needsLayout: Layout = {
  fields: [],
  tail: {
    type: 'list',
    name: 'needs',
    min: 1,
    max: 24,
    fields: [
      { name: 'category', type: 'enum', bits: 5, values: NEED_CATEGORIES },
      { name: 'severity', type: 'enum', bits: 2, values: SEVERITIES },
      { name: 'people', type: 'uint', bits: 9, nullable: true, clamp: true },
    ],
  },
};
