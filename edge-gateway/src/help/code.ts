// The short code a resident gets at registration to withdraw their own entry later. Six characters from an
// alphabet without look-alikes (0/O, 1/I/L) so it can be read off a screen and typed on a kiosk; 31^6 ≈ 887
// million codes, and the resident routes are rate-limited, so guessing one is impractical.
import { createHash, randomInt } from 'node:crypto';

export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 6;

export function newCode(): string {
  let s = '';
  for (let i = 0; i < CODE_LENGTH; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

/** Upper case, spaces and dashes removed; null when it cannot be a code. */
export function normalizeCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '');
  if (s.length !== CODE_LENGTH || [...s].some((c) => !CODE_ALPHABET.includes(c))) return null;
  return s;
}

export const hashCode = (code: string): string => createHash('sha256').update(`help-code:${code}`).digest('hex');
