/**
 * A table without rows is in the import report, with 0 rows, whichever form the dump has:
 * COPY writes an empty block for it, `pg_dump --inserts` writes no statement at all, so the
 * plain reader lists the tables an INSERT dump defines (CREATE TABLE) and has no INSERT for.
 * Tables that are not batchdesk's are listed as skipped alike. Fixtures: the committed
 * awkward-value dumps (plain COPY and --column-inserts, with `public.empty_table`), and with
 * PostgreSQL 15 installed the committed reference dump restored into a private cluster with
 * three tables emptied (two of batchdesk's, one it does not keep) and dumped again in each form;
 * then with every table emptied, where an --inserts dump holds only the tables' data headings
 * (`-- Data for Name: ...; Type: TABLE DATA`): a dump without rows, not a schema-only one.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../db/pg-import/import-report';
import { runCli, tempDir } from '../support/cli';
import { startPgCluster } from '../support/pg-cluster';
import { COMMITTED, HAS_POSTGRES } from '../support/pg-fixtures';

const ENV = { BATCHDESK_NOW: '2025-07-03T23:00:00Z' };
const dir = tempDir('import-empty-tables-');

async function report(dump: string, ...flags: string[]): Promise<{ report: ImportReport; text: string }> {
  const db = join(dir, `${dump.replace(/\W/g, '_')}.db`);
  const json = await runCli(['import', dump, '--db', db, '--json', ...flags], ENV);
  expect(json.code, json.stderr).toBe(0);
  const again = join(dir, `${dump.replace(/\W/g, '_')}-text.db`);
  const text = await runCli(['import', dump, '--db', again, ...flags], ENV);
  expect(text.code, text.stderr).toBe(0);
  return { report: (JSON.parse(json.stdout) as { report: ImportReport }).report, text: text.stdout };
}

/** What the report says of each table, as the forms must agree on it. */
const tableLines = (r: ImportReport) => ({
  tables: r.tables.map((t) => ({ table: t.table, sources: t.sources, read: t.rowsRead, imported: t.imported, columnsSkipped: t.columnsSkipped, columnsDefaulted: t.columnsDefaulted })),
  skipped: r.tablesSkipped,
});

