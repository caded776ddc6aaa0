// Password hashes: scrypt for the embedded broker, and Mosquitto's own PBKDF2-SHA512 (`$7$`) so an
// external Mosquitto can be given a password_file without the plaintext ever being stored.
import { pbkdf2, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

// N=2^14, r=8: 16 MiB per check (bench `mqtt`: connect_auth_median); paid once per connect.
const SCRYPT = { N: 16384, r: 8, p: 1, keyLen: 32, saltLen: 16 } as const;
// Mosquitto 2's mosquitto_passwd uses 101 iterations; it reads the count from the hash, so more is fine.
const MOSQUITTO = { iterations: 1000, saltLen: 12, keyLen: 64 } as const;

export class PasswordHashError extends Error {
  override name = 'PasswordHashError';
}

// Each scrypt holds 16 MiB while it runs: a burst of CONNECTs (a reconnect storm or someone
// guessing) must queue rather than take the Pi's memory. Two at a time keeps both cores usable.
const MAX_CONCURRENT_SCRYPT = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function acquireSlot(): Promise<void> {
  if (running < MAX_CONCURRENT_SCRYPT) {
    running++;
    return;
  }
  // The releasing call hands its slot over directly, so `running` stays the true count.
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function releaseSlot(): void {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

async function scryptAsync(password: Buffer, salt: Buffer, keyLen: number, N: number, r: number, p: number): Promise<Buffer> {
  await acquireSlot();
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      // maxmem must exceed 128·N·r bytes.
      scrypt(password, salt, keyLen, { N, r, p, maxmem: 256 * N * r }, (err, key) => (err ? reject(err) : resolve(key)));
    });
  } finally {
    releaseSlot();
  }
}

/** A random secret for a node or service user: 32 bytes, base64url (43 characters, no padding). */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** `scrypt$N$r$p$<salt b64>$<key b64>` */
export async function hashScrypt(password: string | Buffer): Promise<string> {
  const salt = randomBytes(SCRYPT.saltLen);
  const key = await scryptAsync(Buffer.from(password), salt, SCRYPT.keyLen, SCRYPT.N, SCRYPT.r, SCRYPT.p);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface ParsedScrypt {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parseScrypt(hash: string): ParsedScrypt {
  const parts = hash.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') throw new PasswordHashError('not an scrypt hash');
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 17 || r > 16 || p > 4) {
    throw new PasswordHashError('scrypt parameters out of range');
  }
  const salt = Buffer.from(parts[4]!, 'base64');
  const key = Buffer.from(parts[5]!, 'base64');
  if (salt.length < 8 || key.length < 16) throw new PasswordHashError('scrypt salt or key too short');
  return { N, r, p, salt, key };
}

/** Checks the shape of a stored hash without computing anything (for loading files). */
export function isScryptHash(hash: string): boolean {
  try {
    parseScrypt(hash);
    return true;
  } catch {
    return false;
  }
}

export async function verifyScrypt(hash: string, password: string | Buffer): Promise<boolean> {
  const h = parseScrypt(hash);
  const key = await scryptAsync(Buffer.from(password), h.salt, h.key.length, h.N, h.r, h.p);
  return timingSafeEqual(key, h.key);
}

// Unknown users still cost one scrypt, so response time does not tell which usernames exist.
let dummyHash: Promise<string> | undefined;
export async function burnScrypt(password: string | Buffer): Promise<void> {
  dummyHash ??= hashScrypt(generateSecret());
  await verifyScrypt(await dummyHash, password);
}

/** Mosquitto 2 password_file hash: `$7$<iterations>$<salt b64>$<PBKDF2-HMAC-SHA512 b64>`. */
export async function hashMosquitto(password: string, salt = randomBytes(MOSQUITTO.saltLen), iterations: number = MOSQUITTO.iterations): Promise<string> {
  const key = await pbkdf2Async(Buffer.from(password, 'utf8'), salt, iterations, MOSQUITTO.keyLen, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export function isMosquittoHash(hash: string): boolean {
  return /^\$7\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/.test(hash);
}

/** Recomputes a `$7$` hash with its own salt and iteration count (used to cross-check mosquitto_passwd). */
export async function verifyMosquitto(hash: string, password: string): Promise<boolean> {
  if (!isMosquittoHash(hash)) throw new PasswordHashError('not a Mosquitto $7$ hash');
  const [, , iter, salt, key] = hash.split('$') as [string, string, string, string, string];
  const expected = Buffer.from(key, 'base64');
  const got = await pbkdf2Async(Buffer.from(password, 'utf8'), Buffer.from(salt, 'base64'), Number(iter), expected.length, 'sha512');
  return timingSafeEqual(got, expected);
}
