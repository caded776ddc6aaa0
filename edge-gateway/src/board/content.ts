// What the e-ink board tells residents (DESIGN §1 minimum function): situation (duiding), actions
// (handelingsperspectief), outlook (vooruitzicht), referrals (need → place), plus the point's own
// services, opening hours and charging. One schema validates content from the coordinator and from
// local staff alike; the rendered board marks content older than a configured age.
import { z } from 'zod';
import { NEED_CATEGORIES } from '../api/reports/schemas.js';
import { DirectoryEntrySchema } from '../directory/schemas.js';

/** Languages the board has labels and fonts for. Dutch (B1) always comes first. */
export const LANGUAGES = ['nl', 'en', 'ar', 'pl', 'tr'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const RTL_LANGUAGES: ReadonlySet<Lang> = new Set<Lang>(['ar']);

export const NEEDS = ['shelter', 'first-aid', 'water', 'food', 'contact', 'emergency', 'medication', 'information'] as const;
export type Need = (typeof NEEDS)[number];

export const SERVICES = ['information', 'charging', 'first-aid', 'water', 'shelter', 'contact', 'emergency-report', 'help-desk'] as const;
export type Service = (typeof SERVICES)[number];

const text = z.string().trim().min(1).max(600);

/** The words of one language; structure (services, hours, charging) is shared across languages. */
export const LocalizedTextSchema = z.object({
  situation: text,
  actions: z.array(text).min(1).max(12),
  outlook: text,
  /** Place per need, same order as `referrals`; free text because places are named locally. */
  places: z.array(text).default([]),
});
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');

export const OpeningHoursSchema = z.object({
  /** Free label per language is overkill for a board; ISO weekday numbers (1 = Monday) suffice. */
  days: z.array(z.number().int().min(1).max(7)).min(1),
  from: hhmm,
  to: hhmm,
});

export const ChargingStatusSchema = z.object({
  enabled: z.boolean(),
  portsFree: z.number().int().min(0),
  portsTotal: z.number().int().min(0),
  queue: z.number().int().min(0),
});
export type ChargingStatus = z.infer<typeof ChargingStatusSchema>;

/** Citizen help in aggregate (help/aggregate.ts boardLine): counts only, never who or where. */
export const HelpBoardSchema = z.object({
  requestsOpen: z.number().int().min(0),
  offersOpen: z.number().int().min(0),
  matched: z.number().int().min(0),
  done: z.number().int().min(0),
  mostNeeded: z.array(z.enum(NEED_CATEGORIES)).max(3),
});
export type HelpBoard = z.infer<typeof HelpBoardSchema>;

export const BoardContentSchema = z
  .object({
    point: z.object({ name: z.string().trim().min(1).max(80) }),
    /** Who issued the information, e.g. "Veiligheidsregio Drenthe" or "Vrijwilligers ter plaatse". */
    authority: z.string().trim().min(1).max(80),
    source: z.enum(['coordinator', 'local']),
    updatedAt: z.iso.datetime({ offset: true }),
    /** Display order; the first must be Dutch (B1 first, DESIGN §1). */
    languages: z.array(z.enum(LANGUAGES)).min(1).max(3),
    text: z.partialRecord(z.enum(LANGUAGES), LocalizedTextSchema),
    referrals: z.array(z.object({ need: z.enum(NEEDS) })).max(8).default([]),
    services: z.array(z.enum(SERVICES)).default([]),
    openingHours: z.array(OpeningHoursSchema).max(4).default([]),
    charging: ChargingStatusSchema.optional(),
    /** Live from the point's citizen help (like charging); a broadcast need not carry it. */
    help: HelpBoardSchema.optional(),
    /** Coordinator broadcasts: nearby places for the point's directory (replaces the coordinator's earlier list). */
    directory: z.array(DirectoryEntrySchema).max(64).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.languages[0] !== 'nl') ctx.addIssue({ code: 'custom', path: ['languages', 0], message: 'Dutch (nl) must come first' });
    if (new Set(c.languages).size !== c.languages.length) ctx.addIssue({ code: 'custom', path: ['languages'], message: 'duplicate language' });
    for (const lang of c.languages) {
      const t = c.text[lang];
      if (!t) {
        ctx.addIssue({ code: 'custom', path: ['text', lang], message: `no text for listed language ${lang}` });
      } else if (t.places.length !== c.referrals.length) {
        ctx.addIssue({ code: 'custom', path: ['text', lang, 'places'], message: `expected ${c.referrals.length} places (one per referral)` });
      }
    }
    if (c.charging && c.charging.portsFree > c.charging.portsTotal) {
      ctx.addIssue({ code: 'custom', path: ['charging', 'portsFree'], message: 'more free ports than ports' });
    }
  });
export type BoardContent = z.infer<typeof BoardContentSchema>;
export type BoardContentInput = z.input<typeof BoardContentSchema>;

export class BoardContentError extends Error {
  override name = 'BoardContentError';
}

/** Validates content, reporting every problem with its path. */
export function parseBoardContent(input: unknown): BoardContent {
  const r = BoardContentSchema.safeParse(input);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new BoardContentError(`invalid board content:\n  ${lines.join('\n  ')}`, { cause: r.error });
}

/** True when the content is older than `maxAgeMs` at time `now` (ms). */
export function isStale(content: Pick<BoardContent, 'updatedAt'>, now: number, maxAgeMs: number): boolean {
  return now - Date.parse(content.updatedAt) > maxAgeMs;
}

/** Content older than this is marked as old on the board unless configured otherwise. */
export const DEFAULT_STALE_AFTER_MS = 6 * 3600_000;
