// Refuses any text below the legibility minimum. Works on the element tree handed to satori (with
// function components expanded), so it checks what is drawn, not what a component meant to draw.
import type { ComponentChildren, VNode } from 'preact';

export interface TextRun {
  text: string;
  fontPx: number;
}

export class LegibilityError extends Error {
  override name = 'LegibilityError';
  constructor(
    readonly offenders: TextRun[],
    readonly minPx: number,
  ) {
    const list = offenders.slice(0, 5).map((o) => `"${o.text.slice(0, 30)}" at ${o.fontPx}px`);
    super(`${offenders.length} text run(s) below the legibility minimum of ${minPx}px: ${list.join(', ')}`);
  }
}

/** satori's default font size when nothing sets one. */
const DEFAULT_FONT_PX = 16;

function fontSizeOf(style: unknown, inherited: number): number {
  if (style && typeof style === 'object' && 'fontSize' in style) {
    const fs = (style as { fontSize: unknown }).fontSize;
    if (typeof fs === 'number') return fs;
    if (typeof fs === 'string' && /^\d+(\.\d+)?px$/.test(fs)) return parseFloat(fs);
    // em, %, rem…: the board does not use them; treat as unknown and therefore too small.
    return 0;
  }
  return inherited;
}

/** Every text run in the tree with the font size it will be drawn at. */
export function collectTextRuns(node: ComponentChildren, inherited = DEFAULT_FONT_PX, out: TextRun[] = []): TextRun[] {
  if (node === null || node === undefined || typeof node === 'boolean') return out;
  if (typeof node === 'string' || typeof node === 'number' || typeof node === 'bigint') {
    const text = String(node);
    if (text.trim()) out.push({ text, fontPx: inherited });
    return out;
  }
  if (Array.isArray(node)) {
    for (const n of node) collectTextRuns(n as ComponentChildren, inherited, out);
    return out;
  }
  const vnode = node as VNode<Record<string, unknown>>;
  if (typeof vnode.type === 'function') {
    const rendered = (vnode.type as (p: unknown) => ComponentChildren)(vnode.props);
    return collectTextRuns(rendered, inherited, out);
  }
  const props = vnode.props ?? {};
  const size = fontSizeOf(props.style, inherited);
  return collectTextRuns(props.children as ComponentChildren, size, out);
}

/** Throws LegibilityError when any text would be drawn smaller than `minPx`. */
export function assertLegible(tree: ComponentChildren, minPx: number): void {
  const offenders = collectTextRuns(tree).filter((r) => r.fontPx < minPx);
  if (offenders.length > 0) throw new LegibilityError(offenders, minPx);
}
