/**
 * A failed `import --merge` leaves no trace in the database's content (SPEC.md j.7 "a failed
 * import changes nothing"): its pre-import backup logged a maintenance_log row, which is
 * deleted again with the backup, and the AUTOINCREMENT counter that row advanced
 * (sqlite_sequence) is put back too, so `sqlite3 DB .dump` prints the same text before and
 * after. Found by a CLI tester: the counter went from 1 to 2 on every failed merge. The
 * failures here come after the lock and the backup: a --strict orphan found by the post-step,
 * and a dump truncated in the middle of its data.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli';
import { COMMITTED } from '../support/pg-fixtures';
import { PLAIN_DUMP_TAIL } from '../support/plain-dump';

const ENV = { BATCHDESK_NOW: '2025-07-03T23:00:00Z' };
const dir = tempDir('import-failed-merge-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DUMPS: Record<string, { file: string; message: RegExp }> = {};

beforeAll(() => {
  const orphan = join(dir, 'orphan.sql');
  writeFileSync(
    orphan,
    [
      '--\n-- PostgreSQL database dump\n--\n',
      "SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n",
      'CREATE TABLE public.portfolios (id uuid NOT NULL, user_id uuid NOT NULL, name character varying(255) NOT NULL, equity_balance numeric(16,2), created_at timestamp with time zone NOT NULL);',
      'COPY public.portfolios (id, user_id, name, equity_balance, created_at) FROM stdin;',
      '33333333-3333-4333-8333-333333333333\t99999999-9999-4999-8999-999999999999\tOrphan\t5.00\t2025-01-01 00:00:00+00',
      '\\.',
      PLAIN_DUMP_TAIL,
    ].join('\n'),
  );
  DUMPS['a --strict orphan'] = { file: orphan, message: /--strict: 1 row\(s\) reference missing rows \(first: portfolios row \d+ -> users\)/ };
  const archive = readFileSync(join(COMMITTED, 'reference.dump'));
  const truncated = join(dir, 'truncated.dump');
  writeFileSync(truncated, archive.subarray(0, Math.floor(archive.length * 0.6)));
  DUMPS['a truncated dump'] = { file: truncated, message: /truncated|ends|unexpected end/i };
});

/** What `sqlite3 DB .dump` prints, in substance: the schema, then every table's rows in rowid order, sqlite_sequence included. */
function logicalDump(db: string): string {
  const d = new Database(db, { readonly: true });
  try {
    const objects = d.prepare(`SELECT type, name, sql FROM sqlite_master ORDER BY type, name`).all() as { type: string; name: string; sql: string | null }[];
    const out = objects.map((o) => `${o.type} ${o.name}: ${o.sql ?? ''}`);
    for (const o of objects.filter((x) => x.type === 'table')) {
      const rows = d.prepare(`SELECT * FROM "${o.name}" ORDER BY rowid`).raw().all();
      out.push(`${o.name}: ${JSON.stringify(rows)}`);
    }
    return out.join('\n');
  } finally {
    d.close();
  }
}

describe('a failed --merge leaves the database content as it was', () => {
  it.each(['a --strict orphan', 'a truncated dump'])('%s: exit code 5, nothing was changed, the same .dump (the maintenance_log counter too)', async (name) => {
    const sub = tempDir('import-failed-merge-db-');
    const db = join(sub, 'live.sqlite');
    const made = await runCli(['import', join(COMMITTED, 'reference.dump'), '--db', db, '--quiet'], ENV);
    expect(made.code, made.stderr).toBe(0);
    const before = logicalDump(db);
    expect(before).toContain(`sqlite_sequence: [["maintenance_log",1]]`);
    const { file, message } = DUMPS[name]!;
    const r = await runCli(['import', file, '--db', db, '--merge', '--strict'], ENV);
    expect(r.code, r.stdout).toBe(5);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/; nothing was changed$/);
    expect(logicalDump(db)).toBe(before);
    rmSync(sub, { recursive: true, force: true });
  });
});
