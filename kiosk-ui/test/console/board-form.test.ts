// The staff board form against the gateway's own content schema: what the form sends is what the board takes.
import { describe, expect, it } from 'vitest';
import { BoardContentSchema } from '../../../edge-gateway/src/board/content.js';
import { sampleContent } from '../../../edge-gateway/src/board/sample-content.js';
import type { BoardContent } from '../../src/lib/api/board.js';
import { contentFromForm, formFromContent, missingActions } from '../../src/console/routes/staff/board-form.js';

const asLocal = (body: Record<string, unknown>) => BoardContentSchema.parse({ ...body, source: 'local', updatedAt: '2026-11-27T20:00:00+01:00' });

describe('staff board form', () => {
  it('round-trips the current content (Dutch and English) into content the gateway accepts', () => {
    const current = sampleContent() as BoardContent;
    const { form, dropped } = formFromContent(current, 'ignored', 'Vrijwilligers');
    const parsed = asLocal(contentFromForm(form));
    expect(parsed.text.nl).toEqual(current.text.nl);
    expect(parsed.text.en).toEqual(current.text.en);
    expect(parsed.referrals).toEqual(current.referrals);
    expect(parsed.openingHours).toEqual(current.openingHours);
    expect(new Set(parsed.services)).toEqual(new Set(current.services));
    expect(parsed.point.name).toBe(current.point.name);
    expect(dropped).toEqual(current.languages.filter((l) => l !== 'nl' && l !== 'en'));
    // a coordinator's authority is not taken over by local staff
    expect(parsed.authority).toBe(current.source === 'local' ? current.authority : 'Vrijwilligers');
  });

  it('builds valid content from a blank form once the words are filled in', () => {
    const { form } = formFromContent(null, 'Dorpshuis De Linde', 'Vrijwilligers ter plaatse');
    expect(missingActions(form)).toBe('nl');
    form.text.nl = { situation: 'De stroom is uitgevallen.', actions: 'Blijf binnen.\n\n  Help uw buren. ', outlook: 'Morgen meer nieuws.' };
    expect(missingActions(form)).toBe('en');
    form.text.en = { situation: 'The power is out.', actions: 'Stay inside.\nHelp your neighbours.', outlook: 'More news tomorrow.' };
    expect(missingActions(form)).toBeNull();
    form.referrals.push({ need: 'water', place: { nl: 'Sporthal', en: 'Sports hall' } });
    form.services = ['water', 'charging'];
    form.hours.push({ days: [7, 1], from: '08:00', to: '20:00' });
    const parsed = asLocal(contentFromForm(form));
    expect(parsed.text.nl?.actions).toEqual(['Blijf binnen.', 'Help uw buren.']);
    expect(parsed.text.en?.places).toEqual(['Sports hall']);
    expect(parsed.services).toEqual(['charging', 'water']);
    expect(parsed.openingHours).toEqual([{ days: [1, 7], from: '08:00', to: '20:00' }]);
    expect(parsed.languages).toEqual(['nl', 'en']);
  });
});
