import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/broker/acl.js';
import { filterCovers, mayPublish, mayReceive, maySubscribe, principalProblem, topicMatches } from '../../src/broker/acl.js';
import { mosquittoAclFile } from '../../src/broker/mosquitto-config.js';

const fuel: Principal = { username: 'fuel-1', role: 'node' };
const gateway: Principal = { username: '_gateway', role: 'gateway' };
const coord: Principal = { username: '_point-p1', role: 'coordinator', point: 'p1' };
const ns: Principal = { username: '_network-server', role: 'network-server' };

describe('topic matching', () => {
  it('matches + and # like MQTT', () => {
    expect(topicMatches('a/+/c', 'a/b/c')).toBe(true);
    expect(topicMatches('a/+/c', 'a/b/d')).toBe(false);
    expect(topicMatches('a/#', 'a')).toBe(true);
    expect(topicMatches('a/#', 'a/b/c')).toBe(true);
    expect(topicMatches('a/b', 'a/b/c')).toBe(false);
    expect(topicMatches('a/b/c', 'a/b')).toBe(false);
    expect(topicMatches('#', '$SYS/broker')).toBe(false);
  });

  it('a granted filter covers a requested one only if it covers every topic the request can match', () => {
    expect(filterCovers('n/+/up', 'n/+/up')).toBe(true);
    expect(filterCovers('n/+/up', 'n/x/up')).toBe(true);
    expect(filterCovers('n/x/up', 'n/+/up')).toBe(false);
    expect(filterCovers('n/+/up', 'n/#')).toBe(false);
    expect(filterCovers('p/1/#', 'p/1/a/b')).toBe(true);
    expect(filterCovers('p/1/#', 'p/1/#')).toBe(true);
    expect(filterCovers('p/1/#', 'p/+/#')).toBe(false);
    expect(filterCovers('n/+/up', '#')).toBe(false);
  });
});

