// Raw fields → typed values: units, unknowns as null (never 0), alarm bits, product names.
import { describe, it, expect } from 'vitest';
import { VeDirectParser, alarmReasons, decodeFields, encodeBlock, formatFirmware, isBatteryBlock, parseInteger, parsePid } from '../../../src/drivers/vedirect/index.js';
import { DUMP } from './capture.js';

const fieldsOf = (pairs: [string, string][]): Map<string, string> => new Map(pairs);

describe('decodeFields', () => {
  const blocks = new VeDirectParser().push(DUMP);

  it('decodes the first BMV-700 main block of the capture', () => {
    const r = decodeFields(blocks[0]!.fields);
    expect(isBatteryBlock(blocks[0]!.fields)).toBe(true);
    expect(r).toMatchObject({
      productId: 0x203,
      product: 'BMV-700',
      model: '700',
      firmware: '3.08',
      serial: null,
      voltageV: 12.065,
      currentA: -7.625,
      powerW: -92,
      consumedAh: -65.473,
      socPct: 83.9,
      ttgMin: 942,
      alarm: false,
      relay: false,
      alarmBits: 0,
      alarmReasons: [],
      // Not sent by a BMV-700: unknown, not 0.
      auxVoltageV: null,
      midVoltageV: null,
      midDeviationPct: null,
      temperatureC: null,
      monitorMode: null,
      other: {},
    });
  });

  it('decodes the history block, which is no battery reading', () => {
    const h = blocks[1]!.fields;
    expect(isBatteryBlock(h)).toBe(false);
    const r = decodeFields(h);
    expect(r.voltageV).toBeNull();
    expect(r.socPct).toBeNull();
    expect(r.history).toEqual({
      deepestDischargeAh: -149.322,
      lastDischargeAh: -82.854,
      averageDischargeAh: 0,
      chargeCycles: 0,
      fullDischarges: 0,
      cumulativeAh: -5526.294,
      minVoltageV: 11.733,
      maxVoltageV: 16.161,
      secondsSinceFullCharge: 368003,
      autoSyncs: 26,
      lowVoltageAlarms: 0,
      highVoltageAlarms: 0,
      lowAuxVoltageAlarms: null,
      highAuxVoltageAlarms: null,
      minAuxVoltageV: null,
      maxAuxVoltageV: null,
      dischargedKWh: 68.43,
      chargedKWh: 85.27,
    });
  });

  it('decodes a SmartShunt block with TTG -1, alarm bits and aux voltage', () => {
    // Field set and values as a SmartShunt 500A/50mV sends them.
    const block = encodeBlock([
      ['PID', '0xA389'], ['V', '12865'], ['VS', '-14'], ['I', '0'], ['P', '0'], ['CE', '0'], ['SOC', '1000'],
      ['TTG', '-1'], ['Alarm', 'ON'], ['AR', '140'], ['BMV', 'SmartShunt 500A/50mV'], ['FW', '0405'], ['MON', '0'],
    ]);
    const [b] = new VeDirectParser().push(block);
    const r = decodeFields(b!.fields);
    expect(r).toMatchObject({
      productId: 0xa389,
      product: 'SmartShunt 500A/50mV',
      model: 'SmartShunt 500A/50mV',
      firmware: '4.05',
      voltageV: 12.865,
      auxVoltageV: -0.014,
      currentA: 0,
      socPct: 100,
      ttgMin: null,
      alarm: true,
      relay: null,
      alarmBits: 140,
      alarmReasons: ['low-soc', 'low-starter-voltage', 'mid-voltage'],
      monitorMode: 0,
    });
  });

  it('turns `---`, empty, junk and out-of-range values into null, never 0', () => {
    const r = decodeFields(
      fieldsOf([
        ['V', '---'], ['I', ''], ['SOC', '---'], ['TTG', '---'], ['T', '---'], ['P', '12.5'], ['CE', '1e3'],
        ['Alarm', 'MAYBE'], ['AR', '-4'], ['PID', '203'], ['FW', '---'], ['VM', '0x10'], ['DM', '-12'],
      ]),
    );
    expect(r).toMatchObject({
      voltageV: null, currentA: null, socPct: null, ttgMin: null, temperatureC: null, powerW: null, consumedAh: null,
      alarm: null, alarmBits: null, alarmReasons: null, productId: null, product: null, firmware: null, midVoltageV: null,
      midDeviationPct: -1.2,
    });
    expect(decodeFields(fieldsOf([['SOC', '1001']])).socPct).toBeNull();
    expect(decodeFields(fieldsOf([['SOC', '0']])).socPct).toBe(0);
    expect(decodeFields(fieldsOf([['TTG', '0']])).ttgMin).toBe(0);
    // A `V` of `---` is still a reading (of an unknown voltage): the link reports it as a fault.
    expect(isBatteryBlock(fieldsOf([['V', '---']]))).toBe(true);
  });

  it('keeps unknown labels raw and names unknown products null', () => {
    const r = decodeFields(fieldsOf([['PID', '0xA053'], ['CS', '3'], ['SER#', 'HQ2132ABCDE']]));
    expect(r).toMatchObject({ productId: 0xa053, product: null, serial: 'HQ2132ABCDE', other: { CS: '3' } });
  });
});

describe('field helpers', () => {
  it('parses integers strictly', () => {
    expect([parseInteger('12'), parseInteger('-7625'), parseInteger(' 3 '), parseInteger('1.5'), parseInteger('--'), parseInteger(undefined)]).toEqual([12, -7625, 3, null, null, null]);
    expect(parseInteger('1'.repeat(16))).toBeNull();
  });

  it('parses PIDs and formats firmware', () => {
    expect([parsePid('0x203'), parsePid('0XA389'), parsePid('203'), parsePid('0xZZ')]).toEqual([0x203, 0xa389, null, null]);
    expect([formatFirmware('0308'), formatFirmware('308'), formatFirmware('1412'), formatFirmware('C208'), formatFirmware(null)]).toEqual(['3.08', '3.08', '14.12', 'C208', null]);
  });

  it('names every alarm reason bit', () => {
    expect(alarmReasons(0)).toEqual([]);
    expect(alarmReasons(1 | 2 | 0x2000)).toEqual(['low-voltage', 'high-voltage', 'bms-lockout']);
    // Unassigned high bits are ignored.
    expect(alarmReasons(0x8000)).toEqual([]);
  });
});
