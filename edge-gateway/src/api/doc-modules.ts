// The feature modules whose rows join the documented request table (docs/api.md). Each is built with its
// service absent: the doc needs only the rows, and a gateway without the feature answers 404 on them.
import type { ApiModule } from './routes.js';

export const DOC_MODULES: readonly ApiModule[] = [
  // one line per feature module, e.g. helpApi(null),
];
