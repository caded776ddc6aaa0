// Built-in content: what `noodsteun board render` shows without --content, what the simulator
// starts with, and the content sets of the golden-image tests.
import { parseBoardContent, type BoardContent, type BoardContentInput } from './content.js';

const powerOutage: BoardContentInput = {
  point: { name: 'Noodsteunpunt Dorpshuis De Brink' },
  authority: 'Veiligheidsregio Drenthe',
  source: 'coordinator',
  updatedAt: '2026-11-27T14:05:00+01:00',
  languages: ['nl', 'en'],
  text: {
    nl: {
      situation: 'Er is geen stroom in de hele gemeente. Oorzaak: storing in het hoogspanningsnet.',
      actions: ['Blijf thuis als het veilig is.', 'Kijk naar buren die hulp nodig hebben.', 'Bel 112 alleen bij nood.', 'Gebruik geen kaarsen bij slapen.'],
      outlook: 'De stroom is naar verwachting morgen na 18:00 terug.',
      places: ['Sporthal De Slenk, Brinkweg 4', 'Hier, bij de ingang', 'Tappunt bij de kerk'],
    },
    en: {
      situation: 'There is no power in the whole municipality. Cause: a fault in the high-voltage grid.',
      actions: ['Stay at home if it is safe.', 'Check on neighbours who need help.', 'Call 112 only in an emergency.', 'Do not use candles while sleeping.'],
      outlook: 'Power is expected back tomorrow after 18:00.',
      places: ['Sports hall De Slenk, Brinkweg 4', 'Here, at the entrance', 'Tap point at the church'],
    },
  },
  referrals: [{ need: 'shelter' }, { need: 'first-aid' }, { need: 'water' }],
  services: ['information', 'charging', 'emergency-report', 'contact'],
  openingHours: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '08:00', to: '22:00' }],
  charging: { enabled: true, portsFree: 3, portsTotal: 8, queue: 2 },
};

const waterArabic: BoardContentInput = {
  point: { name: 'Noodsteunpunt Wijkcentrum Oost' },
  authority: 'Gemeente Rotterdam',
  source: 'local',
  updatedAt: '2026-11-27T09:30:00+01:00',
  languages: ['nl', 'ar'],
  text: {
    nl: {
      situation: 'Het kraanwater is niet veilig om te drinken.',
      actions: ['Kook water 3 minuten voor u het drinkt.', 'Haal flessen water bij dit punt.'],
      outlook: 'Het waterbedrijf verwacht vrijdag weer veilig water.',
      places: ['Hier, in de grote zaal', 'Huisartsenpost Zuidplein'],
    },
    ar: {
      situation: 'مياه الصنبور غير آمنة للشرب.',
      actions: ['اغلِ الماء 3 دقائق قبل شربه.', 'احصل على زجاجات الماء من هذه النقطة.'],
      outlook: 'تتوقع شركة المياه عودة المياه الآمنة يوم الجمعة.',
      places: ['هنا، في القاعة الكبيرة', 'مركز الأطباء زاودبلاين'],
    },
  },
  referrals: [{ need: 'water' }, { need: 'medication' }],
  services: ['information', 'water', 'help-desk'],
  openingHours: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '21:00' }, { days: [6, 7], from: '10:00', to: '18:00' }],
  charging: { enabled: false, portsFree: 0, portsTotal: 0, queue: 0 },
};

const openingPhase: BoardContentInput = {
  point: { name: 'Noodsteunpunt Kerk Aan De Vaart' },
  authority: 'Vrijwilligers ter plaatse',
  source: 'local',
  updatedAt: '2026-11-26T20:00:00+01:00',
  languages: ['nl', 'pl'],
  text: {
    nl: {
      situation: 'Stroomstoring. Wij zijn open voor informatie.',
      actions: ['Vraag hier wat u nodig hebt.'],
      outlook: 'Nog niet bekend. Wij houden u op de hoogte.',
      places: [],
    },
    pl: {
      situation: 'Awaria prądu. Jesteśmy otwarci i udzielamy informacji.',
      actions: ['Zapytaj tutaj, czego potrzebujesz.'],
      outlook: 'Jeszcze nie wiadomo. Będziemy informować.',
      places: [],
    },
  },
  services: ['information'],
};

export const SAMPLE_CONTENT_SETS = {
  'power-outage': powerOutage,
  'water-arabic': waterArabic,
  'opening-phase': openingPhase,
} as const;
export type SampleName = keyof typeof SAMPLE_CONTENT_SETS;

export function sampleContent(name: SampleName = 'power-outage'): BoardContent {
  return parseBoardContent(SAMPLE_CONTENT_SETS[name]);
}
