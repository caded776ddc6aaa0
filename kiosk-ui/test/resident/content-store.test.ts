// The status page's board content: read once, read again only when the board's time changes, one read at
// a time; and the initial-data block the gateway puts in the page.
import { describe, expect, it } from 'vitest';
import { createContentStore } from '../../src/resident/content-store.js';
import { initialScript, readInitial } from '../../src/resident/initial.js';
import type { BoardContent } from '../../src/lib/api/board.js';
import { boardContentFixture, statusFixture } from '../../mock/fixtures.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('content store', () => {
  it('reads again when status.board.updatedAt changes, not for every status', async () => {
    let reads = 0;
    const store = createContentStore({ fetch: async () => (reads++, boardContentFixture(`2026-11-27T14:0${reads}:00+01:00`)), initial: { content: boardContentFixture(), boardUpdatedAt: 100 } });
    expect(store.content.value?.updatedAt).toBe('2026-11-27T14:05:00+01:00');
    store.boardChanged(100);
    store.boardChanged(100);
    await tick();
    expect(reads).toBe(0);
    store.boardChanged(200);
    await tick();
    expect(reads).toBe(1);
    expect(store.content.value?.updatedAt).toBe('2026-11-27T14:01:00+01:00');
  });

  it('without initial content reads once, and a burst of changes costs one request', async () => {
    let reads = 0;
    let release: (c: BoardContent | null) => void = () => undefined;
    const store = createContentStore({ fetch: () => (reads++, new Promise((r) => (release = r))) });
    expect(store.content.value).toBeUndefined();
    store.boardChanged(1);
    store.boardChanged(2);
    store.boardChanged(3);
    expect(reads).toBe(1);
    release(null);
    await tick();
    expect(store.content.value).toBeNull();
  });
});

describe('initial data block', () => {
  it('round-trips and cannot be closed by text inside it', () => {
    const content = { ...boardContentFixture(), authority: '</script><script>alert(1)</script>' };
    const html = initialScript({ status: statusFixture(1), content });
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    const doc = { getElementById: () => ({ textContent: html.replace(/^<script[^>]*>/, '').replace(/<\/script>$/, '') }) } as unknown as Document;
    expect(readInitial(doc)?.content?.authority).toBe('</script><script>alert(1)</script>');
    expect(readInitial({ getElementById: () => null })).toBeNull();
    expect(readInitial({ getElementById: () => ({ textContent: '{oops' }) } as unknown as Document)).toBeNull();
  });
});
