// Staff and technician accounts and their sessions, in the gateway's SQLite database. Session ids are
// random and only their SHA-256 is stored, so a copy of the database cannot be used to log in.
import type { Database, Statement } from 'better-sqlite3';
import type { Migration } from '../../store/migrations.js';

/** staff: the point's local information; technician: commissioning; coordinator: steering points (coordinator role). */
export const ROLES = ['staff', 'technician', 'coordinator'] as const;
export type Role = (typeof ROLES)[number];

/** Suggested version 4 (charging holds 2, coordinator history 2/3): the lead renumbers on append. */
export const AUTH_MIGRATION: Migration = {
  version: 4,
  name: 'api-auth',
  up(db) {
    db.exec(`
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('staff', 'technician', 'coordinator')),
        hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        csrf TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `);
  },
};

export interface UserRow {
  id: number;
  username: string;
  role: Role;
  hash: string;
  createdAt: number;
  disabled: boolean;
}

export interface SessionRow {
  user: Omit<UserRow, 'hash'>;
  csrf: string;
  expiresAt: number;
}

interface RawUser {
  id: number;
  username: string;
  role: Role;
  hash: string;
  created_at: number;
  disabled: number;
}

const toUser = (r: RawUser): UserRow => ({ id: r.id, username: r.username, role: r.role, hash: r.hash, createdAt: r.created_at, disabled: r.disabled === 1 });

export class AuthStore {
  private readonly st: {
    insertUser: Statement<[string, Role, string, number]>;
    byName: Statement<[string], RawUser>;
    list: Statement<[], RawUser>;
    countRole: Statement<[Role], { n: number }>;
    insertSession: Statement<[string, number, string, number, number]>;
    session: Statement<[string, number], RawUser & { csrf: string; expires_at: number }>;
    deleteSession: Statement<[string]>;
    deleteExpired: Statement<[number]>;
  };

  constructor(private readonly db: Database) {
    this.st = {
      insertUser: db.prepare('INSERT INTO users (username, role, hash, created_at) VALUES (?, ?, ?, ?)'),
      byName: db.prepare('SELECT * FROM users WHERE username = ?'),
      list: db.prepare('SELECT * FROM users ORDER BY id'),
      countRole: db.prepare('SELECT count(*) AS n FROM users WHERE role = ? AND disabled = 0'),
      insertSession: db.prepare('INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)'),
      session: db.prepare(
        `SELECT u.*, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled = 0`,
      ),
      deleteSession: db.prepare('DELETE FROM sessions WHERE id_hash = ?'),
      deleteExpired: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
    };
  }

  addUser(username: string, role: Role, hash: string, now: number): UserRow {
    const info = this.st.insertUser.run(username, role, hash, now);
    return { id: Number(info.lastInsertRowid), username, role, hash, createdAt: now, disabled: false };
  }

  /** Adds a user only while no technician exists, in one transaction (two set-up requests cannot both win). */
  addFirstTechnician(username: string, hash: string, now: number): UserRow | null {
    return this.db.transaction(() => (this.hasTechnician() ? null : this.addUser(username, 'technician', hash, now)))();
  }

  user(username: string): UserRow | null {
    const r = this.st.byName.get(username);
    return r ? toUser(r) : null;
  }

  users(): UserRow[] {
    return this.st.list.all().map(toUser);
  }

  hasTechnician(): boolean {
    return (this.st.countRole.get('technician')?.n ?? 0) > 0;
  }

  addSession(idHash: string, userId: number, csrf: string, now: number, expiresAt: number): void {
    this.st.insertSession.run(idHash, userId, csrf, now, expiresAt);
  }

  session(idHash: string, now: number): SessionRow | null {
    const r = this.st.session.get(idHash, now);
    if (!r) return null;
    const { hash: _hash, ...user } = toUser(r);
    return { user, csrf: r.csrf, expiresAt: r.expires_at };
  }

  deleteSession(idHash: string): void {
    this.st.deleteSession.run(idHash);
  }

  deleteExpired(now: number): number {
    return this.st.deleteExpired.run(now).changes;
  }
}
