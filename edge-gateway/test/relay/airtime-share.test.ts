// A kind's share of the routine LoRa airtime over a sliding 24 h.
import { describe, expect, it } from 'vitest';
import { AirtimeShare, shareCapMs } from '../../src/relay/airtime-share.js';

const H = 3_600_000;
const budget = { dailyBudgetMs: 30_000, emergencyReserveMs: 16_800 };

describe('airtime share', () => {
  it('caps a kind at its part of the budget left after the emergency reserve', () => {
    expect(shareCapMs(budget, 0.25)).toBe(3_300);
    expect(shareCapMs({ dailyBudgetMs: 10_000, emergencyReserveMs: 16_800 }, 0.5)).toBe(0);
  });

  it('lets a frame go while it fits, then names when the oldest frame leaves the 24 h window', () => {
    const share = new AirtimeShare(budget, 0.25); // 3.3 s a day
    expect(share.waitMs(1_482.8, 0)).toBe(0);
    share.record(0, 1_482.8);
    share.record(2 * H, 1_482.8);
    expect(share.waitMs(1_482.8, 3 * H)).toBe(21 * H); // 2.97 s used: the next waits until the first is a day old
    expect(share.waitMs(300, 3 * H)).toBe(0);
    expect(share.waitMs(1_482.8, 24 * H)).toBe(0);
    expect(share.waitMs(3_301, 24 * H)).toBe(24 * H); // larger than the whole share: never
  });
});
