// The needs and services the console's board editors offer (staff board form, coordinator composer), in
// order. Not in lib/api/board.ts, which the resident page loads: a module both pages share is split into a
// chunk of its own, and the resident page would fetch these lists with it.
import type { Need, Service } from '../lib/api/board.js';

export const NEEDS: readonly Need[] = ['shelter', 'first-aid', 'water', 'food', 'contact', 'emergency', 'medication', 'information'];
export const SERVICES: readonly Service[] = ['information', 'charging', 'first-aid', 'water', 'shelter', 'contact', 'emergency-report', 'help-desk'];
