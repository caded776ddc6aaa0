// The gateway's side of a node's USB serial line in tests: the real FrameParser and decodeMessage
// from edge-gateway/src/protocol, acks sent back as frames the way the gateway sends them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '../../../edge-gateway/src/core/clock.js';
import { decodeMessage, encodeFrame, encodeMessage, FrameParser } from '../../../edge-gateway/src/protocol/index.js';
import type { Message, UplinkMessage } from '../../../edge-gateway/src/protocol/index.js';
import { EspruinoHost } from '../../host/runtime.js';
import type { HostOptions } from '../../host/runtime.js';
import { DIST } from '../../tools/paths.js';

export class SerialGateway {
  readonly parser = new FrameParser();
  readonly messages: UplinkMessage[] = [];
  readonly invalid: string[] = [];
  /** When false, nothing is acknowledged (gateway down or store failing). */
  acking = true;
  private seq = 0;

  constructor(private readonly host: EspruinoHost) {
    host.usb.onOutput((data) => {
      for (const body of this.parser.push(Buffer.from(data, 'latin1'))) this.take(body);
    });
  }

  private take(body: string): void {
    let msg: Message;
    try {
      msg = decodeMessage(body);
    } catch (err) {
      this.invalid.push(`${(err as Error).message}: ${body}`);
      return;
    }
    if (msg.type === 'cmd' || msg.type === 'ack') {
      this.invalid.push(`downlink type from node: ${body}`);
      return;
    }
    this.messages.push(msg);
    if (this.acking && msg.type !== 'hb') this.send({ type: 'ack', node: msg.node, body: { boot: msg.boot, seqs: [msg.seq] } });
  }

  send(m: { type: 'ack' | 'cmd'; node: string; body: unknown }): number {
    const seq = ++this.seq;
    const msg = { v: 1, node: m.node, boot: 1, seq, ts: 0, type: m.type, body: m.body } as Message;
    this.host.usb.inject(encodeFrame(encodeMessage(msg)));
    return seq;
  }

  of<T extends UplinkMessage['type']>(type: T): Array<Extract<UplinkMessage, { type: T }>> {
    return this.messages.filter((m): m is Extract<UplinkMessage, { type: T }> => m.type === type);
  }
}

export function bundle(node: string): string {
  return readFileSync(join(DIST, `${node}.js`), 'utf8');
}

export function bootNode(
  node: string,
  opts: Partial<HostOptions> = {},
  /** Wires the world (I2C devices, input levels) before the firmware boots. */
  before: (host: EspruinoHost) => void = () => undefined,
): { host: EspruinoHost; clock: ManualClock; gw: SerialGateway } {
  const clock = new ManualClock(0);
  const host = new EspruinoHost({ clock, ...opts });
  const gw = new SerialGateway(host);
  before(host);
  host.load(bundle(node));
  return { host, clock, gw };
}
