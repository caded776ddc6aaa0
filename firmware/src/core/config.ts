// Node configuration kept in Storage and changed over the link with {op:'config', set:{…}}.
// Only keys that have a default are accepted, and only with the default's type: a typo from the
// gateway cannot plant junk in flash.
import type { StorageModule } from '../platform/espruino.js';

export type ConfigValue = string | number | boolean;
export type ConfigValues = Record<string, ConfigValue>;

export const CONFIG_FILE = 'ns.cfg';

/** Keys every node has. Node-specific defaults (calibration) are merged on top. */
export const COMMON_DEFAULTS: ConfigValues = {
  id: 'node',
  /** 'serial', 'mqtt' or 'both'. */
  link: 'serial',
  ssid: '',
  pass: '',
  mqttHost: '',
  mqttPort: 1883,
  mqttUser: '',
  mqttPass: '',
  /** Heartbeat period, s. */
  hbSec: 30,
};

/** Changing these only takes effect after a reboot. */
export const REBOOT_KEYS = ['id', 'link', 'ssid', 'pass', 'mqttHost', 'mqttPort', 'mqttUser', 'mqttPass'];

export class Config {
  readonly values: ConfigValues = {};

  constructor(
    private readonly storage: StorageModule,
    private readonly defaults: ConfigValues,
  ) {
    for (const k in defaults) this.values[k] = defaults[k] as ConfigValue;
    const saved = storage.readJSON(CONFIG_FILE, true);
    if (typeof saved === 'object' && saved !== null) {
      const rec = saved as ConfigValues;
      for (const k in rec) if (this.accepts(k, rec[k])) this.values[k] = rec[k] as ConfigValue;
    }
  }

  accepts(key: string, value: unknown): boolean {
    return Object.prototype.hasOwnProperty.call(this.defaults, key) && typeof value === typeof this.defaults[key];
  }

  str(key: string): string {
    return String(this.values[key]);
  }

  num(key: string): number {
    return Number(this.values[key]);
  }

  /** Applies a set; returns the first rejected key, or null when all were stored. */
  apply(set: ConfigValues): string | null {
    for (const k in set) if (!this.accepts(k, set[k])) return k;
    for (const k in set) this.values[k] = set[k] as ConfigValue;
    // Store only what differs from the defaults: smaller writes, and new firmware defaults still apply.
    const diff: ConfigValues = {};
    for (const k in this.values) if (this.values[k] !== this.defaults[k]) diff[k] = this.values[k] as ConfigValue;
    this.storage.writeJSON(CONFIG_FILE, diff);
    return null;
  }
}

/** Increments and returns the boot counter: (node, boot, seq) names a message across reboots. */
export function nextBoot(storage: StorageModule): number {
  const prev = Number(storage.read('ns.boot'));
  const boot = prev >= 0 && prev < 0xfffffffe ? Math.floor(prev) + 1 : 1;
  storage.write('ns.boot', String(boot));
  return boot;
}
