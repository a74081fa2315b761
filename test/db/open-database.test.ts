/**
 * openDatabase (issue 2, SPEC.md b.1): pragmas, migrations, and refusals with a clear error for
 * a missing folder, a file that is not SQLite, another application's SQLite file, a database
 * written by a newer version and an edited migration history. A refused open changes nothing.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatabaseOpenError, openDatabase, shippedMigrations } from '../../db/open-database';
import { runCli, tempDir } from '../support/cli';

function expectRefusal(fn: () => unknown, code: DatabaseOpenError['code'], message: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DatabaseOpenError);
    expect((err as DatabaseOpenError).code).toBe(code);
    expect((err as Error).message).toMatch(message);
    return;
  }
  throw new Error('expected a refusal');
}

describe('openDatabase', () => {
  it('creates a database with WAL, foreign keys, busy timeout and every migration applied; reopening applies nothing', () => {
    const path = join(tempDir(), 'new.db');
    const db = openDatabase(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    const applied = db.prepare(`SELECT hash FROM __drizzle_migrations`).all() as { hash: string }[];
    expect(applied.map((a) => a.hash)).toEqual(shippedMigrations().map((m) => m.hash));
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name);
    for (const t of ['portfolios', 'positions', 'position_marks', 'missing_prices', 'portfolio_snapshots', 'batch_run_tracking', 'run_lock', 'maintenance_log', 'synthetic_truth', 'settings']) expect(tables).toContain(t);
    db.close();
    const again = openDatabase(path);
    expect((again.prepare(`SELECT count(*) AS n FROM __drizzle_migrations`).get() as { n: number }).n).toBe(shippedMigrations().length);
    again.close();
  });

  it('refuses a folder that does not exist, creating nothing', () => {
    const dir = join(tempDir(), 'nope');
    expectRefusal(() => openDatabase(join(dir, 'x.db')), 'directory_missing', /folder .* does not exist/);
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses a parent that is a file, saying so (not that the folder is missing), creating nothing', () => {
    const file = join(tempDir(), 'notes.txt');
    writeFileSync(file, 'notes\n');
    expectRefusal(() => openDatabase(join(file, 'x.db')), 'directory_missing', /notes\.txt is a file, not a folder\. Choose another --db path\./);
    expect(readFileSync(file, 'utf8')).toBe('notes\n');
  });

  it('refuses a file that is not SQLite, short or long, for writing or reading, and leaves it untouched', () => {
    for (const [name, bytes] of [
      ['notes.db', Buffer.from('these are my notes, not a database\n'.repeat(20))],
      ['short.db', Buffer.from('hello\n')],
      ['binary.db', Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 37 + 11) % 256))],
    ] as const) {
      const path = join(tempDir(), name);
      writeFileSync(path, bytes);
      for (const readonly of [false, true]) {
        expectRefusal(() => openDatabase(path, { readonly }), 'not_sqlite', /is not a SQLite database/);
        expect(readFileSync(path).equals(bytes)).toBe(true);
        for (const s of ['-wal', '-shm', '-journal']) expect(existsSync(`${path}${s}`)).toBe(false);
      }
    }
  });

  it("refuses another application's SQLite file", () => {
    const path = join(tempDir(), 'other.db');
    const other = new Database(path);
    other.exec('CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)');
    other.close();
    expectRefusal(() => openDatabase(path), 'not_batchdesk', /another application/);
    const check = new Database(path, { readonly: true });
    expect((check.prepare(`SELECT count(*) AS n FROM sqlite_master`).get() as { n: number }).n).toBe(1);
    check.close();
  });

  it('refuses a database written by a newer version', () => {
    const path = join(tempDir(), 'newer.db');
    openDatabase(path).close();
    const raw = new Database(path);
    raw.prepare(`INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('f00d', 9999999999999)`).run();
    raw.close();
    expectRefusal(() => openDatabase(path), 'newer_version', /newer version of batchdesk/);
  });

  it('refuses an edited migration history', () => {
    const path = join(tempDir(), 'edited.db');
    openDatabase(path).close();
    const raw = new Database(path);
    raw.prepare(`UPDATE __drizzle_migrations SET hash = 'edited'`).run();
    raw.close();
    expectRefusal(() => openDatabase(path), 'history_mismatch', /migration history that does not match/);
  });

  it('the CLI reports each refusal with exit code 5', async () => {
    const dir = tempDir();
    const notDb = join(dir, 'notes.db');
    writeFileSync(notDb, 'x'.repeat(500));
    const newer = join(dir, 'newer.db');
    openDatabase(newer).close();
    const raw = new Database(newer);
    raw.prepare(`INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('f00d', 9999999999999)`).run();
    raw.close();
    for (const [path, message] of [
      [join(dir, 'missing', 'x.db'), /does not exist/],
      [notDb, /not a SQLite database/],
      [newer, /newer version/],
    ] as const) {
      const r = await runCli(['seed-demo', '--db', path], { BATCHDESK_NOW: '2025-09-30T23:00:00Z' });
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });
});
