// The two links from the resident start page to citizen help and the directory. Kept apart from tables/help.ts
// so the first-load bundle carries these few words, not the help screens' texts.
import { residentStrings } from '../table.js';

export const helpLinkStrings = residentStrings({
  nl: { 'links.title': 'Burenhulp en andere plekken', 'links.help': 'Burenhulp: hulp vragen of aanbieden', 'links.places': 'Andere plekken in de buurt' },
  en: { 'links.title': 'Neighbourhood help and other places', 'links.help': 'Neighbourhood help: ask for or offer help', 'links.places': 'Other places nearby' },
  ar: { 'links.title': 'مساعدة الجيران وأماكن أخرى', 'links.help': 'مساعدة الجيران: اطلب المساعدة أو اعرضها', 'links.places': 'أماكن أخرى قريبة' },
  uk: { 'links.title': 'Сусідська допомога та інші місця', 'links.help': 'Сусідська допомога: попросити або запропонувати', 'links.places': 'Інші місця поруч' },
  pl: { 'links.title': 'Pomoc sąsiedzka i inne miejsca', 'links.help': 'Pomoc sąsiedzka: poproś o pomoc lub ją zaoferuj', 'links.places': 'Inne miejsca w pobliżu' },
  tr: { 'links.title': 'Komşu yardımı ve diğer yerler', 'links.help': 'Komşu yardımı: yardım isteyin veya önerin', 'links.places': 'Yakındaki diğer yerler' },
});
