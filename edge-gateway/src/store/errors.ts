// Typed store failures: callers decide (no ack, retry later) by class, not by message text.

export class StoreError extends Error {
  override name = 'StoreError';
}

/** The database file is from a newer gateway, or a migration failed (and was rolled back). */
export class MigrationError extends StoreError {
  override name = 'MigrationError';
}
