import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/bus.js';
import { memoryLogger } from '../../src/log/logger.js';

describe('EventBus', () => {
  it('isolates a throwing listener and logs it', () => {
    const log = memoryLogger();
    const bus = new EventBus<{ n: number }>(log);
    const got: number[] = [];
    bus.on('n', () => {
      throw new Error('boom');
    });
    const off = bus.on('n', (v) => got.push(v));
    bus.emit('n', 1);
    off();
    bus.emit('n', 2);
    expect(got).toEqual([1]);
    expect(log.records.filter((r) => r.level === 'error').map((r) => r.error)).toEqual(['boom', 'boom']);
    expect(bus.listenerCount('n')).toBe(1);
  });
});
