// Fixtures for the mock backend (dev server and end-to-end test): one point and a coordinator's overview.
// They follow src/lib/api/types.ts; unknown values are null, as the gateway sends them.
import type { PointsData, StatusData } from '../src/lib/api/types.js';
import type { BoardContent } from '../src/lib/api/board.js';

export function statusFixture(now = Date.now()): StatusData {
  return {
    point: { id: 'dorpshuis-de-linde', name: 'Dorpshuis De Linde', role: 'point' },
    time: now,
    nodes: [
      { id: 'fuel-1', kind: 'fuel', online: true, lastSeen: now - 4_000, fw: '0.3.1' },
      { id: 'battery-1', kind: 'battery', online: true, lastSeen: now - 2_000, fw: '0.3.1' },
      { id: 'visitors-1', kind: 'visitors', online: true, lastSeen: now - 9_000, fw: '0.3.0' },
      { id: 'charger-1', kind: 'charger', online: false, lastSeen: now - 25 * 60_000, fw: null },
    ],
    readings: {
      fuel: { litres: 61.5, pct: 41, status: 'ok', refuelling: false },
      battery: { v: 25.6, a: -3.2, soc: 78, status: 'ok' },
      visitors: { entries: 143, exits: 121, inside: 22 },
      charger: {
        ports: [
          { p: 0, on: true, mA: 1830, fault: null },
          { p: 1, on: false, mA: 0, fault: null },
          { p: 2, on: false, mA: null, fault: 'sensor' },
        ],
        failsafe: false,
      },
    },
    board: { image: null, updatedAt: null },
  };
}

export function pointsFixture(now = Date.now()): PointsData {
  const base = {
    v: 1 as const,
    seq: 12,
    ts: now - 30_000,
    nodes: [],
    visitors: { inside: 10, entries: 40 },
    charging: { portsOn: 2, ports: 8, watts: 18 },
  };
  return {
    points: [
      {
        point: 'dorpshuis-de-linde',
        name: 'Dorpshuis De Linde',
        online: true,
        receivedAt: now - 30_000,
        status: {
          ...base,
          point: 'dorpshuis-de-linde',
          name: 'Dorpshuis De Linde',
          fuel: { litres: 61.5, pct: 41, status: 'ok' },
          battery: { v: 25.6, soc: 78, a: -3.2 },
          alarms: [],
        },
      },
      {
        point: 'kerk-oosterhout',
        name: 'Kerk Oosterhout',
        online: true,
        receivedAt: now - 45_000,
        status: {
          ...base,
          point: 'kerk-oosterhout',
          name: 'Kerk Oosterhout',
          fuel: { litres: 9, pct: 6, status: 'ok' },
          battery: { v: 24.1, soc: 35, a: -8.5 },
          alarms: ['fuel-low'],
        },
      },
      {
        point: 'school-het-anker',
        name: 'School Het Anker',
        online: false,
        receivedAt: now - 40 * 60_000,
        status: {
          ...base,
          point: 'school-het-anker',
          name: 'School Het Anker',
          fuel: { litres: null, pct: null, status: 'fault' },
          battery: null,
          alarms: ['fuel-sensor'],
        },
      },
      { point: 'tent-markt', name: 'Tent Markt', online: true, receivedAt: null, status: null },
    ],
  };
}

/** Board content as `GET /api/board/content` returns it (the simulator's power-outage sample, in Dutch, English and Arabic). */
export function boardContentFixture(updatedAt = '2026-11-27T14:05:00+01:00'): BoardContent {
  return {
    point: { name: 'Noodsteunpunt Dorpshuis De Linde' },
    authority: 'Veiligheidsregio Drenthe',
    source: 'coordinator',
    updatedAt,
    languages: ['nl', 'en', 'ar'],
    text: {
      nl: {
        situation: 'Er is geen stroom in de hele gemeente. Oorzaak: storing in het hoogspanningsnet.',
        actions: ['Blijf thuis als het veilig is.', 'Kijk naar buren die hulp nodig hebben.', 'Bel 112 alleen bij nood.'],
        outlook: 'De stroom is naar verwachting morgen na 18:00 terug.',
        places: ['Sporthal De Slenk, Brinkweg 4', 'Hier, bij de ingang', 'Tappunt bij de kerk'],
      },
      en: {
        situation: 'There is no power in the whole municipality. Cause: a fault in the high-voltage grid.',
        actions: ['Stay at home if it is safe.', 'Check on neighbours who need help.', 'Call 112 only in an emergency.'],
        outlook: 'Power is expected back tomorrow after 18:00.',
        places: ['Sports hall De Slenk, Brinkweg 4', 'Here, at the entrance', 'Tap point at the church'],
      },
      ar: {
        situation: 'لا توجد كهرباء في البلدية كلها. السبب: عطل في شبكة الضغط العالي.',
        actions: ['ابقَ في البيت إذا كان ذلك آمنًا.', 'اطمئن على الجيران الذين يحتاجون إلى مساعدة.', 'اتصل بـ 112 في حالات الطوارئ فقط.'],
        outlook: 'من المتوقع أن تعود الكهرباء غدًا بعد الساعة 18:00.',
        places: ['القاعة الرياضية دي سلينك، برينكفيخ 4', 'هنا، عند المدخل', 'نقطة المياه عند الكنيسة'],
      },
    },
    referrals: [{ need: 'shelter' }, { need: 'first-aid' }, { need: 'water' }],
    services: ['information', 'charging', 'emergency-report', 'contact'],
    openingHours: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '22:00' }, { days: [6, 7], from: '10:00', to: '18:00' }],
    charging: { enabled: true, portsFree: 3, portsTotal: 8, queue: 2 },
  };
}
