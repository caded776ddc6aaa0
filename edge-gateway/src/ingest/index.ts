export * from './ingest.js';
export { Dedup, SeqSet } from './dedup.js';
