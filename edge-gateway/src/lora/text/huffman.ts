// Canonical Huffman codes from code lengths (decoding, encoding) and lengths from weights (training).

export interface CanonicalCode {
  lengths: readonly number[];
  codes: number[];
  /** Symbols sorted by (length, index) and how many codes each length has. */
  sorted: number[];
  counts: number[];
  maxLength: number;
}

export function canonicalCode(lengths: readonly number[]): CanonicalCode {
  const maxLength = Math.max(...lengths);
  const counts = new Array<number>(maxLength + 1).fill(0);
  for (const l of lengths) if (l > 0) counts[l] = (counts[l] ?? 0) + 1;
  const sorted = lengths
    .map((l, i) => [l, i] as const)
    .filter(([l]) => l > 0)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .map(([, i]) => i);
  const codes = new Array<number>(lengths.length).fill(-1);
  let code = 0;
  let prev = 0;
  for (const sym of sorted) {
    const l = lengths[sym] ?? 0;
    code *= 2 ** (l - prev);
    prev = l;
    codes[sym] = code++;
  }
  return { lengths, codes, sorted, counts, maxLength };
}

/** Sum of 2^-length: exactly 1 for a complete prefix code. */
export function kraftSum(lengths: readonly number[]): number {
  return lengths.reduce((s, l) => (l > 0 ? s + 2 ** -l : s), 0);
}

/** Huffman code lengths for positive weights (deterministic: ties broken by creation order). */
export function huffmanLengths(weights: readonly number[]): number[] {
  interface Node {
    w: number;
    order: number;
    syms: number[];
  }
  let nodes: Node[] = weights.map((w, i) => ({ w, order: i, syms: [i] }));
  const lengths = new Array<number>(weights.length).fill(0);
  let order = weights.length;
  while (nodes.length > 1) {
    nodes.sort((a, b) => a.w - b.w || a.order - b.order);
    const [a, b] = nodes as [Node, Node];
    for (const s of [...a.syms, ...b.syms]) lengths[s] = (lengths[s] ?? 0) + 1;
    nodes = [{ w: a.w + b.w, order: order++, syms: [...a.syms, ...b.syms] }, ...nodes.slice(2)];
  }
  return lengths;
}
