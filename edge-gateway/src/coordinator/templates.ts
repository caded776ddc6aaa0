// Starting points for the coordinator's broadcasts, in Dutch (B1) and English. Words in [brackets] are
// for the operator to fill in; the composer lists them so none is sent by accident.
import type { BoardContentInput } from '../board/content.js';

export interface BroadcastTemplate {
  id: string;
  title: { nl: string; en: string };
  content: BoardContentInput;
  placeholders: string[];
}

const AUTHORITY = 'Veiligheidsregio [naam]';
const POINT = { name: 'Noodsteunpunt' };
const NOW = '2026-01-01T00:00:00.000Z';

function template(id: string, title: { nl: string; en: string }, content: Omit<BoardContentInput, 'point' | 'authority' | 'source' | 'updatedAt' | 'languages'>): BroadcastTemplate {
  const full: BoardContentInput = { point: POINT, authority: AUTHORITY, source: 'coordinator', updatedAt: NOW, languages: ['nl', 'en'], ...content };
  const placeholders = [...new Set(JSON.stringify(full).match(/\[[^\]"]{1,40}\]/g) ?? [])];
  return { id, title, content: full, placeholders };
}

export const BROADCAST_TEMPLATES: readonly BroadcastTemplate[] = [
  template(
    'power-outage-update',
    { nl: 'Stroomstoring: update', en: 'Power outage: update' },
    {
      text: {
        nl: {
          situation: 'Er is nog steeds geen stroom in [gebied]. Netbeheerder [naam] werkt aan het herstel.',
          actions: ['Houd uw koelkast en vriezer dicht.', 'Gebruik geen kaarsen bij slapen of bij kinderen.', 'Help uw buren, vooral ouderen.'],
          outlook: 'De stroom is naar verwachting terug op [dag] rond [tijd]. Wij melden het als dit verandert.',
          places: ['Dit noodsteunpunt', 'Dit noodsteunpunt'],
        },
        en: {
          situation: 'There is still no power in [area]. Grid operator [name] is working on repairs.',
          actions: ['Keep your fridge and freezer closed.', 'Do not use candles while sleeping or near children.', 'Check on your neighbours, especially older people.'],
          outlook: 'Power is expected back on [day] around [time]. We will tell you if this changes.',
          places: ['This support point', 'This support point'],
        },
      },
      referrals: [{ need: 'information' }, { need: 'emergency' }],
    },
  ),
  template(
    'water-distribution',
    { nl: 'Uitdelen drinkwater', en: 'Drinking water distribution' },
    {
      text: {
        nl: {
          situation: 'Het kraanwater in [gebied] is niet veilig om te drinken. Er wordt drinkwater uitgedeeld.',
          actions: ['Haal drinkwater op bij [adres].', 'Neem zelf flessen of jerrycans mee.', 'Kook kraanwater minstens 1 minuut voordat u het drinkt.'],
          outlook: 'Uitdelen elke dag van [van] tot [tot], zolang het nodig is.',
          places: ['[adres]'],
        },
        en: {
          situation: 'Tap water in [area] is not safe to drink. Drinking water is being handed out.',
          actions: ['Collect drinking water at [address].', 'Bring your own bottles or containers.', 'Boil tap water for at least 1 minute before drinking it.'],
          outlook: 'Handed out every day from [from] to [to], as long as needed.',
          places: ['[address]'],
        },
      },
      referrals: [{ need: 'water' }],
    },
  ),
  template(
    'shelter-open',
    { nl: 'Opvang open', en: 'Shelter open' },
    {
      text: {
        nl: {
          situation: 'Er is een warme opvang open in [naam locatie], [adres].',
          actions: ['Heeft u het thuis te koud? Kom naar de opvang.', 'Neem uw medicijnen en een deken mee.', 'Huisdieren zijn [wel/niet] welkom.'],
          outlook: 'De opvang is dag en nacht open tot de stroom terug is.',
          places: ['[naam locatie], [adres]'],
        },
        en: {
          situation: 'A heated shelter is open at [location name], [address].',
          actions: ['Too cold at home? Come to the shelter.', 'Bring your medication and a blanket.', 'Pets are [welcome/not allowed].'],
          outlook: 'The shelter is open day and night until power is back.',
          places: ['[location name], [address]'],
        },
      },
      referrals: [{ need: 'shelter' }],
    },
  ),
  template(
    'all-clear',
    { nl: 'Alles veilig', en: 'All clear' },
    {
      text: {
        nl: {
          situation: 'De stroom is terug in [gebied]. Het gevaar is voorbij.',
          actions: ['Zet apparaten één voor één weer aan.', 'Gooi eten weg dat te warm is geworden.', 'Heeft u nog hulp nodig? Kom naar dit punt.'],
          outlook: 'Dit noodsteunpunt sluit op [dag] om [tijd].',
          places: [],
        },
        en: {
          situation: 'Power is back in [area]. The danger is over.',
          actions: ['Switch appliances back on one at a time.', 'Throw away food that got too warm.', 'Still need help? Come to this point.'],
          outlook: 'This support point closes on [day] at [time].',
          places: [],
        },
      },
      referrals: [],
    },
  ),
];
