import { describe, it, expect } from 'vitest';
import { MessageInbox } from '../../src/coordinator/message-inbox.js';
import type { InboxMessage } from '../../src/coordinator/message-inbox.js';
import { relayDb } from '../relay/support.js';

const msg = (seq: number, path: InboxMessage['path'] = 'ip'): InboxMessage => ({ point: 'punt-1', seq, kind: 'needs', body: { seq }, created: 1, received: 2, path });

describe('MessageInbox', () => {
  it('applies a (point, seq) once, whichever path brings it again', () => {
    const inbox = new MessageInbox(relayDb());
    expect(inbox.apply(msg(0, 'chirpstack'))).toEqual({ applied: true });
    expect(inbox.apply(msg(0, 'ip'))).toEqual({ applied: false });
    expect(inbox.apply({ ...msg(0), point: 'punt-2' })).toEqual({ applied: true });
    expect(inbox.messages('punt-1')).toEqual([msg(0, 'chirpstack')]);
    expect(inbox.highest('punt-1')).toBe(0);
    expect(inbox.highest('punt-9')).toBe(-1);
  });

  it('rebuilds full ids from 6-bit LoRa ids within [highest − 31, highest + 32]', () => {
    const inbox = new MessageInbox(relayDb());
    // nothing seen yet: ids 0–31 are the first ones, 32–63 would be "before the first"
    expect(inbox.resolveLoraId('punt-1', 5)).toBe(5);
    expect(inbox.resolveLoraId('punt-1', 40)).toBeNull();
    for (let s = 0; s <= 100; s++) inbox.apply(msg(s));
    // highest 100: window 69…132
    expect(inbox.resolveLoraId('punt-1', 100 & 63)).toBe(100);
    expect(inbox.resolveLoraId('punt-1', 69 & 63)).toBe(69);
    expect(inbox.resolveLoraId('punt-1', 132 & 63)).toBe(132);
    expect(inbox.resolveLoraId('punt-1', 101 & 63)).toBe(101);
    expect(() => inbox.resolveLoraId('punt-1', 64)).toThrow(/0–63/);
  });

  it('keeps only the newest status of a point', () => {
    const inbox = new MessageInbox(relayDb());
    expect(inbox.applyStatus('punt-1', { v: 2 }, 2000, 2000, 'ip')).toBe(true);
    expect(inbox.applyStatus('punt-1', { v: 1 }, 1000, 3000, 'chirpstack')).toBe(false);
    expect(inbox.status('punt-1')).toEqual({ body: { v: 2 }, at: 2000 });
    expect(inbox.applyStatus('punt-1', { v: 3 }, 4000, 4000, 'ttn')).toBe(true);
    expect(inbox.status('punt-1')?.body).toEqual({ v: 3 });
  });
});
