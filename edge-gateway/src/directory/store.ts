// Directory places in SQLite (table made by the citizen-help migration, version 9): one JSON body per place.
// Few rows (tens), read whole: a JSON column keeps the schema free to grow without another migration.
import type { Database } from 'better-sqlite3';
import type { Place } from './schemas.js';

export class DirectoryStore {
  constructor(private readonly db: Database) {}

  all(): Place[] {
    const rows = this.db.prepare('SELECT body FROM directory_places').all() as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as Place);
  }

  get(id: string): Place | null {
    const r = this.db.prepare('SELECT body FROM directory_places WHERE id = ?').get(id) as { body: string } | undefined;
    return r ? (JSON.parse(r.body) as Place) : null;
  }

  put(p: Place): void {
    this.db
      .prepare('INSERT INTO directory_places (id, source, body, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET source = excluded.source, body = excluded.body, updated_at = excluded.updated_at')
      .run(p.id, p.source, JSON.stringify(p), p.updatedAt);
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM directory_places WHERE id = ?').run(id).changes > 0;
  }

  /** Replaces every coordinator place with `places` in one transaction. */
  replaceCoordinator(places: readonly Place[]): void {
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM directory_places WHERE source = 'coordinator'`).run();
      for (const p of places) this.put(p);
    })();
  }
}
