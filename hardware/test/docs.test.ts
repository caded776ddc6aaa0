import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HARDWARE_DIR } from '../src/generate.js';
import { loadPowerConfig, toPowerSystem } from '../src/power-config.js';
import { chargingBudget, continuousRun, criticalLoad, cycledRun, portsBusW } from '../src/power-model.js';

const read = (rel: string) => readFileSync(join(HARDWARE_DIR, rel), 'utf8');

interface Step {
  id: string;
  nl: string;
  en: string;
}
const steps = (JSON.parse(read('commissioning-steps.json')) as { steps: Step[] }).steps;

describe('commissioning checklists', () => {
  for (const lang of ['nl', 'en'] as const) {
    it(`${lang}: has every step of commissioning-steps.json, in order, with its title and id`, () => {
      const doc = read(`docs/commissioning-checklist.${lang}.md`);
      const headings = [...doc.matchAll(/^## (\d+)\. (.+) \(`([a-z-]+)`\)$/gm)].map((m) => ({ n: Number(m[1]), title: m[2], id: m[3] }));
      expect(headings).toEqual(steps.map((s, i) => ({ n: i + 1, title: s[lang], id: s.id })));
    });
  }

  it('installation guides exist in both languages and link to each other', () => {
    expect(read('docs/installation.nl.md')).toContain('(installation.en.md)');
    expect(read('docs/installation.en.md')).toContain('(installation.nl.md)');
  });
});

describe('hardware/README.md power-budget figures', () => {
  it('match what the model computes for the example config', () => {
    const readme = read('README.md');
    const s = toPowerSystem(loadPowerConfig());
    const charge = chargingBudget(s, true);
    const cont = continuousRun(s);
    const busy = continuousRun(s, portsBusW(s, charge.portsW));
    const cyc = cycledRun(s);
    const f1 = (v: number) => v.toFixed(1);
    expect(readme).toContain(`| Critical load | ${f1(criticalLoad(s.loads).totalW)} W |`);
    expect(readme).toContain(`| ${charge.portsW} W = ${charge.ports} ports |`);
    expect(readme).toContain(`| ${cont.fuelLph.toFixed(3)} L/h |`);
    expect(readme).toContain(`${f1(cont.fuelH)} h on 47 L, + ${f1(cont.batteryH)} h battery = **${f1(cont.totalH)} h (${(cont.totalH / 24).toFixed(1)} days)**`);
    expect(readme).toContain(`| ${f1(busy.totalH)} h (${(busy.totalH / 24).toFixed(1)} days) |`);
    expect(readme).toContain(`| ${f1(cyc.generatorW)} W = ${(cyc.loadFraction * 100).toFixed(1)} % |`);
    expect(readme).toContain(`**${cyc.averageLph.toFixed(3)} L/h averaged**`);
    expect(readme).toContain(`**${f1(cyc.totalH)} h (${(cyc.totalH / 24).toFixed(1)} days)**`);
    expect(readme).toContain(`about **${(cyc.totalH / cont.totalH).toFixed(1)} × longer**`);
  });
});
