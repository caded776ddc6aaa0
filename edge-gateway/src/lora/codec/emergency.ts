// Emergency report (uplink, fPort 2): what a resident reports when 112 cannot be reached.
// Fixed part 4 bytes; the note (address, what happened) goes through the text compressor.
import type { Layout } from './layout.js';
import { SEVERITIES, type Severity } from './vocab.js';

export const EMERGENCY_KINDS = [
  'medical',
  'fire',
  'trapped',
  'violence',
  'missing_person',
  'gas_leak',
  'flooding',
  'structural',
  'other',
] as const;

export interface EmergencyMessage {
  kind: 'emergency';
  id: number;
  type: (typeof EMERGENCY_KINDS)[number];
  severity: Severity;
  /** People involved (0–62; null = unknown). */
  people: number | null;
  /** Minutes since the report was taken at the point (0–254; it may have waited for airtime). */
  ageMin: number | null;
  note: string;
}

export const emergencyLayout: Layout = {
  fields: [
    { name: 'type', type: 'enum', bits: 4, values: EMERGENCY_KINDS },
    { name: 'severity', type: 'enum', bits: 2, values: SEVERITIES },
    { name: 'people', type: 'uint', bits: 6, nullable: true, clamp: true },
    { name: 'ageMin', type: 'uint', bits: 8, nullable: true, clamp: true },
  ],
  tail: { type: 'texts', names: ['note'] },
};
