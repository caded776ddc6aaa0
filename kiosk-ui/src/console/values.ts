// Raw values for technicians and coordinators: exact numbers with units, "unknown" where null.
import type { PointStatus, Readings, NodeKind } from '../lib/api/types.js';
import type { I18n } from '../lib/i18n/i18n.js';
import { formatValue } from '../lib/format.js';

type T = Pick<I18n, 't' | 'locale'>;

/** The readings a node of this kind produces, as "label value" parts; a VE.Direct monitor reports the battery. */
export function nodeValues(i18n: T, kind: NodeKind, r: Readings): string[] {
  const v = (x: number | null | undefined, unit: string, digits = 0) => formatValue(i18n, x, unit, digits);
  switch (kind) {
    case 'fuel':
      return r.fuel
        ? [`${v(r.fuel.litres, 'L', 1)}`, `${v(r.fuel.pct, '%')}`, `status=${r.fuel.status}`, `refuelling=${r.fuel.refuelling}`]
        : [i18n.t('unknown')];
    case 'battery':
    case 'vedirect':
      return r.battery
        ? [v(r.battery.v, 'V', 2), v(r.battery.a, 'A', 1), `SoC ${v(r.battery.soc, '%')}`, `status=${r.battery.status}`]
        : [i18n.t('unknown')];
    case 'visitors':
      return r.visitors
        ? [`in ${v(r.visitors.entries, '')}`, `out ${v(r.visitors.exits, '')}`, `inside ${v(r.visitors.inside, '')}`]
        : [i18n.t('unknown')];
    case 'charger':
      return r.charger
        ? [
            ...r.charger.ports.map((p) => `#${p.p} ${p.on ? 'on' : 'off'} ${v(p.mA, 'mA')}${p.fault ? ` fault=${p.fault}` : ''}`),
            `failsafe=${r.charger.failsafe}`,
          ]
        : [i18n.t('unknown')];
  }
}

export function pointFuel(i18n: T, s: PointStatus | null): string {
  if (!s?.fuel) return i18n.t('unknown');
  const base = `${formatValue(i18n, s.fuel.pct, '%')} · ${formatValue(i18n, s.fuel.litres, 'L', 1)}`;
  return s.fuel.status === 'ok' ? base : `${base} (${s.fuel.status})`;
}

export function pointBattery(i18n: T, s: PointStatus | null): string {
  if (!s?.battery) return i18n.t('unknown');
  return `${formatValue(i18n, s.battery.soc, '%')} · ${formatValue(i18n, s.battery.v, 'V', 2)} · ${formatValue(i18n, s.battery.a, 'A', 1)}`;
}

export function pointCharging(i18n: T, s: PointStatus | null): string {
  if (!s?.charging) return i18n.t('unknown');
  return `${s.charging.portsOn}/${s.charging.ports} · ${formatValue(i18n, s.charging.watts, 'W')}`;
}
