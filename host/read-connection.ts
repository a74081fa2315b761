/**
 * The views' second connection (SPEC.md g.7): read-only, opened once per host and reused,
 * because opening a batchdesk database checks the migration history (about 0.1 s). The
 * engine's writes never wait for it and it never sees an uncommitted portfolio-date. When
 * the file is replaced (a restore that swaps the file), the connection is reopened.
 */
import { statSync } from 'node:fs';
import { openDatabase, type SqliteDatabase } from '../db/open-database';

export class ReadConnection {
  private db: SqliteDatabase | null = null;
  private identity: string | null = null;

  constructor(
    readonly path: string,
    private readonly migrationsFolder?: string,
  ) {}

  /** Runs `fn` with the open read-only connection, reopening it if the file changed identity. */
  read<T>(fn: (db: SqliteDatabase) => T): T {
    const id = fileIdentity(this.path);
    if (this.db && id !== this.identity) this.close();
    if (!this.db) {
      this.db = openDatabase(this.path, { readonly: true, ...(this.migrationsFolder ? { migrationsFolder: this.migrationsFolder } : {}) });
      this.identity = id;
    }
    return fn(this.db);
  }

  /** Drop the connection (after a restore or purge, and at shutdown). */
  close(): void {
    this.db?.close();
    this.db = null;
    this.identity = null;
  }
}

function fileIdentity(path: string): string | null {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return null;
  }
}
