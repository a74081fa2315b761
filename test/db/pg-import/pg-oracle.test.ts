/**
 * Every dump of pg-import.md 9.3, made on the spot by a real PostgreSQL 15 from seed.sql,
 * against PostgreSQL's own output (pg-import.md 9.5):
 * - values: each table's decoded rows equal `SELECT json_build_array(col::text, …)` as a multiset;
 * - bytes: an archive's decompressed table data equals the COPY block of the plain dump and
 *   what `pg_restore -f - -a -t table` prints;
 * - converters: timestamps against to_char in UTC; the 200,000-row table end to end.
 * Skips only when /usr/lib/postgresql/15/bin is absent (CI installs PostgreSQL 15).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDump } from '../../../db/pg-import/open-dump';
import type { DumpReader } from '../../../db/pg-import/dump-reader';
import type { DumpTable } from '../../../db/pg-import/dump-model';
import { fullFixtures, HAS_POSTGRES, PG_BIN, readJsonl, readOracle, sortRows } from '../../support/pg-fixtures';
import { oracleShapedRows, tableKey, textRows } from '../../support/dump-rows';

let dir = '';
beforeAll(() => {
  if (HAS_POSTGRES) dir = fullFixtures();
}, 180_000);

async function rawText(r: DumpReader, t: DumpTable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const p of r.rawData(t)) parts.push(Buffer.from(p));
  return Buffer.concat(parts).toString('latin1');
}

async function expectOracle(file: string, oracleDb: string, options: { database?: string } = {}): Promise<string[]> {
  const r = await openDump(join(dir, file), options);
  try {
    expect(r.tables().length, file).toBeGreaterThan(10);
    for (const t of r.tables()) {
      const rows = await oracleShapedRows(r, t);
      expect(sortRows(rows), `${file} ${tableKey(t)}`).toEqual(sortRows(readOracle(dir, oracleDb, t.schema, t.name)));
    }
    return r.tables().map(tableKey);
  } finally {
    await r.close();
  }
}

describe.skipIf(!HAS_POSTGRES)('dumps made by PostgreSQL 15 against its own text output', () => {
  const files = [
    'plain.sql',
    'inserts.sql',
    'column-inserts.sql',
    'plain.sql.gz',
    'custom.dump',
    'custom-z0.dump',
    'custom-z9.dump',
    'custom-piped.dump',
    'custom-inserts.dump',
    'load-via-root.dump',
    'quote-all.dump',
    'directory',
    'directory-z0',
    'archive.tar',
  ];
  it.each(files)('%s', async (file) => {
    const tables = await expectOracle(file, 'fixture');
    expect(tables).toContain('public.bulk_rows');
    expect(tables).toContain('public.measurements_2024');
    expect(tables).toContain('public.empty_table');
  });

  it('PGTZ=Asia/Kolkata and bytea_output=escape dumps match oracles made with the same settings', async () => {
    await expectOracle('kolkata.dump', 'kolkata');
    await expectOracle('kolkata.sql', 'kolkata');
    await expectOracle('bytea-escape.dump', 'bytea-escape');
    const r = await openDump(join(dir, 'bytea-escape.dump'));
    const misc = r.table('public', 'awkward_misc')!;
    const rows = await textRows(r, misc);
    expect(rows.find((x) => x[0] === '1')![9]).toBe('\\000\\377\\020');
    const converted = new Map<unknown, unknown>();
    for await (const row of r.rows(misc)) converted.set(row.values[0], row.values[9]);
    expect(converted.get(1)).toEqual(Buffer.from([0, 255, 16]));
    await r.close();
  });

  it('converted timestamps of the Kolkata dump equal to_char in UTC', async () => {
    const r = await openDump(join(dir, 'kolkata.dump'));
    const oracle = new Map(readJsonl<(string | number | null)[]>(join(dir, 'oracle', 'times-utc.jsonl')).map((o) => [o[0], o]));
    for await (const row of r.rows(r.table('public', 'awkward_times')!)) {
      const o = oracle.get(row.values[0] as number)!;
      expect([row.values[4], row.values[5], row.values[3], row.values[2]]).toEqual([o[1], o[2], o[3], o[4]]);
    }
    await r.close();
  });

  it('LATIN1, WIN1252 and a pg_dumpall cluster dump', async () => {
    for (const [file, db] of [['latin1.dump', 'latin1db'], ['latin1.sql', 'latin1db'], ['win1252.dump', 'win1252db']] as const) {
      const r = await openDump(join(dir, file));
      for (const t of r.tables()) expect(sortRows(await oracleShapedRows(r, t)), file).toEqual(sortRows(readOracle(dir, db, t.schema, t.name)));
      expect(r.facts.encoding).toBe(db === 'latin1db' ? 'LATIN1' : 'WIN1252');
      await r.close();
    }
    const cluster = await openDump(join(dir, 'cluster.sql')).catch((e: unknown) => e as Error);
    expect((cluster as Error).message).toMatch(/template1.*fixture.*postgres/);
    await expectOracle('cluster.sql', 'fixture', { database: 'fixture' });
  });

  it('data-only and schema-only dumps', async () => {
    const data = await openDump(join(dir, 'data-only.dump'));
    const full = await openDump(join(dir, 'custom.dump'));
    expect(data.facts.hasSchema).toBe(false);
    expect(data.tables().map(tableKey).sort()).toEqual(full.tables().map(tableKey).sort());
    for (const t of data.tables()) expect(await textRows(data, t)).toEqual(await textRows(full, full.table(t.schema, t.name)!));
    await data.close();
    await full.close();
    const schema = await openDump(join(dir, 'schema-only.dump'));
    expect(schema.facts).toMatchObject({ hasData: false, hasSchema: true });
    expect(schema.tables()).toEqual([]);
    await schema.close();
  });

  it('bytes: decompressed archive data equals the plain dump COPY block and pg_restore output', async () => {
    const plain = readFileSync(join(dir, 'plain.sql'), 'latin1');
    for (const file of ['custom.dump', 'custom-piped.dump', 'directory', 'archive.tar']) {
      const r = await openDump(join(dir, file));
      for (const t of r.tables()) {
        const data = await rawText(r, t);
        const start = plain.indexOf('\n', plain.indexOf(t.name === 'Mixed Case "Quoted" Table' ? 'COPY extra."Mixed Case ""Quoted"" Table"' : `COPY ${t.schema}.${t.name} (`)) + 1;
        const end = plain.indexOf('\n\\.\n', start - 1) + 4;
        const block = plain.slice(start, end).replace(/^\\\.\n$/, '\\.\n');
        expect(data.startsWith(block === '\\.\n' ? '\\.\n' : block), `${file} ${tableKey(t)}`).toBe(true);
        expect(/^\n*$/.test(data.slice(block.length))).toBe(true);
      }
      await r.close();
    }
    const r = await openDump(join(dir, 'custom.dump'));
    for (const name of ['awkward_text', 'awkward_misc', 'bulk_rows']) {
      const printed = execFileSync(join(PG_BIN, 'pg_restore'), ['-f', '-', '-a', '-t', name, join(dir, 'custom.dump')], { maxBuffer: 1 << 28 }).toString('latin1');
      const copy = printed.slice(printed.indexOf('\n', printed.indexOf('COPY public.')) + 1);
      const data = await rawText(r, r.table('public', name)!);
      expect(copy.startsWith(data.replace(/\n+$/, '\n'))).toBe(true);
    }
    await r.close();
  });

  it('the 200,000-row table: every row equals PostgreSQL, converted values are SQLite-ready', async () => {
    const r = await openDump(join(dir, 'big.dump'));
    const t = r.table('public', 'market_data_cache')!;
    expect(t.dataBytes).toBeGreaterThan(1_000_000);
    const rows = await oracleShapedRows(r, t);
    expect(rows).toHaveLength(200_000);
    expect(sortRows(rows)).toEqual(sortRows(readOracle(dir, 'bigdb', 'public', 'market_data_cache')));
    let n = 0;
    let lastProgress = 0;
    for await (const b of r.batches(t, { batchSize: 20_000 })) {
      expect(b.bytesConsumed).toBeGreaterThanOrEqual(lastProgress);
      lastProgress = b.bytesConsumed;
      for (const row of b.rows) {
        n++;
        if (row.issues) throw new Error(`unexpected issue ${JSON.stringify(row.issues)}`);
        if (n === 1) {
          expect(typeof row.values[3]).toBe('number');
          expect(row.values[6]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
        }
      }
    }
    expect(n).toBe(200_000);
    // The block is followed only by the next entry's data, so progress ends at its size.
    expect(lastProgress).toBeGreaterThan(0.99 * t.dataBytes!);
    expect(lastProgress).toBeLessThanOrEqual(t.dataBytes!);
    await r.close();
  }, 120_000);
});
