// Renders the resident screen to HTML (preact-render-to-string) and checks what a resident would read.
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { StatusPage, SLOTS } from '../../src/resident/StatusPage.js';
import { createI18n } from '../../src/lib/i18n/i18n.js';
import type { Lang } from '../../src/lib/i18n/strings.js';
import type { StatusData } from '../../src/lib/api/types.js';
import type { BoardContent } from '../../src/lib/api/board.js';
import { boardContentFixture, statusFixture } from '../../mock/fixtures.js';

function render(status: StatusData | null, lang: Lang = 'nl', extra: { lost?: boolean; mode?: 'live' | 'polling' | 'connecting'; content?: BoardContent | null } = {}) {
  return renderToString(h(StatusPage, { i18n: createI18n(lang), status, mode: extra.mode ?? 'live', lost: extra.lost ?? false, content: extra.content }));
}

/** The text of the status item of one kind, tags stripped. */
function item(html: string, kind: string): { tone: string; text: string } {
  const m = new RegExp(`<li class="ns-status__item" data-kind="${kind}" data-tone="(\\w+)">(.*?)</li>`).exec(html);
  if (!m) throw new Error(`no status item ${kind} in ${html}`);
  return { tone: m[1]!, text: m[2]!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() };
}

describe('resident StatusPage', () => {
  it('shows the point name and plain-language levels, not raw numbers', () => {
    const html = render(statusFixture(1_000));
    expect(html).toContain('<h1 class="ns-header__name" dir="auto">Dorpshuis De Linde</h1>');
    expect(item(html, 'fuel')).toEqual({ tone: 'warn', text: '! Brandstof voor de stroom Wordt minder' });
    expect(item(html, 'battery')).toEqual({ tone: 'ok', text: '✓ Accu (bewaarde stroom) Goed vol' });
    expect(item(html, 'visitors')).toEqual({ tone: 'ok', text: '✓ Drukte Rustig' });
    // raw values from the fixture (61.5 L, 41 %, 25.6 V, 78 %, 22 inside) stay in the console
    expect(html).not.toMatch(/61[.,]5|41 ?%|25[.,]6|78 ?%|>22</);
  });

  it('shows unknown readings as "Onbekend", never as 0 or empty', () => {
    const s = statusFixture(1_000);
    s.readings = { fuel: { litres: null, pct: null, status: 'blind', refuelling: false }, battery: null, visitors: null, charger: null };
    const html = render(s);
    for (const kind of ['fuel', 'battery', 'visitors']) {
      const it = item(html, kind);
      expect(it.tone, kind).toBe('unknown');
      expect(it.text.endsWith('Onbekend'), it.text).toBe(true);
    }
    expect(html).not.toMatch(/>0</);
    expect(item(render(s, 'en'), 'battery').text).toMatch(/Unknown$/);
  });

  it('says when the generator is being refuelled', () => {
    const s = statusFixture(1_000);
    s.readings.fuel = { litres: 5, pct: 4, status: 'ok', refuelling: true };
    expect(item(render(s, 'en'), 'fuel')).toEqual({ tone: 'bad', text: '!! Fuel for the power Almost gone Being refuelled now' });
  });

  it('without board content has the four slots empty, in the chosen language', () => {
    const html = render(statusFixture(1_000), 'ar');
    for (const slot of SLOTS) expect(html).toContain(`data-slot="${slot.id}"`);
    expect(html).toContain('ماذا يحدث؟');
    expect(html).toContain('لا توجد رسالة هنا بعد. اسأل أحد الموظفين.');
  });

  it('with board content fills the four slots and links to charging', () => {
    const html = render(statusFixture(Date.parse('2026-11-27T14:30:00+01:00')), 'nl', { content: boardContentFixture() });
    expect(html).not.toContain('ns-slot__empty');
    expect(html).toContain('Er is geen stroom in de hele gemeente.');
    expect(html).toContain('<li>Bel 112 alleen bij nood.</li>');
    expect(html).toContain('De stroom is naar verwachting morgen na 18:00 terug.');
    expect(html).toMatch(/<dt>Eerste hulp<\/dt><dd>Hier, bij de ingang<\/dd>/);
    expect(html).toContain('href="/charging?lang=nl"');
    expect(html).toContain('Vrije plekken nu: 3');
  });

  it('shows the board image with alt text only when there is one', () => {
    expect(render(statusFixture(1_000))).not.toContain('ns-board');
    const s = statusFixture(1_000);
    s.board = { image: '/api/board/latest.png', updatedAt: 1_700_000_000_000 };
    const html = render(s, 'en');
    expect(html).toContain('src="/api/board/latest.png?v=1700000000000"');
    expect(html).toContain('alt="The information board of Dorpshuis De Linde"');
  });

  it('offers each language as a ?lang= link in its own language, marking the current one', () => {
    const html = render(statusFixture(1_000), 'ar');
    const links = [...html.matchAll(/<a class="ns-lang__button"[^>]*>[^<]*<\/a>/g)].map((m) => m[0]);
    expect(links).toHaveLength(6);
    expect(links.find((a) => a.includes('lang="ar"'))).toMatch(/href="\?lang=ar".*dir="rtl".*aria-current="true".*>العربية</);
    expect(links.find((a) => a.includes('lang="nl"'))).toMatch(/href="\?lang=nl".*dir="ltr".*>Nederlands</);
    expect(links.filter((a) => a.includes('aria-current'))).toHaveLength(1);
  });

  it('before the first answer says it is loading, or that the connection is lost', () => {
    expect(render(null, 'en', { mode: 'connecting' })).toContain('Please wait, loading…');
    const lost = render(null, 'en', { lost: true, mode: 'polling' });
    expect(lost).toContain('data-state="lost"');
    expect(lost).toContain('No connection to the point.');
    expect(lost).not.toContain('ns-status__item');
  });
});
