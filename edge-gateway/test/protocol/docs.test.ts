// Keeps docs/protocol.md honest: its examples must pass the schema and the frame parser.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { FrameParser, MAX_FRAME_BODY, MAX_FRAME_BYTES, TOPIC_ROOT, decodeMessage, encodeFrame, nodeTopics, parseMessage } from '../../src/protocol/index.js';
import { EXAMPLES } from './examples.js';

const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

function blocks(lang: string): string[] {
  const re = new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g');
  return [...doc.matchAll(re)].map((m) => m[1]!);
}

describe('docs/protocol.md', () => {
  it('has a valid example for every message type', () => {
    const examples = blocks('json').map((b) => JSON.parse(b) as unknown);
    const types = new Set<string>();
    for (const ex of examples) {
      // Strict equality: the schema must not have stripped anything the example shows.
      expect(parseMessage(ex)).toEqual(ex);
      types.add((ex as { type: string }).type);
    }
    expect([...types].sort()).toEqual(Object.keys(EXAMPLES).sort());
    for (const t of types) expect(doc).toContain(`### \`${t}\``);
  });

  it('shows frames the parser accepts', () => {
    const lines = blocks('text')
      .flatMap((b) => b.split('\n'))
      .filter((l) => l.startsWith('#NS{'));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      const bodies = new FrameParser().push(Buffer.from(line + '\n'));
      expect(bodies, line).toHaveLength(1);
      expect(encodeFrame(bodies[0]!)).toBe(line + '\n');
      decodeMessage(bodies[0]!);
    }
  });

  it('gives an Espruino frame builder that matches encodeFrame', () => {
    const [js] = blocks('js');
    // E.CRC32 stand-in returning a signed int, to exercise the `>>> 0` in the snippet.
    const E = { CRC32: (s: string) => crc32(Buffer.from(s, 'latin1')) | 0 };
    const build = new Function('E', `${js}\nreturn frame;`)(E) as (m: unknown) => string;
    for (const m of Object.values(EXAMPLES)) {
      const ascii = JSON.parse(JSON.stringify(m).replace(/[^\x20-\x7e]/g, '?')) as unknown;
      expect(build(ascii)).toBe(encodeFrame(JSON.stringify(ascii)));
    }
  });

  it('states the limits and topics the code uses', () => {
    expect(doc).toContain(`at most **${MAX_FRAME_BODY} bytes**`);
    expect(doc).toContain(`within ${MAX_FRAME_BYTES} bytes`);
    expect(doc).toContain(nodeTopics.up('<id>'));
    expect(doc).toContain(nodeTopics.down('<id>'));
    expect(doc).toContain(nodeTopics.state('<id>'));
    expect(doc).toContain(`${TOPIC_ROOT}/node/+/up`);
  });
});
