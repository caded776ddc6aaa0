export * from './parse.js';
export * from './draft.js';