describe('empty tables in the import report', () => {
  it('committed awkward-value dumps: the empty table is skipped by name in the COPY and the --column-inserts form alike', async () => {
    const copy = await report(join(COMMITTED, 'plain.sql'), '--allow-empty');
    const inserts = await report(join(COMMITTED, 'column-inserts.sql'), '--allow-empty');
    expect(copy.report.tablesSkipped).toContainEqual({ table: 'public.empty_table', reason: 'not_in_batchdesk', rows: null });
    expect(tableLines(inserts.report)).toEqual(tableLines(copy.report));
  });

  describe.skipIf(!HAS_POSTGRES)('a reference database with empty tables, dumped by pg_dump 15', () => {
    const dumps: Record<string, string> = {};
    const FORMS: Record<string, string[]> = {
      'copy.sql': ['-Fp'],
      'inserts.sql': ['-Fp', '--inserts'],
      'column-inserts.sql': ['-Fp', '--column-inserts', '--rows-per-insert=3'],
      'inserts.dump': ['-Fc', '--inserts'],
      'copy.dump': ['-Fc'],
      // Data left out on purpose is no empty table: the same report in both plain forms.
      'copy-excluded.sql': ['-Fp', '--exclude-table-data=public.equity_changes'],
      'inserts-excluded.sql': ['-Fp', '--inserts', '--exclude-table-data=public.equity_changes'],
    };

    beforeAll(() => {
      const pg = startPgCluster();
      try {
        pg.psql('postgres', 'CREATE DATABASE ref');
        // The committed dump is of selected tables: the schema and the enum type it needs come first.
        pg.psql('ref', "CREATE SCHEMA extra; CREATE TYPE public.positiontype AS ENUM ('LC', 'LP', 'SC', 'SP', 'LONG', 'SHORT')");
        pg.run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', 'ref', '-f', join(COMMITTED, 'reference-plain.sql')]);
        pg.psql('ref', 'DELETE FROM public.correlation_calculations; DELETE FROM public.equity_changes; DELETE FROM public.batch_jobs');
        for (const [name, args] of Object.entries(FORMS)) {
          dumps[name] = join(dir, name);
          pg.run('pg_dump', [...args, '-f', dumps[name], 'ref']);
        }
        // Every table emptied: an --inserts dump then holds the tables' data headings and no statement.
        pg.psql('ref', "DO $$ DECLARE t record; BEGIN FOR t IN SELECT schemaname, tablename FROM pg_tables WHERE schemaname IN ('public', 'extra') LOOP EXECUTE format('TRUNCATE %I.%I CASCADE', t.schemaname, t.tablename); END LOOP; END $$");
        for (const [name, args] of [['all-empty-inserts.sql', ['-Fp', '--inserts']], ['schema-only.sql', ['-Fp', '--schema-only']]] as const) {
          dumps[name] = join(dir, name);
          pg.run('pg_dump', [...args, '-f', dumps[name], 'ref']);
        }
      } finally {
        pg.stop();
      }
    }, 120_000);

    it('every form lists the empty tables with 0 rows, and the same tables as the COPY form', async () => {
      const copy = await report(dumps['copy.sql']!);
      for (const t of ['correlation_calculations', 'equity_changes']) {
        expect(copy.report.tables.find((x) => x.table === t)).toMatchObject({ sources: [`public.${t}`], rowsRead: 0, imported: 0 });
      }
      expect(copy.report.tablesSkipped).toContainEqual({ table: 'public.batch_jobs', reason: 'not_in_batchdesk', rows: null });
      for (const name of ['inserts.sql', 'column-inserts.sql', 'inserts.dump', 'copy.dump']) {
        const r = await report(dumps[name]!);
        expect(tableLines(r.report), name).toEqual(tableLines(copy.report));
        expect(r.text, name).toContain('  correlation_calculations: read 0, imported 0\n');
        expect(r.text, name).toContain('  equity_changes: read 0, imported 0\n');
      }
    }, 120_000);

    it('a table whose data --exclude-table-data left out is not listed as empty, in the --inserts form as in the COPY form', async () => {
      const copy = await report(dumps['copy-excluded.sql']!);
      const inserts = await report(dumps['inserts-excluded.sql']!);
      expect(copy.report.tables.find((x) => x.table === 'equity_changes')).toBeUndefined();
      expect(tableLines(inserts.report)).toEqual(tableLines(copy.report));
    }, 120_000);

    it('an --inserts dump of empty tables is one with no rows (--allow-empty imports it), not a schema-only one', async () => {
      const refused = await runCli(['import', dumps['all-empty-inserts.sql']!, '--db', join(dir, 'all-empty.db')], ENV);
      expect(refused.code).toBe(5);
      expect(refused.stderr).toContain("has batchdesk's tables in schema public but no rows in any of them; use --allow-empty to import it anyway");
      const allowed = await report(dumps['all-empty-inserts.sql']!, '--allow-empty');
      expect(allowed.report.tables.find((x) => x.table === 'equity_changes')).toMatchObject({ rowsRead: 0, imported: 0 });
      // A schema-only dump is still refused as one, whatever the flags.
      const schemaOnly = await runCli(['import', dumps['schema-only.sql']!, '--db', join(dir, 'schema-only.db'), '--allow-empty'], ENV);
      expect(schemaOnly.code).toBe(5);
      expect(schemaOnly.stderr).toContain('this dump contains no data (it was made with --schema-only)');
      // Its dry run refuses it in the same words, with or without --allow-empty (it sent the user to
      // --allow-empty, which the import then refused all the same).
      for (const flags of [[], ['--allow-empty']]) {
        const dry = await runCli(['import', dumps['schema-only.sql']!, '--db', join(dir, 'schema-only-dry.db'), '--dry-run', ...flags], ENV);
        expect(dry.code).toBe(5);
        expect(dry.stderr).toContain('this dump contains no data (it was made with --schema-only)');
      }
    }, 120_000);
  });
});
