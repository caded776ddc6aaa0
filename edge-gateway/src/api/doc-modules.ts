// The feature modules whose rows join the documented request table (docs/api.md). Each is built with its
// service absent: the doc needs only the rows, and a gateway without the feature answers 404 on them.
import type { ApiModule } from './routes.js';
import { helpApi } from '../help/api.js';
import { commissioningApi } from '../commissioning/api.js';
import { chargingApi } from '../charging/routes.js';
import { coordinatorConsoleApi } from '../coordinator/console-api.js';
import { chargingPagesApi } from '../http/charging-pages.js';
import { helpPagesApi } from '../http/help-pages.js';

export const DOC_MODULES: readonly ApiModule[] = [
  // one line per feature module, e.g. helpApi(null),
  helpApi(null),
  commissioningApi(null),
  chargingApi(null),
  coordinatorConsoleApi(null),
  chargingPagesApi(null),
  helpPagesApi(null, null),
];
