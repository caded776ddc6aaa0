// Real LoRaWAN 1.0.x PHYPayloads for the simulated modem and network server, built and checked with
// lora-packet: OTAA join request/accept (MIC and encryption with AppKey), data frames encrypted with
// AppSKey and MIC'd with NwkSKey. 32-bit frame counters travel as their low 16 bits; both ends
// supply the high bits to the MIC and cipher, as LoRaWAN requires.
import lpImport from 'lora-packet';

type LoraPacketApi = typeof lpImport.default;
// lora-packet's typings declare `export default`, but its CommonJS module.exports is the API object
// itself; accept either shape so Node, tsx and vitest's interop all get the functions.
const lp: LoraPacketApi = (lpImport as { default?: LoraPacketApi }).default ?? (lpImport as unknown as LoraPacketApi);

type Packet = ReturnType<typeof lp.fromWire>;

export class LorawanFrameError extends Error {
  override name = 'LorawanFrameError';
}

export interface SessionKeys {
  appSKey: Buffer;
  nwkSKey: Buffer;
}

export interface DataFrame {
  devAddr: string;
  fCnt: number;
  /** null: no FPort and no FRMPayload (an ACK-only downlink). */
  port: number | null;
  payload: Buffer;
  confirmed: boolean;
  ack: boolean;
  /** MAC commands piggybacked in FOpts (cleartext in LoRaWAN 1.0.x, covered by the MIC), ≤ 15 bytes. */
  fOpts?: Buffer;
}

const fCnt16 = (fCnt: number): Buffer => Buffer.from([(fCnt >>> 8) & 0xff, fCnt & 0xff]);
/** High 16 bits of a 32-bit counter, in the byte order lora-packet puts into B0/Ai blocks. */
const fCntMsb = (fCnt: number): Buffer => Buffer.from([(fCnt >>> 16) & 0xff, (fCnt >>> 24) & 0xff]);

function hexBuf(hex: string, bytes: number, what: string): Buffer {
  if (!new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(hex)) throw new LorawanFrameError(`${what} must be ${bytes} bytes of hex`);
  return Buffer.from(hex, 'hex');
}

export function buildDataFrame(dir: 'up' | 'down', f: DataFrame, keys: SessionKeys): Buffer {
  if (f.port === null) return buildEmptyDataFrame(dir, f, keys);
  const kind = f.confirmed ? 'Confirmed' : 'Unconfirmed';
  const packet = lp.fromFields(
    {
      MType: `${kind} Data ${dir === 'up' ? 'Up' : 'Down'}`,
      DevAddr: hexBuf(f.devAddr, 4, 'DevAddr'),
      FCtrl: { ADR: false, ACK: f.ack, ADRACKReq: false, FPending: false },
      FCnt: fCnt16(f.fCnt),
      FPort: f.port,
      payload: f.payload,
      ...(f.fOpts?.length ? { FOpts: f.fOpts } : {}),
    },
    keys.appSKey,
    keys.nwkSKey,
    undefined,
    fCntMsb(f.fCnt),
  );
  const phy = packet.getPHYPayload();
  if (!phy) throw new LorawanFrameError('lora-packet built no PHYPayload');
  return phy;
}

/** MHDR | FHDR with no FPort (lora-packet only builds frames that have one); MIC added after. */
function buildEmptyDataFrame(dir: 'up' | 'down', f: DataFrame, keys: SessionKeys): Buffer {
  const mtype = (dir === 'up' ? 2 : 3) + (f.confirmed ? 2 : 0);
  const devAddr = Buffer.from(hexBuf(f.devAddr, 4, 'DevAddr')).reverse();
  const fOpts = f.fOpts ?? Buffer.alloc(0);
  if (fOpts.length > 15) throw new LorawanFrameError(`FOpts of ${fOpts.length} bytes (at most 15)`);
  const fctrl = (f.ack ? 0x20 : 0) | fOpts.length;
  const body = Buffer.concat([Buffer.from([mtype << 5]), devAddr, Buffer.from([fctrl, f.fCnt & 0xff, (f.fCnt >>> 8) & 0xff]), fOpts, Buffer.alloc(4)]);
  const packet = lp.fromWire(body);
  lp.calculateMIC(packet, keys.nwkSKey, undefined, fCntMsb(f.fCnt)).copy(body, body.length - 4);
  return body;
}

export interface ParsedData {
  dir: 'up' | 'down';
  devAddr: string;
  /** Low 16 bits as on the air. */
  fCnt16: number;
  confirmed: boolean;
  ack: boolean;
  port: number | null;
  /** MAC commands in the frame header (LoRaWAN 1.0.x: not encrypted). */
  fOpts: Buffer;
  packet: Packet;
}

