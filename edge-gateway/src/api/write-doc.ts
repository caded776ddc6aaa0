// Writes edge-gateway/docs/api.md from the request table: `node --import tsx edge-gateway/src/api/write-doc.ts`.
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '../core/clock.js';
import { silentLogger } from '../log/logger.js';
import { REPO_ROOT } from '../paths.js';
import { migrate } from '../store/migrations.js';
import { API_MIGRATIONS, createApi, renderApiDoc } from './index.js';
import { DOC_MODULES } from './doc-modules.js';

export function apiDocText(): string {
  const db = new Database(':memory:');
  try {
    migrate(db, API_MIGRATIONS);
    const api = createApi({ db, clock: new ManualClock(0), log: silentLogger, sink: null, personalRetentionDays: 30, modules: DOC_MODULES });
    return renderApiDoc(api.table);
  } finally {
    db.close();
  }
}

export const API_DOC_PATH = join(REPO_ROOT, 'edge-gateway', 'docs', 'api.md');

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(API_DOC_PATH, apiDocText());
  console.log(`wrote ${API_DOC_PATH}`);
}
