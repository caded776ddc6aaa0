// Places in the neighbourhood: other noodsteunpunten, shelters, water distribution, first aid… with what they
// offer, whether they are open, and where they are. Staff enter local places; the coordinator sends its list
// inside its signed board broadcast (BoardContent.directory), which replaces the coordinator's earlier list.
import { z } from 'zod';

export const PLACE_KINDS = ['point', 'shelter', 'water', 'first-aid', 'food', 'medical', 'charging', 'information', 'other'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

/** The board's services plus what other places typically offer. */
export const DIR_SERVICES = ['information', 'charging', 'first-aid', 'water', 'shelter', 'contact', 'emergency-report', 'help-desk', 'food', 'medicine', 'toilets', 'transport'] as const;
export type DirService = (typeof DIR_SERVICES)[number];

export const PLACE_STATUSES = ['open', 'limited', 'closed', 'unknown'] as const;
export type PlaceStatus = (typeof PLACE_STATUSES)[number];

export const PlaceIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'place id: 1-40 of a-z 0-9 -');

function isControl(c: string): boolean {
  const n = c.charCodeAt(0);
  return (n < 32 && n !== 9) || n === 127;
}
const line = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => ![...s].some(isControl), 'contains control characters');

const fields = {
  kind: z.enum(PLACE_KINDS),
  name: line(80).min(1),
  address: line(120).default(''),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  services: z.array(z.enum(DIR_SERVICES)).max(12).default([]),
  status: z.enum(PLACE_STATUSES).default('unknown'),
  hours: line(80).default(''),
  note: line(200).default(''),
};

/** One place as the coordinator broadcasts it (inside signed board content). */
export const DirectoryEntrySchema = z.object({
  id: PlaceIdSchema,
  ...fields,
  /** For other points: when the coordinator last heard from it. */
  seenAt: z.number().int().min(0).nullable().default(null),
});
export type DirectoryEntry = z.infer<typeof DirectoryEntrySchema>;
export type DirectoryEntryInput = z.input<typeof DirectoryEntrySchema>;

/** A place as staff enter it; without an id a new one is made. */
export const PlaceInput = z.strictObject({ id: PlaceIdSchema.optional(), ...fields });
export type PlaceInput = z.infer<typeof PlaceInput>;

export interface Place extends DirectoryEntry {
  source: 'local' | 'coordinator';
  updatedAt: number;
}

export interface PlaceView extends Place {
  distanceM: number | null;
  walkMinutes: number | null;
}

export interface DirectoryView {
  origin: { lat: number; lon: number } | null;
  updatedAt: number | null;
  places: PlaceView[];
}
