// Broadcast templates: valid board content in Dutch and English that fits both panels, with every
// placeholder listed so the composer can refuse to send one unfilled.
import { describe, expect, it } from 'vitest';
import { parseBoardContent } from '../../src/board/content.js';
import { layoutBoard, sizesFor } from '../../src/board/layout.js';
import { PANELS } from '../../src/board/panels.js';
import { BROADCAST_TEMPLATES } from '../../src/coordinator/templates.js';

describe('broadcast templates', () => {
  it.each(BROADCAST_TEMPLATES.map((t) => [t.id, t] as const))('%s is valid nl+en content that lays out on every panel', (_id, t) => {
    const c = parseBoardContent(t.content);
    expect(c.languages).toEqual(['nl', 'en']);
    expect(c.source).toBe('coordinator');
    for (const panel of Object.values(PANELS)) expect(layoutBoard(c, panel, sizesFor(panel)).length).toBeGreaterThan(0);
    const text = JSON.stringify(c);
    for (const p of t.placeholders) expect(text).toContain(p);
    expect(text.match(/\[[^\]"]+\]/g)?.every((p) => t.placeholders.includes(p))).toBe(true);
    expect(t.title.nl.length).toBeGreaterThan(3);
    expect(t.title.en.length).toBeGreaterThan(3);
  });

  it('has the four situations the console offers', () => {
    expect(BROADCAST_TEMPLATES.map((t) => t.id)).toEqual(['power-outage-update', 'water-distribution', 'shelter-open', 'all-clear']);
  });
});
