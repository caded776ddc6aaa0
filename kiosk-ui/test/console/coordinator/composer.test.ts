// The composer's form → board content, checked against the gateway's own BoardContentSchema: what the form
// lets through is what the gateway signs; what it refuses is named by field before anything is sent.
import { describe, expect, it } from 'vitest';
import { parseBoardContent } from '../../../../edge-gateway/src/board/content.js';
import { SAMPLE_CONTENT_SETS } from '../../../../edge-gateway/src/board/sample-content.js';
import { emptyForm, fromCapDraft, fromContent, targetPoints, toContent, toTarget, validate, type ComposerForm } from '../../../src/console/routes/coordinator/composer.js';
import type { BoardContentInput } from '../../../src/lib/api/coordinator.js';

function filled(): ComposerForm {
  const f = emptyForm('Veiligheidsregio Drenthe');
  f.pointName = 'Dorpshuis De Brink';
  f.text.nl = { situation: 'Geen stroom in de gemeente.', actions: 'Blijf thuis.\n\n  Help uw buren.  ', outlook: 'Morgen na 18:00 weer stroom.' };
  f.text.en = { situation: 'No power in the municipality.', actions: 'Stay at home.\nHelp your neighbours.', outlook: 'Power back tomorrow after 18:00.' };
  f.referrals = [{ need: 'water', place: { nl: 'Tappunt bij de kerk', en: 'Tap at the church' } }];
  return f;
}

describe('broadcast composer form', () => {
  it('turns a complete form into content the gateway accepts, one action per non-empty line', () => {
    const f = filled();
    expect(validate(f, { kind: 'all' })).toEqual([]);
    const c = toContent(f);
    expect(c.languages).toEqual(['nl', 'en']);
    expect(c.text.nl!.actions).toEqual(['Blijf thuis.', 'Help uw buren.']);
    expect(c.text.en!.places).toEqual(['Tap at the church']);
    const parsed = parseBoardContent({ ...c, updatedAt: new Date(0).toISOString() });
    expect(parsed.referrals).toEqual([{ need: 'water' }]);
    expect(parsed.text.nl?.situation).toBe('Geen stroom in de gemeente.');
  });

  it('leaves English out when it is not wanted, and then does not ask for English fields', () => {
    const f = { ...filled(), english: false };
    f.text.en = { situation: '', actions: '', outlook: '' };
    expect(validate(f, { kind: 'all' })).toEqual([]);
    const c = toContent(f);
    expect(Object.keys(c.text)).toEqual(['nl']);
    expect(() => parseBoardContent({ ...c, updatedAt: new Date(0).toISOString() })).not.toThrow();
  });

  it('names every missing or oversized field, and a target without points', () => {
    const f = filled();
    f.authority = ' ';
    f.text.nl.actions = '\n \n';
    f.text.en.outlook = 'x'.repeat(601);
    f.referrals[0]!.place.en = '';
    expect(validate(f, { kind: 'group', points: [] })).toEqual([
      { field: 'authority', problem: 'required' },
      { field: 'nl.actions', problem: 'required' },
      { field: 'en.outlook', problem: 'too-long' },
      { field: 'en.place.0', problem: 'required' },
      { field: 'target', problem: 'none-selected' },
    ]);
    f.text.nl.actions = Array.from({ length: 13 }, (_, i) => `Actie ${i}`).join('\n');
    expect(validate(f, { kind: 'all' })).toContainEqual({ field: 'nl.actions', problem: 'too-many' });
  });

  it('a form the validator passes is never refused by the gateway schema (every sample board content round-trips)', () => {
    const samples = Object.values(SAMPLE_CONTENT_SETS) as BoardContentInput[];
    for (const sample of samples) {
      const f = fromContent(emptyForm(), sample);
      expect(validate(f, { kind: 'all' }), sample.point.name).toEqual([]);
      const c = toContent(f);
      const parsed = parseBoardContent({ ...c, updatedAt: new Date(0).toISOString() });
      expect(parsed.text.nl?.actions).toEqual(sample.text.nl?.actions);
      expect(parsed.referrals.map((r) => r.need)).toEqual((sample.referrals ?? []).map((r) => r.need));
    }
  });

  it('starts from a CAP draft but keeps the operator’s board name and services', () => {
    const f = { ...filled(), services: ['information' as const, 'water' as const] };
    const next = fromCapDraft(f, {
      kind: 'draft',
      replaces: [],
      from: { en: 'en-US' },
      expiresAt: null,
      warnings: ['no Dutch text'],
      content: { point: { name: 'Coordinator' }, authority: 'NWS', source: 'coordinator', languages: ['nl', 'en'], text: { nl: { situation: 'Storm', actions: ['Blijf binnen'], outlook: 'Tot 18:00', places: [] }, en: { situation: 'Storm', actions: ['Stay inside'], outlook: 'Until 18:00', places: [] } }, referrals: [] },
    });
    expect(next.pointName).toBe('Dorpshuis De Brink');
    expect(next.authority).toBe('NWS');
    expect(next.services).toEqual(['information', 'water']);
    expect(next.text.en.actions).toBe('Stay inside');
    expect(next.referrals).toEqual([]);
  });

  it('maps targets to the gateway body and to the points they reach', () => {
    const known = ['p1', 'p2', 'p3'];
    expect(toTarget({ kind: 'all' })).toBe('all');
    expect(toTarget({ kind: 'point', point: 'p2' })).toEqual({ point: 'p2' });
    expect(toTarget({ kind: 'group', points: ['p1', 'p3', 'p1'] })).toEqual({ points: ['p1', 'p3'] });
    expect(targetPoints({ kind: 'all' }, known)).toEqual(known);
    expect(targetPoints({ kind: 'group', points: ['p3', 'p3'] }, known)).toEqual(['p3']);
  });
});
