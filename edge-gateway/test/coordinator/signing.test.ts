import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleContent } from '../../src/board/sample-content.js';
import type { BoardContent } from '../../src/board/content.js';
import {
  BoardSigner,
  BoardVerifier,
  FileCounterStore,
  LoraBoardReceiver,
  MemoryCounterStore,
  SIGNING_KEY_FILE,
  SigningKeyError,
  boardResult,
  BoardResultSchema,
  canonicalJson,
  generateSigningKey,
  loadOrCreateSigningKey,
  loraBoardExpired,
  publicKeyFromBase64,
  signPayload,
  type SignedBoard,
  type SigningKey,
  type TrustedKey,
} from '../../src/coordinator/signing/index.js';
import { encodeMessage, type BoardMessage } from '../../src/lora/codec/index.js';
import { buildDataFrame } from '../../src/sim/lora/frames.js';

const content: BoardContent = sampleContent('power-outage');
const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'noodsteun-signing-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const trust = (k: SigningKey, issuer = 'coord-1'): TrustedKey => {
  const pub = publicKeyFromBase64(k.publicKey);
  return { issuer, keyId: pub.keyId, key: pub.key };
};

describe('canonical JSON', () => {
  it('sorts keys at every level and ignores wire whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 'x', c: null }], e: undefined })).toBe('{"a":[{"c":null,"d":"x"}],"b":1}');
    expect(canonicalJson(JSON.parse('{ "z" : 1 ,\n "y": 2 }'))).toBe('{"y":2,"z":1}');
    expect(() => canonicalJson({ a: NaN })).toThrow();
    expect(() => canonicalJson(new Date())).toThrow();
  });
});

