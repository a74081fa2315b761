/**
 * The views' second connection (SPEC.md g.7): read-only, opened once per host and reused,
 * because opening a batchdesk database checks the migration history (about 0.1 s). The
 * engine's writes never wait for it and it never sees an uncommitted portfolio-date. When
 * the file is replaced (a restore or an import renames another file over it), the connection
 * is reopened, and the replacement is kept for fileReplaced: a replacement made by another
 * process is one the host learns of only here (host/handlers/database-replaced.ts).
 */
import { statSync } from 'node:fs';
import { openDatabase, type SqliteDatabase } from '../db/open-database';

export class ReadConnection {
  private db: SqliteDatabase | null = null;
  /** The identity (dev:ino) of the file read at the path: the connection's, or the one that replaced it; null before the first read and after close(). */
  private identity: string | null = null;
  /** Another file took the path since fileReplaced was last asked. */
  private replacedUnasked = false;

  constructor(
    readonly path: string,
    private readonly migrationsFolder?: string,
  ) {}

  /** Runs `fn` with the open read-only connection, reopening it if the file changed identity. */
  read<T>(fn: (db: SqliteDatabase) => T): T {
    const id = this.followFile();
    if (!this.db) {
      this.db = openDatabase(this.path, { readonly: true, ...(this.migrationsFolder ? { migrationsFolder: this.migrationsFolder } : {}) });
      this.identity = id;
    }
    return fn(this.db);
  }

  /**
   * Whether another file has taken the path since this connection first read it (seen now, or by
   * a read since the last call): true once per replacement. Writes to the file (a run committing)
   * are no replacement, and neither is a file read for the first time after close().
   */
  fileReplaced(): boolean {
    this.followFile();
    const replaced = this.replacedUnasked;
    this.replacedUnasked = false;
    return replaced;
  }

  /** Drop the connection and the file it knew (after the host's own restore or import, and at shutdown). */
  close(): void {
    this.db?.close();
    this.db = null;
    this.identity = null;
    this.replacedUnasked = false;
  }

  /**
   * The file's identity now. A connection open on another file is closed, and the file that took
   * the path is a replacement. While the path has no file (removed, to be copied again), the
   * connection stays open: it keeps the file it read from being reused for the one copied there.
   */
  private followFile(): string | null {
    const id = fileIdentity(this.path);
    if (this.identity === null || id === null || id === this.identity) return id;
    this.db?.close();
    this.db = null;
    this.identity = id;
    this.replacedUnasked = true;
    return id;
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
