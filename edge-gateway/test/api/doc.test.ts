import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_DOC_PATH, apiDocText } from '../../src/api/write-doc.js';

describe('docs/api.md', () => {
  it('matches the request table in src/api/routes.ts (regenerate with src/api/write-doc.ts)', () => {
    const doc = apiDocText();
    expect(doc).toContain('| POST | `/api/reports/emergency` |');
    expect(readFileSync(API_DOC_PATH, 'utf8')).toBe(doc);
  });
});
