import { describe, it, expect } from 'vitest';
import { MqttClient, packet } from '../../src/core/mqtt.js';
import type { NetModule, Socket } from '../../src/platform/espruino.js';

class FakeSocket implements Socket {
  written: string[] = [];
  handlers: Record<string, Array<(arg?: unknown) => void>> = {};
  write(d: string): void {
    this.written.push(d);
  }
  end(): void {
    this.emit('close');
  }
  on(event: string, cb: (arg: never) => void): void {
    (this.handlers[event] ??= []).push(cb as (arg?: unknown) => void);
  }
  emit(event: string, arg?: unknown): void {
    for (const h of this.handlers[event] ?? []) h(arg);
  }
}

function setup() {
  let t = 0;
  const sock = new FakeSocket();
  let connectCb: () => void = () => undefined;
  const net: NetModule = {
    connect: (_o, cb) => {
      connectCb = cb;
      return sock;
    },
  };
  const c = new MqttClient(
    net,
    { host: 'h', port: 1, clientId: 'n1', username: 'u', password: 'p', keepAlive: 30, willTopic: 'w', willPayload: 'offline' },
    () => t,
  );
  return { c, sock, connect: () => connectCb(), advance: (s: number) => (t += s) };
}

const bytes = (s: string) => [...s].map((ch) => ch.charCodeAt(0));

describe('MqttClient', () => {
  it('encodes remaining lengths over 127 in two bytes', () => {
    const p = packet(3, 0, 'x'.repeat(200));
    expect(bytes(p.slice(0, 3))).toEqual([0x30, 200 & 127 | 128, 1]);
  });

  it('sends CONNECT with will, user and password', () => {
    const { c, sock, connect } = setup();
    c.connect();
    connect();
    const p = sock.written[0]!;
    expect(p.charCodeAt(0)).toBe(0x10);
    // Protocol name, level 4, flags: user+password+will retain+will+clean session.
    expect(bytes(p.slice(2, 12))).toEqual([0, 4, 77, 81, 84, 84, 4, 0xc0 | 0x20 | 0x04 | 0x02, 0, 30]);
    expect(p).toContain('offline');
  });

  it('connects on CONNACK 0, delivers PUBLISH split over chunks, reports SUBACK', () => {
    const { c, sock } = setup();
    const got: string[] = [];
    let subscribed = 0;
    c.onMessage = (t, m) => got.push(`${t}=${m}`);
    c.onSubscribed = () => subscribed++;
    c.connect();
    sock.emit('data', String.fromCharCode(0x20, 2, 0, 0));
    expect(c.connected).toBe(true);
    const pub = packet(3, 0, String.fromCharCode(0, 3) + 'a/b' + '{"x":1}') + String.fromCharCode(0x90, 3, 0, 1, 0);
    sock.emit('data', pub.slice(0, 4));
    sock.emit('data', pub.slice(4));
    expect(got).toEqual(['a/b={"x":1}']);
    expect(subscribed).toBe(1);
    expect(c.publish('t', 'p', false)).toBe(true);
  });

  it('refused CONNACK closes; silence beyond keep-alive drops the connection', () => {
    const refused = setup();
    let closes = 0;
    refused.c.onClose = () => closes++;
    refused.c.connect();
    refused.sock.emit('data', String.fromCharCode(0x20, 2, 0, 5));
    expect(refused.c.connected).toBe(false);
    expect(closes).toBe(1);

    const quiet = setup();
    quiet.c.connect();
    quiet.sock.emit('data', String.fromCharCode(0x20, 2, 0, 0));
    quiet.advance(20);
    quiet.c.tick();
    expect(quiet.sock.written.at(-1)!.charCodeAt(0)).toBe(0xc0); // PINGREQ
    quiet.advance(30);
    quiet.c.tick();
    expect(quiet.c.connected).toBe(false);
  });
});
