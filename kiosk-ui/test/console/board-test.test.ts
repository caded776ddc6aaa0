// The wizard's board step: the state line for each phase of the test on the e-ink panel (nl, en), with the
// gateway's times, and the step's first render (button, hint) before anything is known.
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { BoardTools, boardTestMessage } from '../../src/console/routes/technician/BoardTestTools.js';
import type { BoardTest, TechnicianApi } from '../../src/lib/api/technician.js';
import { createI18n } from '../../src/lib/i18n/i18n.js';
import { translator } from '../../src/lib/i18n/table.js';
import { technicianStrings } from '../../src/lib/i18n/tables/technician.js';

const tFor = (lang: 'nl' | 'en') => translator(technicianStrings, createI18n(lang, ['nl', 'en']));
const time = (at: number | null) => (at === null ? '?' : `T${at}`);
const test = (over: Partial<BoardTest>): BoardTest => ({
  id: 1, phase: 'pending', requestedAt: 0, dueAt: null, shownAt: null, refreshMs: null, restoreFrom: null, holdUntil: null,
  restoreRequestedAt: null, restoreAt: null, restoredAt: null, error: null, ...over,
});

describe('wizard board test step', () => {
  it('says what the panel is doing in each phase, with the times', () => {
    const en = tFor('en');
    expect(boardTestMessage(test({ dueAt: 180 }), en, time)).toBe('Waiting for the panel: the pattern goes on at T180.');
    expect(boardTestMessage(test({}), en, time)).toMatch(/refreshing now/);
    expect(boardTestMessage(test({ phase: 'showing', shownAt: 200, refreshMs: 4300 }), en, time)).toBe('The pattern has been on the panel since T200. The refresh took 4.3 s.');
    expect(boardTestMessage(test({ phase: 'restoring' }), en, time)).toMatch(/Putting the normal content back/);
    expect(boardTestMessage(test({ phase: 'restored', restoredAt: 400 }), en, time)).toBe('The normal content has been back on the panel since T400.');
    expect(boardTestMessage(test({ phase: 'failed', error: 'BUSY for more than 20000 ms' }), en, time)).toBe('The panel did not show the pattern: BUSY for more than 20000 ms');
    expect(boardTestMessage(test({ phase: 'cancelled' }), en, time)).toMatch(/stopped before/);
    const nl = tFor('nl');
    expect(boardTestMessage(test({ dueAt: 180 }), nl, time)).toBe('Wacht op het paneel: het patroon komt erop om T180.');
    expect(boardTestMessage(test({ phase: 'showing', shownAt: 200, refreshMs: 4300 }), nl, time)).toBe('Het patroon staat op het paneel sinds T200. Het verversen duurde 4.3 s.');
  });

  it('renders the start button and the hint before the gateway has answered', () => {
    const api = { boardTestView: () => new Promise(() => undefined) } as unknown as TechnicianApi;
    const html = renderToString(h(BoardTools, { api, t: tFor('nl'), i18n: createI18n('nl', ['nl', 'en']), onMeasured: () => undefined }));
    expect(html).toContain('data-action="board-test"');
    expect(html).toContain('Testpatroon op het paneel zetten');
    expect(html).not.toContain('data-board-test');
    expect(html).not.toContain('data-action="board-seen"');
  });
});
