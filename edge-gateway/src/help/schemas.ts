// What residents and staff send about citizen help. Minimal personal data on purpose: no names fields, no
// phone numbers (the network may be down anyway): contact is "ask at the point" or a house-number note.
// Categories are the needs report's, so help requests and needs reports count in the same buckets.
import { z } from 'zod';
import { NEED_CATEGORIES } from '../api/reports/schemas.js';

export { NEED_CATEGORIES as HELP_CATEGORIES };
export type HelpCategory = (typeof NEED_CATEGORIES)[number];

export const HELP_KINDS = ['offer', 'request'] as const;
export type HelpKind = (typeof HELP_KINDS)[number];

export const HELP_STATES = ['open', 'matched', 'in-progress', 'done', 'withdrawn', 'expired'] as const;
export type HelpState = (typeof HELP_STATES)[number];
export const TERMINAL_STATES: ReadonlySet<HelpState> = new Set(['done', 'withdrawn', 'expired']);

export const URGENCIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];
/** "Most needed now" weighs each open request by urgency times people affected. */
export const URGENCY_WEIGHT: Record<Urgency, number> = { low: 1, normal: 2, high: 4, urgent: 8 };

function isControl(c: string): boolean {
  const n = c.charCodeAt(0);
  return (n < 32 && n !== 9 && n !== 10 && n !== 13) || n === 127;
}
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => ![...s].some(isControl), 'contains control characters');

export const ContactSchema = z
  .strictObject({
    method: z.enum(['at-point', 'address']),
    note: text(120).default(''),
  })
  .refine((c) => c.method !== 'address' || c.note.length > 0, { message: 'an address contact needs a note (house number or address)', path: ['note'] });
export type Contact = z.infer<typeof ContactSchema>;

const category = z.enum(NEED_CATEGORIES);

export const OfferInput = z.strictObject({
  category,
  what: text(200).min(3),
  transport: z.boolean().default(false),
  when: text(120).default(''),
  where: text(200).default(''),
  contact: ContactSchema,
});
export type OfferInput = z.infer<typeof OfferInput>;

export const RequestInput = z.strictObject({
  category,
  what: text(200).min(3),
  where: text(200).default(''),
  urgency: z.enum(URGENCIES),
  people: z.number().int().min(1).max(999).nullable(),
  contact: ContactSchema,
});
export type RequestInput = z.infer<typeof RequestInput>;

export const CodeInput = z.strictObject({ code: z.string().min(1).max(12) });

const Id = z.string().min(1).max(40);
export const MatchInput = z.strictObject({ offer: Id, request: Id });
export const StatusInput = z.strictObject({ id: Id, status: z.enum(['in-progress', 'done', 'open', 'withdrawn']) });
export const EscalateInput = z.strictObject({ id: Id, note: text(300).default('') });
