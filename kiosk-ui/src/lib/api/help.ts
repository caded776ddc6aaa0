// Citizen help and the neighbourhood directory: the contract of `/api/help/*`, `/api/directory` and the staff
// routes (edge-gateway/src/help/, /work/team/help-api.md), a small resident client and the staff calls
// (through the console's session, which adds the CSRF header).
import { callJson } from './client.js';
import { NEED_CATEGORIES } from './reports.js';

/** The needs report's categories, so help and needs count in the same buckets. */
export const HELP_CATEGORIES = NEED_CATEGORIES;
export type HelpCategory = (typeof HELP_CATEGORIES)[number];
export type HelpKind = 'offer' | 'request';
export type HelpState = 'open' | 'matched' | 'in-progress' | 'done' | 'withdrawn' | 'expired';
export const URGENCIES = ['urgent', 'high', 'normal', 'low'] as const;
export type Urgency = (typeof URGENCIES)[number];
export type ContactMethod = 'at-point' | 'address';
export interface Contact {
  method: ContactMethod;
  note: string;
}

export interface Counts {
  open: number;
  matched: number;
  inProgress: number;
  done: number;
}
export interface HelpSummary {
  at: number;
  categories: { category: HelpCategory; requests: Counts; offers: Counts }[];
  totals: { requests: Counts; offers: Counts };
  mostNeeded: { category: HelpCategory; score: number; openRequests: number; people: number }[];
  /** Entry lifetime and personal-data retention, for the privacy statement (when the gateway sends them). */
  retention?: { entryHours: number; personalDays: number };
}

export interface OfferInput {
  category: HelpCategory;
  what: string;
  transport: boolean;
  when: string;
  where: string;
  contact: Contact;
}
export interface RequestInput {
  category: HelpCategory;
  what: string;
  where: string;
  urgency: Urgency;
  people: number | null;
  contact: Contact;
}

/** What the one who registers gets back: the only time the withdraw code is shown. */
export interface Registered {
  id: string;
  code: string;
  kind: HelpKind;
  category: HelpCategory;
  status: HelpState;
  createdAt: number;
  expiresAt: number;
}
export type OwnEntry = Omit<Registered, 'code'>;

export interface HelpEntry {
  id: string;
  kind: HelpKind;
  category: HelpCategory;
  status: HelpState;
  origin: 'resident' | 'staff';
  transport: boolean;
  urgency: Urgency | null;
  people: number | null;
  personal: { what: string; where: string; when: string; contact: Contact } | null;
  matchedWith: string | null;
  escalation: { reportId: string; at: number } | null;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  purgedAt: number | null;
}

export const PLACE_KINDS = ['point', 'shelter', 'water', 'first-aid', 'food', 'medical', 'charging', 'information', 'other'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];
export const PLACE_STATES = ['open', 'limited', 'closed', 'unknown'] as const;
export type PlaceStatus = (typeof PLACE_STATES)[number];
export const DIR_SERVICES = [
  'information',
  'charging',
  'first-aid',
  'water',
  'shelter',
  'contact',
  'emergency-report',
  'help-desk',
  'food',
  'medicine',
  'toilets',
  'transport',
] as const;
export type DirService = (typeof DIR_SERVICES)[number];

export interface PlaceInput {
  id?: string;
  kind: PlaceKind;
  name: string;
  address: string;
  lat: number;
  lon: number;
  services: DirService[];
  status: PlaceStatus;
  hours: string;
  note: string;
}
export interface Place extends Required<PlaceInput> {
  source: 'local' | 'coordinator';
  seenAt: number | null;
  updatedAt: number;
}
export interface DirectoryPlace extends Place {
  distanceM: number | null;
  walkMinutes: number | null;
}
export interface Directory {
  origin: { lat: number; lon: number } | null;
  updatedAt: number | null;
  places: DirectoryPlace[];
}

/** Resident side: no login; the gateway checks the origin and rate-limits per address. */
export const helpApi = {
  summary: () => callJson<HelpSummary>('/api/help/summary'),
  offer: (input: OfferInput) => callJson<Registered>('/api/help/offers', input),
  request: (input: RequestInput) => callJson<Registered>('/api/help/requests', input),
  lookup: (code: string) => callJson<OwnEntry>('/api/help/lookup', { code }),
  withdraw: (code: string) => callJson<OwnEntry>('/api/help/withdraw', { code }),
  directory: () => callJson<Directory>('/api/directory'),
};

/** The part of the console's SessionStore the staff calls need. */
export interface StaffSession {
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST', path: string, body?: unknown): Promise<T>;
}

export function staffHelpApi(s: StaffSession) {
  return {
    list: (status: 'active' | 'all' = 'active') => s.get<{ entries: HelpEntry[] }>(`/api/staff/help?status=${status}`).then((r) => r.entries),
    offer: (input: OfferInput) => s.send<Registered>('POST', '/api/staff/help/offers', input),
    request: (input: RequestInput) => s.send<Registered>('POST', '/api/staff/help/requests', input),
    match: (offer: string, request: string) => s.send<{ offer: HelpEntry; request: HelpEntry }>('POST', '/api/staff/help/match', { offer, request }),
    setStatus: (id: string, status: 'in-progress' | 'done' | 'open' | 'withdrawn') =>
      s.send<{ entries: HelpEntry[] }>('POST', '/api/staff/help/status', { id, status }),
    escalate: (id: string, note = '') => s.send<{ entry: HelpEntry }>('POST', '/api/staff/help/escalate', { id, note }),
    directory: () => s.get<Directory>('/api/directory'),
    savePlace: (place: PlaceInput) => s.send<Place>('POST', '/api/staff/directory', place),
    deletePlace: (id: string) => s.send<null>('POST', '/api/staff/directory/delete', { id }),
  };
}
export type StaffHelpApi = ReturnType<typeof staffHelpApi>;

/** A withdraw code as typed (any case, spaces, dashes) → what the gateway stores (6 characters, upper case). */
export function normalizeCode(s: string): string {
  return s.toUpperCase().replace(/[\s-]/g, '');
}

/** The code in two groups of three (K7M 3QX): easier to copy from a screen onto paper. */
export function groupCode(code: string): string {
  return code.length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
}