export function parseDataFrame(phy: Buffer): ParsedData {
  let packet: Packet;
  try {
    packet = lp.fromWire(phy);
  } catch (err) {
    throw new LorawanFrameError('not a LoRaWAN frame', { cause: err });
  }
  if (!packet.isDataMessage() || !packet.DevAddr) throw new LorawanFrameError(`not a data frame (${packet.getMType()})`);
  return {
    dir: packet.getDir() === 'down' ? 'down' : 'up',
    devAddr: packet.DevAddr.toString('hex'),
    fCnt16: packet.getFCnt() ?? 0,
    confirmed: packet.isConfirmed(),
    ack: packet.getFCtrlACK() ?? false,
    port: packet.getFPort(),
    fOpts: packet.FOpts ? Buffer.from(packet.FOpts) : Buffer.alloc(0),
    packet,
  };
}

/** Checks the MIC for a full 32-bit counter and returns the decrypted FRMPayload. */
export function openDataFrame(parsed: ParsedData, fCnt: number, keys: SessionKeys): Buffer {
  if (!lp.verifyMIC(parsed.packet, keys.nwkSKey, undefined, fCntMsb(fCnt))) throw new LorawanFrameError('MIC mismatch');
  if (parsed.port === null) return Buffer.alloc(0);
  return lp.decrypt(parsed.packet, keys.appSKey, keys.nwkSKey, fCntMsb(fCnt));
}

/** The 32-bit counter closest above `last` whose low 16 bits are `low16` (LoRaWAN counter recovery). */
export function fullCounter(low16: number, last: number): number {
  const base = last < 0 ? 0 : last;
  let candidate = (base & ~0xffff) + low16;
  if (candidate < base) candidate += 0x10000;
  return candidate >>> 0;
}

export interface JoinRequest {
  joinEui: string;
  devEui: string;
  devNonce: number;
}

export function buildJoinRequest(r: JoinRequest, appKey: Buffer): Buffer {
  const packet = lp.fromFields(
    {
      MType: 'Join Request',
      AppEUI: hexBuf(r.joinEui, 8, 'JoinEUI'),
      DevEUI: hexBuf(r.devEui, 8, 'DevEUI'),
      DevNonce: Buffer.from([(r.devNonce >>> 8) & 0xff, r.devNonce & 0xff]),
    },
    undefined,
    undefined,
    appKey,
  );
  const phy = packet.getPHYPayload();
  if (!phy) throw new LorawanFrameError('lora-packet built no join request');
  return phy;
}

export function parseJoinRequest(phy: Buffer): JoinRequest & { packet: Packet } {
  const packet = lp.fromWire(phy);
  if (!packet.isJoinRequestMessage() || !packet.AppEUI || !packet.DevEUI || !packet.DevNonce) throw new LorawanFrameError('not a join request');
  return { joinEui: packet.AppEUI.toString('hex'), devEui: packet.DevEUI.toString('hex'), devNonce: packet.DevNonce.readUInt16BE(0), packet };
}

export function verifyJoinRequest(packet: Packet, appKey: Buffer): boolean {
  return lp.verifyMIC(packet, undefined, appKey);
}

export interface JoinAccept {
  appNonce: Buffer;
  netId: Buffer;
  devAddr: string;
}

export function buildJoinAccept(a: JoinAccept, appKey: Buffer): Buffer {
  const packet = lp.fromFields(
    { MType: 'Join Accept', AppNonce: a.appNonce, NetID: a.netId, DevAddr: hexBuf(a.devAddr, 4, 'DevAddr'), DLSettings: 0, RxDelay: 1 },
    undefined,
    undefined,
    appKey,
  );
  const phy = packet.getPHYPayload();
  if (!phy) throw new LorawanFrameError('lora-packet built no join accept');
  return phy;
}

/** Decrypts a join-accept with the AppKey and checks its MIC. */
export function openJoinAccept(phy: Buffer, appKey: Buffer): JoinAccept {
  const decrypted = lp.decryptJoinAccept(lp.fromWire(phy), appKey);
  const packet = lp.fromWire(decrypted);
  if (!packet.isJoinAcceptMessage() || !packet.AppNonce || !packet.NetID || !packet.DevAddr) throw new LorawanFrameError('not a join accept');
  if (!lp.verifyMIC(packet, undefined, appKey)) throw new LorawanFrameError('join accept MIC mismatch');
  return { appNonce: packet.AppNonce, netId: packet.NetID, devAddr: packet.DevAddr.toString('hex') };
}

export function sessionKeys(appKey: Buffer, accept: JoinAccept, devNonce: number): SessionKeys {
  const k = lp.generateSessionKeys(appKey, accept.netId, accept.appNonce, Buffer.from([(devNonce >>> 8) & 0xff, devNonce & 0xff]));
  return { appSKey: k.AppSKey, nwkSKey: k.NwkSKey };
}
