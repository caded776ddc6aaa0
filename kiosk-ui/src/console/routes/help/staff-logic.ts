// What the staff screen may do with an entry (the same transitions the gateway allows, so no button leads
// to a 409), which offers fit a request, and the directory editor's form ↔ PlaceInput.
import { DIR_SERVICES, PLACE_KINDS, PLACE_STATES, type DirService, type HelpEntry, type Place, type PlaceInput, type PlaceKind, type PlaceStatus } from '../../../lib/api/help.js';

export type StaffAction = 'in-progress' | 'done' | 'open' | 'withdrawn' | 'escalate';

/** Buttons for an entry, in the order shown. */
export function actionsFor(e: HelpEntry): StaffAction[] {
  const out: StaffAction[] = [];
  if (e.status === 'open' || e.status === 'matched') out.push('in-progress');
  if (e.status === 'open' || e.status === 'matched' || e.status === 'in-progress') out.push('done');
  if (e.status === 'matched' || e.status === 'in-progress') out.push('open');
  if (e.status === 'open' || e.status === 'matched' || e.status === 'in-progress') out.push('withdrawn');
  if (e.kind === 'request' && (e.status === 'open' || e.status === 'matched') && !e.escalation) out.push('escalate');
  return out;
}

const URGENCY_RANK = { urgent: 0, high: 1, normal: 2, low: 3 } as const;

/** Requests first by urgency, then oldest first; offers oldest first. Terminal entries after the active ones. */
export function sortEntries(entries: readonly HelpEntry[]): { requests: HelpEntry[]; offers: HelpEntry[] } {
  const active = (e: HelpEntry) => (e.status === 'done' || e.status === 'withdrawn' || e.status === 'expired' ? 1 : 0);
  const byReq = (a: HelpEntry, b: HelpEntry) =>
    active(a) - active(b) || URGENCY_RANK[a.urgency ?? 'normal'] - URGENCY_RANK[b.urgency ?? 'normal'] || a.createdAt - b.createdAt;
  const byOffer = (a: HelpEntry, b: HelpEntry) => active(a) - active(b) || a.createdAt - b.createdAt;
  return {
    requests: entries.filter((e) => e.kind === 'request').sort(byReq),
    offers: entries.filter((e) => e.kind === 'offer').sort(byOffer),
  };
}

/** Open offers a request can be matched with: same category first (transport counts for transport requests). */
export function offersFor(request: HelpEntry, entries: readonly HelpEntry[]): HelpEntry[] {
  if (request.kind !== 'request' || request.status !== 'open') return [];
  const fit = (o: HelpEntry) => (o.category === request.category ? 0 : request.category === 'transport' && o.transport ? 0 : 1);
  return entries.filter((e) => e.kind === 'offer' && e.status === 'open').sort((a, b) => fit(a) - fit(b) || a.createdAt - b.createdAt);
}

/** The directory editor's fields as strings (inputs), one checkbox value per service. */
export interface PlaceForm {
  id: string;
  kind: string;
  name: string;
  address: string;
  lat: string;
  lon: string;
  services: string[];
  status: string;
  hours: string;
  note: string;
}

export const EMPTY_PLACE: PlaceForm = { id: '', kind: 'shelter', name: '', address: '', lat: '', lon: '', services: [], status: 'open', hours: '', note: '' };

export function formFromPlace(p: Place): PlaceForm {
  return { id: p.id, kind: p.kind, name: p.name, address: p.address, lat: String(p.lat), lon: String(p.lon), services: [...p.services], status: p.status, hours: p.hours, note: p.note };
}

const isIn = <T extends string>(list: readonly T[], x: string): x is T => (list as readonly string[]).includes(x);

/** null when the name is empty or the position is not a number in range. */
export function placeFromForm(f: PlaceForm): PlaceInput | null {
  const lat = Number(f.lat.trim().replace(',', '.'));
  const lon = Number(f.lon.trim().replace(',', '.'));
  if (!f.name.trim() || !f.lat.trim() || !f.lon.trim() || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  if (!isIn<PlaceKind>(PLACE_KINDS, f.kind) || !isIn<PlaceStatus>(PLACE_STATES, f.status)) return null;
  const services = DIR_SERVICES.filter((s): s is DirService => f.services.includes(s));
  return {
    ...(f.id ? { id: f.id } : {}),
    kind: f.kind,
    name: f.name.trim(),
    address: f.address.trim(),
    lat,
    lon,
    services,
    status: f.status,
    hours: f.hours.trim(),
    note: f.note.trim(),
  };
}
