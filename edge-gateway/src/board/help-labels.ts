// Board wording for the citizen-help line, per board language. Dutch at B1 level. Counts only.
import type { Lang } from './content.js';
import type { NEED_CATEGORIES } from '../api/reports/schemas.js';

type Category = (typeof NEED_CATEGORIES)[number];

export interface HelpLabels {
  title: string;
  counts: (asked: number, offered: number) => string;
  matched: (matched: number, done: number) => string;
  mostNeeded: (list: string) => string;
  categories: Record<Category, string>;
}

export const HELP_LABELS: Record<Lang, HelpLabels> = {
  nl: {
    title: 'Burenhulp',
    counts: (a, o) => `Hulp gevraagd: ${a} · Hulp aangeboden: ${o}`,
    matched: (m, d) => `Gekoppeld: ${m} · Klaar: ${d}`,
    mostNeeded: (l) => `Nu het meest nodig: ${l}`,
    categories: { water: 'water', food: 'eten', medicine: 'medicijnen', power: 'stroom', shelter: 'onderdak', transport: 'vervoer', care: 'zorg', other: 'overig' },
  },
  en: {
    title: 'Neighbour help',
    counts: (a, o) => `Help asked: ${a} · Help offered: ${o}`,
    matched: (m, d) => `Matched: ${m} · Done: ${d}`,
    mostNeeded: (l) => `Most needed now: ${l}`,
    categories: { water: 'water', food: 'food', medicine: 'medicine', power: 'power', shelter: 'shelter', transport: 'transport', care: 'care', other: 'other' },
  },
  ar: {
    title: 'مساعدة الجيران',
    counts: (a, o) => `طلبات المساعدة: ${a} · عروض المساعدة: ${o}`,
    matched: (m, d) => `تم الربط: ${m} · تم: ${d}`,
    mostNeeded: (l) => `الأكثر حاجة الآن: ${l}`,
    categories: { water: 'ماء', food: 'طعام', medicine: 'أدوية', power: 'كهرباء', shelter: 'مأوى', transport: 'نقل', care: 'رعاية', other: 'أخرى' },
  },
  pl: {
    title: 'Pomoc sąsiedzka',
    counts: (a, o) => `Prośby o pomoc: ${a} · Oferty pomocy: ${o}`,
    matched: (m, d) => `Połączone: ${m} · Gotowe: ${d}`,
    mostNeeded: (l) => `Teraz najbardziej potrzebne: ${l}`,
    categories: { water: 'woda', food: 'jedzenie', medicine: 'leki', power: 'prąd', shelter: 'schronienie', transport: 'transport', care: 'opieka', other: 'inne' },
  },
  tr: {
    title: 'Komşu yardımı',
    counts: (a, o) => `Yardım isteği: ${a} · Yardım teklifi: ${o}`,
    matched: (m, d) => `Eşleşen: ${m} · Tamamlanan: ${d}`,
    mostNeeded: (l) => `Şu an en çok gereken: ${l}`,
    categories: { water: 'su', food: 'yiyecek', medicine: 'ilaç', power: 'elektrik', shelter: 'barınak', transport: 'ulaşım', care: 'bakım', other: 'diğer' },
  },
};
