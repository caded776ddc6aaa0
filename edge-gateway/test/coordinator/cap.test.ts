// Real CAP 1.2 examples (see fixtures/cap/SOURCES.md for origin and licence of each file).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBoardContent } from '../../src/board/content.js';
import { CapImportError, CapParseError, capToDraft, parseCap, pickInfo } from '../../src/coordinator/cap/index.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'cap', name), 'utf8');
const NOW = Date.parse('2026-11-27T12:00:00Z');
const opts = { pointName: 'Noodsteunpunt Dorpshuis', now: NOW };

describe('CAP 1.2 import of real examples', () => {
  it('spec A.2 thunderstorm: one English info → Dutch scaffold + English text, valid board content', () => {
    const alert = parseCap(fixture('cap12-spec-a2-severe-thunderstorm.xml'));
    expect(alert).toMatchObject({ msgType: 'Alert', status: 'Actual', sender: 'KSTO@NWS.NOAA.GOV', signed: false });
    expect(alert.infos).toHaveLength(1);
    const d = capToDraft(alert, opts);
    expect(d.kind).toBe('draft');
    if (d.kind !== 'draft') return;
    const c = parseBoardContent(d.content);
    expect(c.languages).toEqual(['nl', 'en']);
    expect(c.text.en!.situation).toMatch(/SEVERE THUNDERSTORM/);
    expect(c.text.nl!.situation).toMatch(/^Waarschuwing \(ernstig\): SEVERE THUNDERSTORM\./);
    expect(c.text.nl!.actions).toEqual(['Ga naar binnen en blijf binnen.']); // responseType Shelter
    expect(c.text.en!.actions.join(' ')).toMatch(/TAKE COVER/);
    expect(c.authority).toBe('NATIONAL WEATHER SERVICE SACRAMENTO CA');
    expect(d.expiresAt).toBe(Date.parse('2003-06-17T16:00:00-07:00'));
    expect(d.warnings.join('\n')).toMatch(/no Dutch text/);
    expect(d.warnings.join('\n')).toMatch(/expired/);
  });

  it('spec A.3 earthquake: msgType Update carries what it replaces', () => {
    const d = capToDraft(parseCap(fixture('cap12-spec-a3-earthquake-update.xml')), opts);
    expect(d.kind).toBe('draft');
    if (d.kind !== 'draft') return;
    expect(d.replaces).toEqual([{ sender: 'trinet@caltech.edu', identifier: 'TRI13970876.1', sent: '2003-06-11T20:30:00-07:00' }]);
    expect(d.warnings.join('\n')).toMatch(/updates 1 earlier alert/);
    expect(() => parseBoardContent(d.content)).not.toThrow();
  });

  it('spec A.4 AMBER alert: picks the English info out of en-US and es-US', () => {
    const alert = parseCap(fixture('cap12-spec-a4-amber-alert-en-es.xml'));
    expect(alert.infos.map((i) => i.language)).toEqual(['en-US', 'es-US']);
    expect(pickInfo(alert, 'nl')).toBeNull();
    expect(pickInfo(alert, 'es')!.event).toMatch(/Abducción|Abduccion|Secuestro|Abduc/i);
    const d = capToDraft(alert, opts);
    if (d.kind !== 'draft') throw new Error('expected a draft');
    expect(d.from).toEqual({ en: 'en-US' });
    expect(parseBoardContent(d.content).text.en!.situation).toMatch(/^Amber Alert in Los Angeles County\. Area: Los Angeles County\./);
  });

  it('IPAWS cancel with an XML signature: a cancel of the referenced alert, signature noted', () => {
    const alert = parseCap(fixture('ipaws-cancel-signed.xml'));
    expect(alert).toMatchObject({ msgType: 'Cancel', signed: true, infos: [] });
    const d = capToDraft(alert, opts);
    expect(d).toMatchObject({ kind: 'cancel', references: [{ sender: 'bbrundage@dps.state.nv.us', identifier: 'AS-NV-e18921c7-1b35-4a81-9705-42d25c265ddd' }] });
    expect(d.warnings.join('\n')).toMatch(/XML signature/);
  });

  it('MeteoAlarm fr-FR + en-GB update: uses en-GB, Dutch scaffold, areas listed', () => {
    const alert = parseCap(fixture('meteoalarm-fr-update-fr-en.xml'));
    const d = capToDraft(alert, opts);
    if (d.kind !== 'draft') throw new Error('expected a draft');
    expect(d.from).toEqual({ en: 'en-GB' });
    const c = parseBoardContent(d.content);
    expect(c.text.nl!.situation).toMatch(/Gebied: Alpes de Haute Provence, Hautes Alpes/);
    expect(c.text.nl!.actions).toEqual(['Het gevaar is voorbij.']); // responseType AllClear
    expect(c.text.en!.situation).not.toMatch(/Vigilance jaune/);
    expect(c.authority).toBe('METEO-FRANCE');
  });
});

describe('CAP import edge cases', () => {
  const dutch = (msgType = 'Alert', extra = '') => `<?xml version="1.0"?>
<cap:alert xmlns:cap="urn:oasis:names:tc:emergency:cap:1.2"><cap:identifier>T-1</cap:identifier><cap:sender>test@example.nl</cap:sender>
<cap:sent>2026-11-27T13:00:00+01:00</cap:sent><cap:status>Exercise</cap:status><cap:msgType>${msgType}</cap:msgType><cap:scope>Public</cap:scope>
<cap:info><cap:language>en-GB</cap:language><cap:event>Flood</cap:event><cap:urgency>Immediate</cap:urgency><cap:severity>Severe</cap:severity><cap:certainty>Likely</cap:certainty><cap:headline>Flood</cap:headline></cap:info>
<cap:info><cap:language>nl-NL</cap:language><cap:event>Overstroming</cap:event><cap:urgency>Immediate</cap:urgency><cap:severity>Severe</cap:severity><cap:certainty>Likely</cap:certainty>
<cap:senderName>Veiligheidsregio Test</cap:senderName><cap:headline>Dijk bij Zwolle &amp; Kampen bedreigd</cap:headline><cap:instruction>Ga naar hoger gelegen gebied. Neem medicijnen mee.</cap:instruction>
<cap:expires>2026-11-28T18:00:00+01:00</cap:expires>${extra}</cap:info></cap:alert>`;

  it('prefers a Dutch info (constructed example, prefixed namespace, entities)', () => {
    const d = capToDraft(parseCap(dutch()), opts);
    if (d.kind !== 'draft') throw new Error('expected a draft');
    const c = parseBoardContent(d.content);
    expect(d.from).toEqual({ nl: 'nl-NL', en: 'en-GB' });
    expect(c.text.nl).toMatchObject({ situation: 'Dijk bij Zwolle & Kampen bedreigd.', actions: ['Ga naar hoger gelegen gebied.', 'Neem medicijnen mee.'] });
    expect(c.text.nl!.outlook).toBe('Deze waarschuwing geldt tot zaterdag 28 november om 18:00.');
    expect(c.authority).toBe('Veiligheidsregio Test');
    expect(d.warnings).toEqual(['status is Exercise, not Actual']);
  });

  it('refuses what is not CAP 1.2 or has nothing to show', () => {
    expect(() => parseCap('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.1"><identifier>x</identifier></alert>')).toThrow(CapParseError);
    expect(() => parseCap('<alert')).toThrow(/not well-formed/);
    expect(() => parseCap(dutch('Bogus'))).toThrow(/unknown msgType/);
    expect(() => capToDraft(parseCap(dutch('Ack')), opts)).toThrow(CapImportError);
  });
});
