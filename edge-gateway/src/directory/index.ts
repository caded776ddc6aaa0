// The neighbourhood directory: places nearby with status and walking distance, and a schematic offline map.
export { DirectoryStore } from './store.js';
export { DirectoryService, DirectoryError } from './service.js';
export { directoryFromPointBook } from './from-point-book.js';
export * from './schemas.js';
