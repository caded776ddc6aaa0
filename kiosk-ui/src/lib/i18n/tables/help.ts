// Resident texts of citizen help and the neighbourhood directory (kiosk-ui/src/resident/help, /directory),
// all six languages in one table for the table check and the server side. The browser loads one language
// at a time from tables/help/<lang>.ts (see resident/help/texts.ts). Category names come from the needs
// report's core strings (`need.*`). The ar/uk/pl/tr texts need review by native speakers before use in a pilot.
import { residentStrings } from '../table.js';
import nl from './help/nl.js';
import en from './help/en.js';
import ar from './help/ar.js';
import uk from './help/uk.js';
import pl from './help/pl.js';
import tr from './help/tr.js';

export type { HelpKey, HelpTexts } from './help/nl.js';

export const helpStrings = residentStrings({ nl, en, ar, uk, pl, tr });
