// Citizen help: offers and requests matched at the point (see /work/team/help-api.md for the contract).
export { HELP_MIGRATION, HelpStore } from './store.js';
export { HelpService, HelpError, type HelpEntry, type Registered, type OwnEntry } from './service.js';
export { helpApi } from './api.js';
export type { HelpSummary, HelpStatusAggregate, HelpBoardLine } from './aggregate.js';
