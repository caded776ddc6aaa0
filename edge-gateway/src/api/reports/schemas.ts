// What a resident can send. Minimal on purpose: no names except in "I am safe", no phone numbers, no
// addresses beyond what responders need to find the emergency. Free text is bounded and trimmed.
import { z } from 'zod';

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    // control characters (except tab and newlines) have no place in a report and could garble the relay's frames
    .refine((s) => ![...s].some(isControl), 'contains control characters');

function isControl(c: string): boolean {
  const n = c.charCodeAt(0);
  return (n < 32 && n !== 9 && n !== 10 && n !== 13) || n === 127;
}

export const EMERGENCY_KINDS = ['medical', 'fire', 'trapped', 'water', 'violence', 'other'] as const;
export const NEED_CATEGORIES = ['water', 'food', 'medicine', 'power', 'shelter', 'transport', 'care', 'other'] as const;

/** People involved: a count, or null for "don't know". */
const people = z.number().int().min(1).max(999).nullable();

export const EmergencyInput = z.strictObject({
  what: z.enum(EMERGENCY_KINDS),
  details: text(500).default(''),
  where: text(200).min(3),
  people,
});

export const NeedInput = z.strictObject({
  category: z.enum(NEED_CATEGORIES),
  people,
  details: text(300).default(''),
  where: text(200).default(''),
});

export const SafeInput = z.strictObject({
  name: text(80).min(1),
  /** Where the person is staying now, or a short message for family: optional. */
  message: text(200).default(''),
  /** The privacy statement was shown and accepted. */
  consent: z.literal(true),
});

export type EmergencyInput = z.infer<typeof EmergencyInput>;
export type NeedInput = z.infer<typeof NeedInput>;
export type SafeInput = z.infer<typeof SafeInput>;

export const REPORT_KINDS = ['emergency', 'need', 'safe'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const INPUTS = { emergency: EmergencyInput, need: NeedInput, safe: SafeInput } as const;

/** The same inputs from an HTML form (strings; a checkbox is present or absent). */
export function fromForm(kind: ReportKind, form: Record<string, string>): unknown {
  const count = (v: string | undefined) => (v === undefined || v.trim() === '' || v === 'unknown' ? null : Number(v));
  if (kind === 'emergency') return { what: form.what, details: form.details ?? '', where: form.where ?? '', people: count(form.people) };
  if (kind === 'need') return { category: form.category, people: count(form.people), details: form.details ?? '', where: form.where ?? '' };
  return { name: form.name ?? '', message: form.message ?? '', consent: form.consent === 'yes' };
}
