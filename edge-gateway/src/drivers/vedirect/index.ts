export * from './parser.js';
export * from './decode.js';
export * from './products.js';
export * from './encode.js';
