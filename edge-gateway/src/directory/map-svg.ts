// A schematic offline map: no tiles (no open map data is bundled, and the point has no network), just the
// places drawn at their true bearing and distance from the point, numbered as in the list, with a scale bar
// and a north arrow. Words stay out of the drawing (the list beside it carries the names in the reader's
// language); each marker has a <title> with the place's name for screen readers.
import { offsetM, type LatLon } from './geo.js';
import type { DirectoryView } from './schemas.js';

const SIZE = 480;
const C = SIZE / 2;
/** Pixels from the centre to the farthest place. */
const RADIUS = 200;
const NICE_M = [100, 250, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000];

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const r1 = (n: number) => Math.round(n * 10) / 10;

export function renderDirectoryMap(view: DirectoryView): string {
  const places = view.places;
  const origin: LatLon | null =
    view.origin ?? (places.length ? { lat: places.reduce((s, p) => s + p.lat, 0) / places.length, lon: places.reduce((s, p) => s + p.lon, 0) / places.length } : null);
  const offsets = origin ? places.map((p) => offsetM(origin, p)) : [];
  const farthest = Math.max(500, ...offsets.map((o) => Math.hypot(o.east, o.north)));
  const pxPerM = RADIUS / farthest;
  // The longest round distance that fits in a quarter of the map.
  const scaleM = [...NICE_M].reverse().find((m) => m * pxPerM <= SIZE / 4) ?? NICE_M[0]!;
  const scalePx = scaleM * pxPerM;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${SIZE} ${SIZE}" width="${SIZE}" height="${SIZE}" role="img" font-family="sans-serif">`,
    `<rect width="${SIZE}" height="${SIZE}" fill="#fff" stroke="#000" stroke-width="2"/>`,
    // Distance ring at the scale length, to read distances by eye.
    `<circle cx="${C}" cy="${C}" r="${r1(scalePx)}" fill="none" stroke="#888" stroke-dasharray="6 6"/>`,
    // North arrow, top right.
    `<g transform="translate(${SIZE - 36} 20)"><path d="M0 28 L10 0 L20 28 L10 22 Z" fill="#000"/><text x="10" y="44" font-size="16" text-anchor="middle" font-weight="700">N</text></g>`,
    // Scale bar, bottom left.
    `<g transform="translate(16 ${SIZE - 24})"><path d="M0 0 H${r1(scalePx)} M0 -6 V6 M${r1(scalePx)} -6 V6" stroke="#000" stroke-width="3"/><text x="${r1(scalePx / 2)}" y="-10" font-size="16" text-anchor="middle">${scaleM >= 1000 ? `${scaleM / 1000} km` : `${scaleM} m`}</text></g>`,
  ];
  if (view.origin) {
    parts.push(`<g><title>noodsteunpunt</title><circle cx="${C}" cy="${C}" r="12" fill="#000"/><circle cx="${C}" cy="${C}" r="18" fill="none" stroke="#000" stroke-width="3"/></g>`);
  }
  places.forEach((p, i) => {
    const o = offsets[i]!;
    const x = r1(C + o.east * pxPerM);
    const y = r1(C - o.north * pxPerM);
    const closed = p.status === 'closed';
    parts.push(
      `<g><title>${i + 1}. ${esc(p.name)}</title><circle cx="${x}" cy="${y}" r="14" fill="${closed ? '#fff' : '#000'}" stroke="#000" stroke-width="3"/>` +
        `<text x="${x}" y="${r1(y + 6)}" font-size="16" font-weight="700" text-anchor="middle" fill="${closed ? '#000' : '#fff'}">${i + 1}</text></g>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
