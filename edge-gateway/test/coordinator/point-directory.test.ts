// Each point's copy of a broadcast: its own name, and the other points it can send residents to.
import { describe, expect, it } from 'vitest';
import { BoardContentSchema } from '../../src/board/content.js';
import { sampleContent } from '../../src/board/sample-content.js';
import { contentForPoint, MAX_DIRECTORY } from '../../src/coordinator/point-directory.js';
import type { PointEntry } from '../../src/coordinator/point-book.js';
import type { PointStatus } from '../../src/protocol/index.js';

const NOW = 1_800_000_000_000;
function entry(point: string, name: string, online: boolean, location?: { lat: number; lon: number }): PointEntry {
  const status = { v: 1, point, name, seq: 1, ts: NOW, nodes: [], fuel: null, battery: null, visitors: null, charging: null, alarms: [], ...(location ? { location } : {}) } as PointStatus;
  return { point, name, online, linkState: online ? 'online' : 'offline', receivedAt: NOW, status };
}

describe('a broadcast made for each point', () => {
  const points = [
    entry('linde', 'Buurthuis De Linde', true, { lat: 52.0894, lon: 5.1077 }),
    entry('far', 'Sporthal Overvecht', true, { lat: 52.118, lon: 5.114 }), // ~3.2 km
    entry('near', 'Bibliotheek Lombok', false, { lat: 52.0925, lon: 5.0985 }), // ~0.7 km, silent
    entry('nowhere', 'Punt zonder locatie', true),
  ];

  it("carries the point's own name and the other located points, nearest first, silent ones as unknown", () => {
    const c = contentForPoint(sampleContent(), 'linde', points);
    expect(c.point.name).toBe('Buurthuis De Linde');
    expect(c.directory?.map((e) => e.id)).toEqual(['near', 'far']);
    expect(c.directory?.map((e) => e.status)).toEqual(['unknown', 'open']);
    expect(() => BoardContentSchema.parse(c)).not.toThrow();
  });

  it('keeps the places the coordinator listed first and stays within the schema limit', () => {
    const listed = { id: 'water-1', kind: 'water' as const, name: 'Waterpunt Kanaleneiland', address: '', lat: 52.07, lon: 5.1, services: [], status: 'open' as const, hours: '', note: '', seenAt: null };
    const many = [points[0]!, ...Array.from({ length: 100 }, (_, i) => entry(`p${i}`, `Punt ${i}`, true, { lat: 52 + i / 1000, lon: 5.1 }))];
    const c = contentForPoint({ ...sampleContent(), directory: [listed] }, 'linde', many);
    expect(c.directory).toHaveLength(MAX_DIRECTORY);
    expect(c.directory?.[0]?.id).toBe('water-1');
    expect(() => BoardContentSchema.parse(c)).not.toThrow();
  });

  it('leaves content for an unknown point as composed, without an empty directory', () => {
    const c = contentForPoint(sampleContent(), 'elsewhere', [points[3]!]);
    expect(c.point).toEqual(sampleContent().point);
    expect('directory' in c).toBe(false);
  });
});
