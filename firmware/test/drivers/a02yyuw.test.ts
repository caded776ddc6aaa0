import { describe, it, expect } from 'vitest';
import { a02Frame, A02Parser } from '../../src/drivers/a02yyuw/a02yyuw.js';

describe('A02YYUW parser', () => {
  it('decodes frames split anywhere and resyncs after garbage', () => {
    const got: number[] = [];
    const p = new A02Parser((mm) => got.push(mm));
    const stream = '\x00\x12' + a02Frame(1234) + a02Frame(30) + '\xff\x01' + a02Frame(4500);
    for (let i = 0; i < stream.length; i += 3) p.push(stream.slice(i, i + 3));
    expect(got).toEqual([1234, 30, 4500]);
  });

  it('drops frames with a bad checksum', () => {
    const got: number[] = [];
    const p = new A02Parser((mm) => got.push(mm));
    const bad = a02Frame(800).slice(0, 3) + '\x00';
    p.push(bad + a02Frame(801));
    expect(got).toEqual([801]);
    expect(p.bad).toBe(1);
  });
});
