// Every per-feature string table (src/lib/i18n/tables/*.ts): the same keys in each language it has, the same
// {placeholders} as Dutch, no empty text; resident tables (all six languages) and console tables (nl, en).
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANGS } from '../../src/lib/i18n/strings.js';

const DIR = new URL('../../src/lib/i18n/tables/', import.meta.url);
const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe.each(files.length ? files : ['(none)'])('string table %s', (file) => {
  it('has the same keys and placeholders in every language', async () => {
    if (file === '(none)') return expect(files).toEqual([]);
    const mod = (await import(new URL(file, DIR).href)) as Record<string, unknown>;
    const tables = Object.entries(mod).filter(([, v]) => typeof v === 'object' && v !== null && 'nl' in v && 'en' in v);
    expect(tables.length, `${file} exports no string table`).toBeGreaterThan(0);
    for (const [name, table] of tables as [string, Record<string, Record<string, string>>][]) {
      const nl = table.nl!;
      const langs = Object.keys(table);
      // a table is either a console table (nl, en) or a resident table (every language)
      expect(langs.length === 2 || LANGS.every((l) => langs.includes(l)), `${name}: languages ${langs.join(',')}`).toBe(true);
      for (const lang of langs) {
        const t = table[lang]!;
        expect(Object.keys(t).sort(), `${name}.${lang} keys`).toEqual(Object.keys(nl).sort());
        for (const [k, v] of Object.entries(t)) {
          expect(v.trim().length, `${name}.${lang}.${k} is empty`).toBeGreaterThan(0);
          expect(placeholders(v), `${name}.${lang}.${k} placeholders`).toEqual(placeholders(nl[k]!));
        }
      }
    }
  });
});
