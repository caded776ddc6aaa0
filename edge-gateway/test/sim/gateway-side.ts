// Test stand-in for the gateway end of a link: collects decoded uplinks and sends downlinks.
// (The real gateway links are built elsewhere; these tests must not depend on them.)
import { SerialPort } from 'serialport';
import type { MqttClient } from 'mqtt';
import { decodeMessage, encodeFrame, encodeMessage, FrameParser, nodeTopics, NODE_STATE_FILTER, NODE_UP_FILTER } from '../../src/protocol/index.js';
import type { Message } from '../../src/protocol/index.js';

export class Inbox {
  readonly messages: Message[] = [];
  readonly errors: string[] = [];
  private waiters: { pred: (m: Message) => boolean; resolve: (m: Message) => void; from: number }[] = [];
  /** Index from which next() looks: messages before it were already consumed. */
  cursor = 0;

  push(text: string): void {
    let m: Message;
    try {
      m = decodeMessage(text);
    } catch (err) {
      this.errors.push((err as Error).message);
      return;
    }
    this.messages.push(m);
    this.waiters = this.waiters.filter((w) => {
      if (this.messages.length - 1 >= w.from && w.pred(m)) {
        this.cursor = this.messages.length;
        w.resolve(m);
        return false;
      }
      return true;
    });
  }

  /** Next message (after the cursor) matching pred; advances the cursor past it. */
  next(pred: (m: Message) => boolean = () => true, timeoutMs = 5000): Promise<Message> {
    for (let i = this.cursor; i < this.messages.length; i++) {
      const m = this.messages[i]!;
      if (pred(m)) {
        this.cursor = i + 1;
        return Promise.resolve(m);
      }
    }
    return new Promise((resolve, reject) => {
      const waiter = { pred, resolve: (m: Message) => (clearTimeout(timer), resolve(m)), from: this.messages.length };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching message within ${timeoutMs} ms (have ${this.messages.length})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Everything received after the cursor; moves the cursor to the end. */
  drain(): Message[] {
    const out = this.messages.slice(this.cursor);
    this.cursor = this.messages.length;
    return out;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Advances a ManualClock in steps, letting real I/O run in between — as time passes for a real node.
 * One big synchronous advance would burst minutes of traffic into a pty at once.
 */
export async function advanceGently(clock: { advance(ms: number): void }, ms: number, stepMs = 1000): Promise<void> {
  for (let done = 0; done < ms; done += stepMs) {
    clock.advance(Math.min(stepMs, ms - done));
    await sleep(2);
  }
}

/** Polls cond in real time (I/O crosses socat or a broker) until true or timeout. */
export async function until(cond: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export class SerialGateway {
  readonly inbox = new Inbox();
  readonly parser = new FrameParser();
  /** Acknowledge every uplink as it arrives, as the real gateway does once a message is stored. */
  autoAck = false;
  private constructor(private readonly port: SerialPort) {
    port.on('data', (chunk: Buffer) => {
      for (const body of this.parser.push(chunk)) {
        this.inbox.push(body);
        const m = this.inbox.messages.at(-1);
        if (this.autoAck && m) this.send(ack(m.node, m.boot, [m.seq]));
      }
    });
  }

  static async open(path: string): Promise<SerialGateway> {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    return new SerialGateway(port);
  }

  send(m: Message): void {
    this.port.write(encodeFrame(encodeMessage(m)));
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.port.isOpen ? this.port.close(() => resolve()) : resolve()));
  }
}

export class MqttGateway {
  readonly inbox = new Inbox();
  readonly states: { node: string; state: string; retain: boolean }[] = [];
  constructor(private readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      const text = payload.toString('utf8');
      if (topic.endsWith('/up')) this.inbox.push(text);
      else if (topic.endsWith('/state')) this.states.push({ node: topic.split('/')[2]!, state: text, retain: packet.retain });
    });
  }

  async subscribe(): Promise<void> {
    await this.client.subscribeAsync([NODE_UP_FILTER, NODE_STATE_FILTER], { qos: 1 });
  }

  send(m: Message): void {
    this.client.publish(nodeTopics.down(m.node), encodeMessage(m), { qos: 0 });
  }

  close(): Promise<void> {
    return this.client.endAsync();
  }
}

let gwSeq = 1000;
export function ack(node: string, boot: number, seqs: number[]): Message {
  return { v: 1, node, boot: 7, seq: gwSeq++, ts: Date.now(), type: 'ack', body: { boot, seqs } };
}
export function cmd(node: string, body: Extract<Message, { type: 'cmd' }>['body'], seq = gwSeq++): Message {
  return { v: 1, node, boot: 7, seq, ts: Date.now(), type: 'cmd', body };
}