describe('signing key storage', () => {
  it('creates a 0600 key once and loads the same key again', async () => {
    const a = await loadOrCreateSigningKey(dir);
    expect(a.created).toBe(true);
    expect((await stat(join(dir, SIGNING_KEY_FILE))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, SIGNING_KEY_FILE), 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
    const b = await loadOrCreateSigningKey(dir);
    expect(b.created).toBe(false);
    expect(b.keyId).toBe(a.keyId);
    expect(b.publicKey).toBe(a.publicKey);
    expect(publicKeyFromBase64(a.publicKey).keyId).toBe(a.keyId);
  });
  it('refuses a key file others can read, and garbage', async () => {
    await loadOrCreateSigningKey(dir);
    await chmod(join(dir, SIGNING_KEY_FILE), 0o644);
    await expect(loadOrCreateSigningKey(dir)).rejects.toThrow(SigningKeyError);
    await writeFile(join(dir, SIGNING_KEY_FILE), 'not a key', { mode: 0o600 });
    await chmod(join(dir, SIGNING_KEY_FILE), 0o600);
    await expect(loadOrCreateSigningKey(dir)).rejects.toThrow(/no usable private key/);
  });
});

describe('signed board content over MQTT: the point verifies', () => {
  async function setup() {
    const key = await loadOrCreateSigningKey(dir);
    const signer = new BoardSigner({ key, issuer: 'coord-1', counters: await FileCounterStore.open(join(dir, 'signer-seq.json')) });
    const pointCounters = await FileCounterStore.open(join(dir, 'point-replay.json'));
    const verifier = new BoardVerifier({ point: 'p1', groups: ['north'], trusted: [trust(key)], counters: pointCounters });
    return { key, signer, verifier };
  }
  const wire = (s: SignedBoard) => JSON.stringify(s);

  it('accepts good content for itself, its group and all; sequence persists across restarts', async () => {
    const { signer, verifier } = await setup();
    for (const target of [{ kind: 'point', point: 'p1' }, { kind: 'group', group: 'north' }, { kind: 'all' }] as const) {
      const r = await verifier.verify(wire(await signer.sign(content, target, NOW, HOUR)), NOW + 1000);
      expect(r).toMatchObject({ ok: true });
      if (r.ok) expect(r.content.authority).toBe(content.authority);
    }
    // A restarted signer continues after the last sequence it used.
    const again = new BoardSigner({ key: await loadOrCreateSigningKey(dir), issuer: 'coord-1', counters: await FileCounterStore.open(join(dir, 'signer-seq.json')) });
    expect((await again.sign(content, { kind: 'all' }, NOW, HOUR)).payload.seq).toBe(4);
  });

  it('rejects unsigned, forged, wrong-key, expired, not-yet-valid, replayed and misdirected content', async () => {
    const { key, signer, verifier } = await setup();
    const reason = async (raw: string, at = NOW + 1000) => {
      const r = await verifier.verify(raw, at);
      return r.ok ? 'accepted' : r.reason;
    };
    expect(await reason(JSON.stringify(content))).toBe('unsigned');
    expect(await reason('{oops')).toBe('malformed');

    const good = await signer.sign(content, { kind: 'point', point: 'p1' }, NOW, HOUR);
    // Forged: content changed after signing.
    const forged = structuredClone(good);
    (forged.payload.content as BoardContent).text.nl!.situation = 'Alles is veilig, ga naar huis.';
    expect(await reason(wire(forged))).toBe('bad-signature');
    // Forged: the target widened after signing.
    expect(await reason(wire({ ...good, payload: { ...good.payload, target: { kind: 'all' } } }))).toBe('bad-signature');
    // Forged: a random signature.
    expect(await reason(wire({ ...good, sig: randomBytes(64).toString('base64url') }))).toBe('bad-signature');
    // Wrong key claiming the trusted key's id.
    const mallory = generateSigningKey();
    expect(await reason(wire(signPayload(good.payload, mallory)))).toBe('bad-signature');
    // Wrong key under its own id, and the right key under another issuer name.
    expect(await reason(wire(signPayload({ ...good.payload, keyId: mallory.keyId }, mallory)))).toBe('unknown-key');
    expect(await reason(wire(signPayload({ ...good.payload, issuer: 'coord-2' }, key)))).toBe('unknown-key');
    // An extra field the signature does not cover is refused, not ignored.
    expect(await reason(wire({ ...good, payload: { ...good.payload, extra: 1 } as SignedBoard['payload'] }))).toBe('malformed');

    expect(await reason(wire(good), NOW + HOUR)).toBe('expired');
    expect(await reason(wire(await signer.sign(content, { kind: 'all' }, NOW + 2 * HOUR, HOUR)), NOW)).toBe('not-yet-valid');
    expect(await reason(wire(await signer.sign(content, { kind: 'point', point: 'p2' }, NOW, HOUR)))).toBe('wrong-target');
    expect(await reason(wire(await signer.sign(content, { kind: 'group', group: 'south' }, NOW, HOUR)))).toBe('wrong-target');

    const fresh = await signer.sign(content, { kind: 'all' }, NOW, HOUR);
    expect(await reason(wire(fresh))).toBe('accepted');
    expect(await reason(wire(fresh))).toBe('replayed');
    // The earlier, never-accepted `good` is older than what was accepted: a replay now.
    expect(await reason(wire(good))).toBe('replayed');
    // Replay protection survives a restart of the point.
    const restarted = new BoardVerifier({ point: 'p1', trusted: [trust(key)], counters: await FileCounterStore.open(join(dir, 'point-replay.json')) });
    const r = await restarted.verify(wire(fresh), NOW + 1000);
    expect(r.ok ? 'accepted' : r.reason).toBe('replayed');
  });

  it('reports the result back in a typed message', async () => {
    const { signer, verifier } = await setup();
    const s = await signer.sign(content, { kind: 'all' }, NOW, HOUR);
    const bad = await verifier.verify(JSON.stringify({ ...s, sig: randomBytes(64).toString('base64url') }), NOW);
    const msg = boardResult('p1', bad, NOW);
    expect(BoardResultSchema.parse(msg)).toMatchObject({ point: 'p1', result: 'bad-signature', issuer: 'coord-1', seq: s.payload.seq });
    expect(boardResult('p1', await verifier.verify(JSON.stringify(s), NOW), NOW).result).toBe('accepted');
  });
});

describe('board content over LoRa: authenticated by the LoRaWAN session', () => {
  const session = { devAddr: '26011bda', keys: { appSKey: randomBytes(16), nwkSKey: randomBytes(16) } };
  const board: BoardMessage = { kind: 'board', id: 3, slot: 1, priority: 'warning', validHours: 6, template: 'boil_water', params: {} };
  const frame = (fCnt: number, keys = session.keys, devAddr = session.devAddr) => {
    const f = encodeMessage(board);
    return buildDataFrame('down', { devAddr, fCnt, port: f.port, payload: Buffer.from(f.bytes), confirmed: false, ack: false }, keys);
  };

  it('accepts in-session frames and rejects forged, wrong-key, replayed and misdirected ones', async () => {
    const rx = new LoraBoardReceiver(session, new MemoryCounterStore());
    const reason = async (phy: Buffer) => {
      const r = await rx.receive(phy, NOW);
      return r.ok ? 'accepted' : r.reason;
    };
    const first = frame(5);
    const r = await rx.receive(first, NOW);
    expect(r).toMatchObject({ ok: true, fCnt: 5, board: { template: 'boil_water', validHours: 6 } });
    expect(await reason(first)).toBe('replayed');
    const wrongKey = frame(6, { appSKey: session.keys.appSKey, nwkSKey: randomBytes(16) });
    expect(await reason(wrongKey)).toBe('bad-signature');
    const forged = Buffer.from(frame(7));
    forged[forged.length - 6]! ^= 0x01; // a payload bit flipped on the air or by an attacker
    expect(await reason(forged)).toBe('bad-signature');
    expect(await reason(frame(8, session.keys, '26011bdb'))).toBe('wrong-target');
    expect(await reason(Buffer.from([1, 2, 3]))).toBe('malformed');
    // Far ahead (past a 16-bit wrap) and then an old frame played back.
    expect(await reason(frame(0x10002))).toBe('accepted');
    expect(await reason(frame(9))).toBe('replayed');
  });

  it('expires content validHours after receipt', async () => {
    const rx = new LoraBoardReceiver(session, new MemoryCounterStore());
    const r = await rx.receive(frame(1), NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(loraBoardExpired(r, NOW + 6 * HOUR - 1)).toBe(false);
    expect(loraBoardExpired(r, NOW + 6 * HOUR)).toBe(true);
  });
});
