// The board's content on the resident page: which language's words are shown (and marked as such when they
// are not the reader's), who published it and when, services, hours and where to go for which need.
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { BoardSlots, formatDays, STALE_AFTER_MS } from '../../src/resident/BoardSlots.js';
import { chooseText, type BoardContent } from '../../src/lib/api/board.js';
import { createI18n } from '../../src/lib/i18n/i18n.js';
import type { Lang } from '../../src/lib/i18n/strings.js';
import { boardContentFixture } from '../../mock/fixtures.js';

const UPDATED = '2026-11-27T14:05:00+01:00';
const AT = Date.parse(UPDATED);

function render(content: BoardContent | null | undefined, lang: Lang, now = AT + 60_000): string {
  return renderToString(h(BoardSlots, { i18n: createI18n(lang), content, now }));
}

/** Text of one slot, tags stripped. */
function slot(html: string, id: string): string {
  const m = new RegExp(`<section class="ns-slot" data-slot="${id}"[^>]*>(.*?)</section>`).exec(html);
  if (!m) throw new Error(`no slot ${id}`);
  return m[1]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

describe('chooseText', () => {
  const c = boardContentFixture(UPDATED);
  it("takes the reader's language when the content has it", () => {
    expect(chooseText(c, 'ar')).toMatchObject({ lang: 'ar', fallback: false });
    expect(chooseText(c, 'nl')).toMatchObject({ lang: 'nl', fallback: false });
  });
  it('falls back to English, then Dutch, and says so', () => {
    expect(chooseText(c, 'uk')).toMatchObject({ lang: 'en', fallback: true });
    const dutchOnly = { ...c, languages: ['nl' as const], text: { nl: c.text.nl! } };
    expect(chooseText(dutchOnly, 'tr')).toMatchObject({ lang: 'nl', fallback: true });
    expect(chooseText({ languages: [], text: {} }, 'nl')).toBeNull();
  });
});

describe('BoardSlots', () => {
  it('fills the four questions in Arabic, with the needs in Arabic and places from the content', () => {
    const html = render(boardContentFixture(UPDATED), 'ar');
    expect(slot(html, 'situation')).toBe('ماذا يحدث؟ لا توجد كهرباء في البلدية كلها. السبب: عطل في شبكة الضغط العالي.');
    expect(slot(html, 'action')).toContain('اتصل بـ 112 في حالات الطوارئ فقط.');
    expect(slot(html, 'outlook')).toContain('من المتوقع أن تعود الكهرباء غدًا');
    expect(slot(html, 'referrals')).toContain('الإسعافات الأولية هنا، عند المدخل');
    // no fallback note and no foreign lang attribute when the reader's language is there
    expect(html).not.toContain('ns-content__fallback');
    expect(html).not.toMatch(/ lang="/);
  });

  it('shows English words marked lang="en" dir="ltr" to a Ukrainian reader, with a note in Ukrainian', () => {
    const html = render(boardContentFixture(UPDATED), 'uk');
    expect(html).toContain('<p class="ns-content__fallback" data-fallback="en">Цього повідомлення (ще) немає вашою мовою.');
    expect(html).toContain('<p class="ns-slot__text" lang="en" dir="ltr">There is no power in the whole municipality.');
    expect(html).toContain('<ul class="ns-slot__list" lang="en" dir="ltr">');
    // the need is the reader's word; the place keeps the content's language
    expect(html).toMatch(/<dt>Перша допомога<\/dt><dd lang="en" dir="ltr">Here, at the entrance<\/dd>/);
  });

  it('says who published it: signed by the coordination point, or the local staff', () => {
    const official = render(boardContentFixture(UPDATED), 'nl');
    expect(official).toContain('data-source="coordinator"');
    expect(official).toContain('Officieel bericht van Veiligheidsregio Drenthe. Ondertekend door het coördinatiepunt.');
    expect(official).toMatch(/Bijgewerkt op 27 november om \d\d:05/);
    const local = render({ ...boardContentFixture(UPDATED), source: 'local', authority: 'Vrijwilligers ter plaatse' }, 'en');
    expect(local).toContain('Message from the staff of this point (Vrijwilligers ter plaatse).');
    expect(local).not.toContain('Signed');
  });

  it('marks content older than six hours', () => {
    expect(render(boardContentFixture(UPDATED), 'nl', AT + STALE_AFTER_MS - 1)).not.toContain('ns-source__stale');
    expect(render(boardContentFixture(UPDATED), 'nl', AT + STALE_AFTER_MS + 60_000)).toContain('Let op: dit bericht is al wat ouder.');
  });

  it('lists services and opening hours in the reader language', () => {
    const html = render(boardContentFixture(UPDATED), 'nl');
    expect(html).toContain('<li data-service="charging">Telefoon opladen</li>');
    expect(html).toContain('<li>maandag – vrijdag: 08:00 tot 22:00</li>');
    expect(html).toContain('<li>zaterdag, zondag: 10:00 tot 18:00</li>');
    expect(formatDays([1, 2, 3, 4, 5, 6, 7], 'en-GB', 'Every day')).toBe('Every day');
    expect(formatDays([1, 3, 4, 5, 7], 'en-GB', 'Every day')).toBe('Monday, Wednesday – Friday, Sunday');
  });

  it('without content (none yet, or not loaded) keeps the empty questions', () => {
    for (const c of [null, undefined]) {
      const html = render(c, 'nl');
      expect(html.match(/ns-slot__empty/g)).toHaveLength(4);
      expect(html).not.toContain('ns-source');
    }
    const noReferrals = render({ ...boardContentFixture(UPDATED), referrals: [], text: { nl: { ...boardContentFixture().text.nl!, places: [] } }, languages: ['nl'] }, 'nl');
    expect(slot(noReferrals, 'referrals')).toBe('Waar kunt u terecht? Hier is nog geen bericht. Vraag het aan een medewerker.');
  });
});
