export * from './vedirect-link.js';