describe('ACL table', () => {
  it('a node publishes only to its own up and state, and subscribes only to its own down', () => {
    expect(mayPublish(fuel, 'noodsteun/node/fuel-1/up')).toBe(true);
    expect(mayPublish(fuel, 'noodsteun/node/fuel-1/state')).toBe(true);
    expect(mayPublish(fuel, 'noodsteun/node/fuel-2/up')).toBe(false);
    expect(mayPublish(fuel, 'noodsteun/node/fuel-1/down')).toBe(false);
    expect(mayPublish(fuel, 'noodsteun/point/p1/x')).toBe(false);
    expect(maySubscribe(fuel, 'noodsteun/node/fuel-1/down')).toBe(true);
    expect(maySubscribe(fuel, 'noodsteun/node/fuel-2/down')).toBe(false);
    expect(maySubscribe(fuel, 'noodsteun/node/+/down')).toBe(false);
    expect(maySubscribe(fuel, 'noodsteun/node/fuel-1/up')).toBe(false);
    expect(maySubscribe(fuel, '#')).toBe(false);
  });

  it('the gateway commands every node, reads every up/state and serves the point subtree, nothing else', () => {
    expect(mayPublish(gateway, 'noodsteun/node/fuel-7/down')).toBe(true);
    expect(mayPublish(gateway, 'noodsteun/node/fuel-7/up')).toBe(false);
    expect(maySubscribe(gateway, 'noodsteun/node/+/up')).toBe(true);
    expect(maySubscribe(gateway, 'noodsteun/node/+/state')).toBe(true);
    expect(maySubscribe(gateway, 'noodsteun/node/+/down')).toBe(false);
    expect(maySubscribe(gateway, 'noodsteun/#')).toBe(false);
    expect(mayReceive(gateway, 'noodsteun/node/fuel-1/up')).toBe(true);
    // In the coordinator role the same service user ingests every point's status.
    expect(mayReceive(gateway, 'noodsteun/point/p1/status')).toBe(true);
    expect(maySubscribe(gateway, 'noodsteun/point/+/status')).toBe(true);
    expect(mayPublish(gateway, 'noodsteun/point/p1/down')).toBe(true);
    expect(mayReceive(gateway, 'noodsteun/other/x')).toBe(false);
  });

  it('a coordinator user is confined to its point subtree', () => {
    expect(mayPublish(coord, 'noodsteun/point/p1/status')).toBe(true);
    expect(maySubscribe(coord, 'noodsteun/point/p1/#')).toBe(true);
    expect(mayPublish(coord, 'noodsteun/point/p2/status')).toBe(false);
    expect(maySubscribe(coord, 'noodsteun/point/+/#')).toBe(false);
    expect(maySubscribe(coord, 'noodsteun/node/+/up')).toBe(false);
    expect(mayPublish({ ...coord, point: undefined }, 'noodsteun/point//x')).toBe(false);
  });

  it('a network server publishes its devices’ events and takes their downlinks; the coordinator reads the uplinks and answers', () => {
    expect(principalProblem(ns)).toBeNull();
    expect(mayPublish(ns, 'application/app-1/device/ac1f09fffe0a1b2c/event/up')).toBe(true);
    expect(mayPublish(ns, 'application/app-1/device/ac1f09fffe0a1b2c/event/join')).toBe(true);
    expect(maySubscribe(ns, 'application/app-1/device/+/command/down')).toBe(true);
    expect(mayPublish(ns, 'application/app-1/device/ac1f09fffe0a1b2c/command/down')).toBe(false);
    expect(mayPublish(ns, 'noodsteun/point/p1/msg')).toBe(false);
    expect(maySubscribe(ns, 'application/#')).toBe(false);
    expect(maySubscribe(gateway, 'application/+/device/+/event/up')).toBe(true);
    expect(mayPublish(gateway, 'application/app-1/device/ac1f09fffe0a1b2c/command/down')).toBe(true);
    expect(mayPublish(gateway, 'application/app-1/device/ac1f09fffe0a1b2c/event/up')).toBe(false);
    // A point's coordinator user cannot pose as the network server.
    expect(mayPublish(coord, 'application/app-1/device/ac1f09fffe0a1b2c/event/up')).toBe(false);
  });

  it('rejects usernames that could collide or break topics and config files', () => {
    expect(principalProblem(fuel)).toBeNull();
    expect(principalProblem(gateway)).toBeNull();
    expect(principalProblem(coord)).toBeNull();
    expect(principalProblem({ username: '_gateway', role: 'node' })).toMatch(/node id/);
    expect(principalProblem({ username: 'gateway', role: 'gateway' })).toMatch(/service username/);
    expect(principalProblem({ username: '_a:b', role: 'gateway' })).not.toBeNull();
    expect(principalProblem({ username: '_point-x', role: 'coordinator' })).toMatch(/point id/);
    expect(principalProblem({ username: 'fuel/1', role: 'node' })).not.toBeNull();
  });

  it('is written for Mosquitto as per-user topic lines from the same table', () => {
    const text = mosquittoAclFile([
      { principal: fuel, scrypt: '', mosquitto: '' },
      { principal: gateway, scrypt: '', mosquitto: '' },
      { principal: coord, scrypt: '', mosquitto: '' },
    ]);
    const blocks = text.split(/\n(?=user )/).slice(1);
    expect(blocks.map((b) => b.trim().split('\n'))).toEqual([
      ['user fuel-1', 'topic write noodsteun/node/fuel-1/up', 'topic write noodsteun/node/fuel-1/state', 'topic read noodsteun/node/fuel-1/down'],
      [
        'user _gateway',
        'topic write noodsteun/node/+/down',
        'topic read noodsteun/node/+/up',
        'topic read noodsteun/node/+/state',
        'topic readwrite noodsteun/point/+/#',
        'topic read application/+/device/+/event/up',
        'topic write application/+/device/+/command/down',
      ],
      ['user _point-p1', 'topic readwrite noodsteun/point/p1/#'],
    ]);
    expect(text).not.toMatch(/^pattern /m);
    expect(text.split('\n').filter((l) => l.startsWith('topic')).length).toBe(10);
  });
});
