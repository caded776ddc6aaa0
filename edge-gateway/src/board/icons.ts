// Pictograms from lucide-static (ISC licence), read from node_modules at start-up (no network).
// Drawn black with a heavier stroke than the default so they survive 1-bit thresholding.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Need, Service } from './content.js';

const require = createRequire(import.meta.url);

export const ICON_FILES = {
  info: 'info',
  alert: 'triangle-alert',
  actions: 'hand-helping',
  clock: 'clock',
  signpost: 'signpost',
  charging: 'battery-charging',
  users: 'users',
  shelter: 'house-heart',
  'first-aid': 'cross',
  water: 'droplet',
  food: 'utensils',
  contact: 'phone',
  emergency: 'siren',
  medication: 'pill',
  radio: 'radio',
  help: 'heart-handshake',
  check: 'circle-check',
} as const;
export type IconName = keyof typeof ICON_FILES;

export const NEED_ICON: Record<Need, IconName> = {
  shelter: 'shelter',
  'first-aid': 'first-aid',
  water: 'water',
  food: 'food',
  contact: 'contact',
  emergency: 'emergency',
  medication: 'medication',
  information: 'info',
};

export const SERVICE_ICON: Record<Service, IconName> = {
  information: 'info',
  charging: 'charging',
  'first-aid': 'first-aid',
  water: 'water',
  shelter: 'shelter',
  contact: 'contact',
  'emergency-report': 'emergency',
  'help-desk': 'help',
};

const cache = new Map<IconName, string>();

/** The icon as a data: URI that satori can draw as an <img>. */
export function iconDataUri(name: IconName): string {
  let uri = cache.get(name);
  if (!uri) {
    const svg = readFileSync(require.resolve(`lucide-static/icons/${ICON_FILES[name]}.svg`), 'utf8')
      .replace(/<!--[\s\S]*?-->/g, '')
      .replaceAll('currentColor', '#000')
      .replace(/stroke-width="[\d.]+"/, 'stroke-width="2.5"');
    uri = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    cache.set(name, uri);
  }
  return uri;
}
