// Code lists shared by several message kinds. Appending is compatible; reordering or removing
// is a new codec version (the index is what goes over the air).

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Need categories (5 bits): the needs report and the board's "go to … for …" template. */
export const NEED_CATEGORIES = [
  'water',
  'food',
  'medication',
  'medical_power', // oxygen concentrator, home dialysis, other powered care
  'first_aid',
  'shelter',
  'warmth',
  'cooling',
  'baby_supplies',
  'hygiene',
  'sanitation',
  'transport',
  'family_contact',
  'phone_charging',
  'information',
  'psychosocial',
  'elderly_care',
  'disability_support',
  'pet_care',
  'fuel',
  'blankets',
  'clothing',
  'interpreter',
  'other',
] as const;
export type NeedCategory = (typeof NEED_CATEGORIES)[number];
