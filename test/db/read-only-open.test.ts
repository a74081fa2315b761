/**
 * A read-only connection to a database this process may write stays SQLite's own shared-memory
 * reader (db/open-database.ts openReadOnlyConnection): it sees each commit of a writer, as the
 * views see a running batch's (SPEC.md b.1, g.7). Only a file nobody may write is read from an
 * image in memory (test/cli/read-only-readers.test.ts).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, openDatabaseToRead } from '../../db/open-database';
import { tempDir } from '../support/cli';

describe('opening a writable database to read', () => {
  it('reads it in place and sees the commits a writer makes afterwards', () => {
    const path = join(tempDir(), 'portfolios.sqlite');
    const writer = openDatabase(path);
    const reader = openDatabase(path, { readonly: true });
    const toRead = openDatabaseToRead(path);
    try {
      expect([reader.memory, toRead.memory]).toEqual([false, false]);
      const count = (db: typeof reader) => (db.prepare(`SELECT count(*) AS n FROM settings`).get() as { n: number }).n;
      const before = count(reader);
      writer.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('read_only_probe', '1', '2025-07-10T23:00:00.000000Z')`).run();
      expect([count(reader), count(toRead)]).toEqual([before + 1, before + 1]);
    } finally {
      toRead.close();
      reader.close();
      writer.close();
    }
  });
});
