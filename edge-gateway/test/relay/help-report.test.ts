// PointStatus.help ⇄ the LoRa help frame: the coordinator rebuilds exactly the shape the MQTT status carries,
// categories share the needs report's buckets, and the cut rule keeps the most needed first.
import { describe, it, expect } from 'vitest';
import { statusAggregate, summarize } from '../../src/help/aggregate.js';
import { decodeFrame, encodeMessage, FrameDecodeError, HELP_MAX_CATEGORIES } from '../../src/lora/codec/index.js';
import type { HelpMessage } from '../../src/lora/codec/index.js';
import { PointStatusSchema } from '../../src/protocol/index.js';
import { codecCategory, helpAggregateFromReport, helpCategory, helpReportFromAggregate, type HelpAggregate } from '../../src/relay/help-report.js';
import { fromLoraMessage, toLoraMessage } from '../../src/relay/messages.js';
import { NEED_CATEGORY } from '../../src/relay/report-sink.js';
import { HELP_CATEGORIES } from '../../src/help/schemas.js';

/** Through the codec on the air and back, as the coordinator gets it. */
function overTheAir(agg: HelpAggregate): HelpAggregate {
  const report = helpReportFromAggregate(agg);
  const f = encodeMessage(toLoraMessage({ kind: 'help', body: report }, null, 0, 0));
  const p = fromLoraMessage(decodeFrame(f.port, f.bytes) as HelpMessage);
  if (p?.kind !== 'help') throw new Error('not a help payload');
  return helpAggregateFromReport(p.body);
}

describe('help counts over LoRa', () => {
  it('rebuilds the MQTT status shape exactly from what HelpService reports', () => {
    const agg = statusAggregate(
      summarize(
        [
          { kind: 'request', category: 'medicine', status: 'open', n: 2 },
          { kind: 'request', category: 'medicine', status: 'in-progress', n: 1 },
          { kind: 'request', category: 'water', status: 'open', n: 5 },
          { kind: 'request', category: 'care', status: 'done', n: 3 },
          { kind: 'offer', category: 'medicine', status: 'matched', n: 1 },
          { kind: 'offer', category: 'transport', status: 'done', n: 4 },
          { kind: 'offer', category: 'power', status: 'open', n: 2 },
          { kind: 'offer', category: 'other', status: 'withdrawn', n: 9 },
        ],
        [
          { category: 'medicine', urgency: 'urgent', people: 2 },
          { category: 'water', urgency: 'normal', people: 1 },
        ],
        0,
      ),
    );
    const back = overTheAir(agg);
    expect(back).toEqual(agg);
    expect(back.mostNeeded).toEqual(['medicine', 'water']);
    expect(PointStatusSchema.shape.help.parse(back)).toEqual(agg);
  });

  it('uses the needs report’s category buckets, one to one for every help category', () => {
    for (const c of HELP_CATEGORIES) {
      expect(codecCategory(c)).toBe(NEED_CATEGORY[c]);
      expect(helpCategory(codecCategory(c))).toBe(c);
    }
    expect(new Set(HELP_CATEGORIES.map(codecCategory)).size).toBe(HELP_CATEGORIES.length);
    expect(codecCategory('first-aid')).toBe('first_aid');
    expect(helpCategory('first_aid')).toBe('first-aid');
    expect(codecCategory('no-such-thing')).toBe('other');
    expect(helpCategory('disability_support')).toBe('other'); // longer than a help key may be
  });

  it('saturates counts and says nothing of categories without entries', () => {
    const agg: HelpAggregate = { requests: { food: { open: 400, matched: 70, done: 1000 } }, offers: {}, mostNeeded: ['food'] };
    expect(overTheAir(agg)).toEqual({ requests: { food: { open: 127, matched: 63, done: 127 } }, offers: {}, mostNeeded: ['food'] });
    expect(overTheAir({ requests: {}, offers: {}, mostNeeded: [] })).toEqual({ requests: {}, offers: {}, mostNeeded: [] });
    expect(helpReportFromAggregate(undefined)).toEqual({ cut: false, categories: [] });
  });

  it('keeps the most needed first when more categories have entries than a DR0 frame carries, and says it cut', () => {
    const c = (open: number, matched = 0) => ({ open, matched, done: 0 });
    const agg: HelpAggregate = {
      requests: {
        water: c(1),
        food: c(9),
        medicine: c(2),
        power: c(4),
        shelter: c(0, 6),
        transport: c(3),
        care: c(5),
        'first-aid': c(7),
        warmth: c(8),
        cooling: c(0, 1),
      },
      offers: { other: { open: 6, matched: 0, done: 0 }, hygiene: { open: 0, matched: 0, done: 2 } },
      mostNeeded: ['water', 'medicine', 'transport'],
    };
    const report = helpReportFromAggregate(agg);
    expect(report.cut).toBe(true);
    expect(report.categories).toHaveLength(HELP_MAX_CATEGORIES);
    // most needed (in their order), then open requests, then matched requests, then open offers
    expect(report.categories.map((e) => e.category)).toEqual(['water', 'medication', 'transport', 'food', 'warmth', 'first_aid', 'elderly_care', 'medical_power']);
    expect(report.categories.slice(0, 4).map((e) => e.rank)).toEqual([1, 2, 3, 0]);
    expect(encodeMessage({ kind: 'help', ...report }).bytes.length).toBeLessThanOrEqual(51);
    const back = overTheAir(agg);
    expect(back.mostNeeded).toEqual(['water', 'medicine', 'transport']);
    expect(Object.keys(back.requests).sort()).toEqual(['care', 'first-aid', 'food', 'medicine', 'power', 'transport', 'warmth', 'water']);
    // fewer categories: nothing cut
    expect(helpReportFromAggregate({ ...agg, requests: { water: c(1) } }).cut).toBe(false);
  });

  it('refuses a frame no point sends: a category twice, or a most-needed place twice', () => {
    const e = { category: 'water' as const, rank: 0, requestsOpen: 1, requestsMatched: 0, requestsDone: 0, offersOpen: 0, offersMatched: 0, offersDone: 0 };
    expect(() => helpAggregateFromReport({ cut: false, categories: [e, e] })).toThrow(FrameDecodeError);
    expect(() => helpAggregateFromReport({ cut: false, categories: [{ ...e, rank: 1 }, { ...e, category: 'food', rank: 1 }] })).toThrow(/most-needed place 1 twice/);
  });
});
