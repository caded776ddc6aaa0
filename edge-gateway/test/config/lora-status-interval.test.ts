// The point's `lora.statusIntervalS`: the heartbeat of the compact status over LoRa (relay/status-lora.ts).
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/load.js';
import { DEFAULT_LORA_STATUS_INTERVAL_S } from '../../src/relay/status-lora.js';
import { REPORT_INTERVAL_MS } from '../../src/coordinator/alerts.js';

const point = (lora: Record<string, unknown>) => ({ role: 'point', id: 'test-1', name: 'Test point', dataDir: 'data', lora: { path: '/dev/ttyUSB1', ...lora } });

describe('config: lora.statusIntervalS', () => {
  it('defaults to an hour, the interval the coordinator expects of a LoRa point', () => {
    const cfg = parseConfig(point({}), 'x', '/srv/point');
    expect(cfg.lora?.statusIntervalS).toBe(3600);
    expect(DEFAULT_LORA_STATUS_INTERVAL_S * 1000).toBe(REPORT_INTERVAL_MS.lora);
  });

  it('accepts 15 min to 6 h in whole seconds, and names the field otherwise', () => {
    expect(parseConfig(point({ statusIntervalS: 900 }), 'x').lora?.statusIntervalS).toBe(900);
    expect(parseConfig(point({ statusIntervalS: 21_600 }), 'x').lora?.statusIntervalS).toBe(21_600);
    for (const bad of [899, 21_601, 1800.5, '3600']) {
      let err: unknown;
      try {
        parseConfig(point({ statusIntervalS: bad }), 'bad.json');
      } catch (e) {
        err = e;
      }
      expect(err, String(bad)).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.join('\n')).toMatch(/^lora\.statusIntervalS: /m);
    }
  });
});
