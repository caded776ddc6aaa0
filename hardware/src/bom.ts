// Bill of materials: hardware/bom.json is the source, validated here; hardware/BOM.md is generated from it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const BomSchema = z.strictObject({
  title: z.string().min(1),
  items: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
        section: z.string().min(1),
        part: z.string().min(1),
        qty: z.number().int().positive(),
        purpose: z.string().min(1),
        alternatives: z.array(z.string().min(1)),
      }),
    )
    .min(1)
    .refine((items) => new Set(items.map((i) => i.id)).size === items.length, 'item ids must be unique'),
});

export type Bom = z.infer<typeof BomSchema>;

export const BOM_FILE = fileURLToPath(new URL('../bom.json', import.meta.url));

export function loadBom(file: string = BOM_FILE): Bom {
  return BomSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** Markdown: one table per section, in the order sections first appear. */
export function bomMarkdown(bom: Bom): string {
  const sections = [...new Set(bom.items.map((i) => i.section))];
  const out = [`# ${bom.title}`, '', '<!-- Generated from hardware/bom.json by `npm run -w hardware generate`; edit the JSON, not this file. -->', ''];
  for (const s of sections) {
    out.push(`## ${s}`, '', '| Qty | Part | Purpose | Alternatives |', '|---:|---|---|---|');
    for (const i of bom.items.filter((x) => x.section === s)) {
      out.push(`| ${i.qty} | ${cell(i.part)} | ${cell(i.purpose)} | ${i.alternatives.length ? i.alternatives.map(cell).join('; ') : '—'} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
