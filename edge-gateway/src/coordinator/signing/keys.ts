// The coordinator's Ed25519 board-signing key: created at set-up, kept as PKCS#8 PEM in a 0600
// file (atomic write, so a power cut never leaves half a key). Points get the public key
// (32 raw bytes, base64url) and its key id at commissioning.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../broker/atomic-file.js';

export const SIGNING_KEY_FILE = 'board-signing.key';
/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 raw key bytes follow. */
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export class SigningKeyError extends Error {
  override name = 'SigningKeyError';
}

export interface PublicKeyInfo {
  /** First 8 bytes of SHA-256 of the raw public key, hex: names the key in every envelope. */
  keyId: string;
  /** Raw 32-byte public key, base64url: what a point is commissioned with. */
  publicKey: string;
}

export interface SigningKey extends PublicKeyInfo {
  privateKey: KeyObject;
  publicKeyObject: KeyObject;
}

export function rawPublicKey(key: KeyObject): Buffer {
  const der = key.export({ format: 'der', type: 'spki' });
  if (der.length !== 44 || !der.subarray(0, 12).equals(SPKI_ED25519_PREFIX)) throw new SigningKeyError('not an Ed25519 public key');
  return der.subarray(12);
}

export const keyIdOf = (raw: Uint8Array): string => createHash('sha256').update(raw).digest().subarray(0, 8).toString('hex');

/** A point's trusted key from its commissioning value (base64url of the 32 raw bytes). */
export function publicKeyFromBase64(b64: string): { keyId: string; key: KeyObject } {
  const raw = Buffer.from(b64, 'base64url');
  if (raw.length !== 32) throw new SigningKeyError(`an Ed25519 public key is 32 bytes, got ${raw.length}`);
  return { keyId: keyIdOf(raw), key: createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: 'der', type: 'spki' }) };
}

function fromPrivate(privateKey: KeyObject): SigningKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new SigningKeyError(`expected an Ed25519 key, got ${privateKey.asymmetricKeyType}`);
  const publicKeyObject = createPublicKey(privateKey);
  const raw = rawPublicKey(publicKeyObject);
  return { privateKey, publicKeyObject, keyId: keyIdOf(raw), publicKey: raw.toString('base64url') };
}

export function generateSigningKey(): SigningKey {
  return fromPrivate(generateKeyPairSync('ed25519').privateKey);
}

/** Loads `<dir>/board-signing.key`, creating it on first use. Refuses a key file others can read. */
export async function loadOrCreateSigningKey(dir: string): Promise<SigningKey & { created: boolean }> {
  const path = join(dir, SIGNING_KEY_FILE);
  let pem: string;
  try {
    const st = await stat(path);
    if (st.mode & 0o077) throw new SigningKeyError(`${path} is readable by others (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it`);
    pem = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      if (err instanceof SigningKeyError) throw err;
      throw new SigningKeyError(`cannot read ${path}`, { cause: err });
    }
    const key = generateSigningKey();
    await writeFileAtomic(path, key.privateKey.export({ format: 'pem', type: 'pkcs8' }), 0o600);
    return { ...key, created: true };
  }
  try {
    return { ...fromPrivate(createPrivateKey(pem)), created: false };
  } catch (err) {
    if (err instanceof SigningKeyError) throw err;
    throw new SigningKeyError(`${path} holds no usable private key`, { cause: err });
  }
}
