/**
 * openDump over the committed real dumps (PostgreSQL 15.18; test/fixtures/pg/README.md):
 * every format lists the same tables and decodes rows equal, as a multiset, to PostgreSQL's
 * own `::text` output (the committed oracle). No PostgreSQL needed.
 */
/// <reference path="../../../db/pg-import/lz4js.d.ts" />
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import lz4js from 'lz4js';
import { afterAll, describe, expect, it } from 'vitest';
import { DumpError } from '../../../db/pg-import/dump-error';
import { openDump } from '../../../db/pg-import/open-dump';
import { COMMITTED, readOracle, sortRows } from '../../support/pg-fixtures';
import { oracleShapedRows, tableKey, textRows } from '../../support/dump-rows';

const tmp = mkdtempSync(join(tmpdir(), 'pg-import-open-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const AWKWARD = [
  'extra.Mixed Case "Quoted" Table',
  'extra.positions',
  'public.awkward_misc',
  'public.awkward_numbers',
  'public.awkward_text',
  'public.awkward_times',
  'public.empty_table',
  'public.gen_demo',
  'public.measurements_2024',
  'public.measurements_2025',
];

async function expectMatchesOracle(path: string, expectedTables: string[], options = {}): Promise<void> {
  const r = await openDump(path, options);
  try {
    expect(r.tables().map(tableKey).sort()).toEqual([...expectedTables].sort());
    for (const t of r.tables()) {
      const rows = await oracleShapedRows(r, t);
      expect(sortRows(rows), tableKey(t)).toEqual(sortRows(readOracle(COMMITTED, 'fixture', t.schema, t.name)));
    }
  } finally {
    await r.close();
  }
}

describe('openDump on committed real dumps', () => {
  const formats: [string, string, string | null, string][] = [
    ['custom.dump', 'custom', '1.14-0', 'gzip'],
    ['custom-z0.dump', 'custom', '1.14-0', 'none'],
    ['custom-piped.dump', 'custom', '1.14-0', 'gzip'],
    ['custom-inserts.dump', 'custom', '1.14-0', 'gzip'],
    ['archive.tar', 'tar', '1.14-0', 'none'],
    ['directory', 'directory', '1.14-0', 'gzip'],
    ['plain.sql', 'plain', null, 'none'],
  ];
  it.each(formats)('%s: facts, tables and rows equal PostgreSQL text output', async (file, format, version, compression) => {
    const r = await openDump(join(COMMITTED, file));
    expect(r.format).toBe(format);
    expect(r.facts).toMatchObject({ archiveVersion: version, compression, encoding: 'UTF8', standardConformingStrings: true, hasData: true, hasSchema: true });
    expect(r.facts.serverVersion).toMatch(/^15\.\d+/);
    expect(r.facts.pgDumpVersion).toMatch(/^15\.\d+/);
    if (format !== 'plain') expect(r.facts.databaseName).toBe('fixture');
    await r.close();
    await expectMatchesOracle(join(COMMITTED, file), AWKWARD);
  });

  it('plain --column-inserts --rows-per-insert=3 (a defined table without INSERTs is listed with no rows, as COPY lists it)', async () => {
    await expectMatchesOracle(join(COMMITTED, 'column-inserts.sql'), AWKWARD);
  });

  it('partitions map to their root table; --load-via-partition-root names the root in the COPY', async () => {
    for (const file of ['custom.dump', 'load-via-root.dump', 'plain.sql']) {
      const r = await openDump(join(COMMITTED, file));
      const parts = r.tables().filter((t) => t.name.startsWith('measurements_'));
      expect(parts.map((t) => `${t.name}->${t.target.schema}.${t.target.name}`).sort(), file).toEqual([
        'measurements_2024->public.measurements',
        'measurements_2025->public.measurements',
      ]);
      expect(parts[0]!.columns.map((c) => `${c.name}:${c.type?.base}`)).toEqual(['city_id:integer', 'logdate:date', 'peak:numeric']);
      await r.close();
    }
  });

  it('quoted identifiers, a second schema and a column named "select"', async () => {
    const r = await openDump(join(COMMITTED, 'custom.dump'));
    const t = r.table('extra', 'Mixed Case "Quoted" Table')!;
    expect(t.columns.map((c) => c.name)).toEqual(['id', 'select', 'Weird Col', 'plain_col']);
    expect(r.table('extra', 'positions')!.target).toEqual({ schema: 'extra', name: 'positions' });
    await r.close();
  });

  it('converts values: lossy numerics, NaN, dates out of range, char(n) trimmed, enums, generated columns', async () => {
    const r = await openDump(join(COMMITTED, 'custom-inserts.dump'));
    const rowsOf = async (name: string) => {
      const out = [];
      for await (const row of r.rows(r.table('public', name)!)) out.push(row);
      return out;
    };
    const nums = await rowsOf('awkward_numbers');
    const twenty = nums.find((x) => x.values[1] === 'twenty digits')!;
    expect(twenty.issues!.filter((i) => i.code === 'lossy_numeric').map((i) => i.column)).toEqual(['n', 'big', 'free']);
    expect(twenty.values[8]).toBe(2147483647);
    const beyond = nums.find((x) => x.values[1] === 'beyond 2^53')!;
    expect(beyond.hasErrors).toBe(true);
    expect(beyond.issues!.find((i) => i.code === 'integer_out_of_range')!.column).toBe('i8');
    const nan = nums.find((x) => x.values[1] === 'nan')!;
    expect(nan.values.slice(2, 7)).toEqual([null, null, null, null, null]);
    expect(nan.values[10]).toBeNull();
    const text = await rowsOf('awkward_text');
    expect(text.find((x) => x.values[0] === 1)!.values).toEqual([1, 'single quote', "it's", "a'b", 'ab']);
    expect(text.find((x) => x.values[0] === 4)!.values[2]).toBe('line1\r\nline2');
    const misc = await rowsOf('awkward_misc');
    expect(misc.find((x) => x.values[0] === 2)!.values[10]).toBe("it's odd");
    expect(misc.find((x) => x.values[0] === 1)!.values[9]).toEqual(Buffer.from([0, 255, 16]));
    const gen = await rowsOf('gen_demo');
    expect(r.table('public', 'gen_demo')!.columns.map((c) => `${c.name}${c.generated ? '*' : ''}`)).toEqual(['id', 'a', 'doubled*', 'note']);
    expect(gen.map((g) => g.values)).toContainEqual([1, 1.25, null, 'default note']);
    await r.close();
  });

  it('timestamptz dumped in Asia/Kolkata converts to the same UTC instants', async () => {
    const r = await openDump(join(COMMITTED, 'kolkata.dump'));
    const t = r.table('public', 'awkward_times')!;
    const raw = await textRows(r, t);
    expect(raw.find((x) => x[0] === '1')![4]).toBe('2024-01-02 08:34:05.123456+05:30');
    const utc = new Map<number, unknown>();
    for await (const row of r.rows(t)) utc.set(row.values[0] as number, row.values[4]);
    expect(utc.get(1)).toBe('2024-01-02T03:04:05.123456Z');
    expect(utc.get(10)).toBe('2025-01-01T04:30:00.000000Z');
    expect(utc.get(12)).toBe('1890-01-01T00:00:00.000000Z'); // LMT offset +05:53:28 in 1890
    await r.close();
  });

  it('data-only dumps: no definitions, types from a schema hint', async () => {
    const bare = await openDump(join(COMMITTED, 'data-only.dump'));
    expect(bare.facts.hasSchema).toBe(false);
    const t = bare.table('public', 'awkward_numbers')!;
    expect(t.hasDefinition).toBe(false);
    expect(t.columns.every((c) => c.type === null)).toBe(true);
    await bare.close();
    const hinted = await openDump(join(COMMITTED, 'data-only.dump'), {
      schemaHint: (schema, name) => (schema === 'public' && name === 'awkward_numbers' ? [{ name: 'n', type: 'numeric(20,8)' }, { name: 'b', type: 'boolean' }] : null),
    });
    const h = hinted.table('public', 'awkward_numbers')!;
    const first = (await (async () => {
      for await (const row of hinted.rows(h)) if (row.values[0] === '2') return row;
      return null;
    })())!;
    expect(first.values[2]).toBe(-5);
    expect(first.values[10]).toBe(0);
    await hinted.close();
    // Without definitions the text is the same as in the full dump (which matches the oracle).
    const data = await openDump(join(COMMITTED, 'data-only.dump'));
    const full = await openDump(join(COMMITTED, 'custom.dump'));
    expect(data.tables().map(tableKey).sort()).toEqual([...AWKWARD].sort());
    for (const tb of data.tables()) {
      expect(await textRows(data, tb), tableKey(tb)).toEqual(await textRows(full, full.table(tb.schema, tb.name)!));
    }
    await data.close();
    await full.close();
  });

  it('LATIN1 and SQL_ASCII databases', async () => {
    const l = await openDump(join(COMMITTED, 'latin1.dump'));
    expect(l.facts.encoding).toBe('LATIN1');
    const lt = await textRows(l, l.table('public', 'accents')!);
    expect(lt).toContainEqual(['1', 'café', 'Zürich']);
    expect(lt).toContainEqual(['3', '½ ¼ ¾ ± ×', null]);
    await l.close();
    const s = await openDump(join(COMMITTED, 'sqlascii.dump'));
    expect(s.facts.encoding).toBe('SQL_ASCII');
    expect(s.facts.warnings.join(' ')).toMatch(/SQL_ASCII/);
    expect(await textRows(s, s.table('public', 'raw_bytes')!)).toEqual([
      ['1', 'plain ascii'],
      ['2', 'caf\ufffd'],
      ['3', 'café'],
    ]);
    await s.close();
  });

  it('wrapped files: gzip, LZ4 and zstd around archives and plain SQL are sniffed again', async () => {
    const custom = readFileSync(join(COMMITTED, 'custom.dump'));
    const plain = readFileSync(join(COMMITTED, 'plain.sql'));
    const tar = readFileSync(join(COMMITTED, 'archive.tar'));
    const cases: [string, Buffer, string, string][] = [
      ['custom.dump.gz', zlib.gzipSync(custom), 'custom', 'gzip'],
      ['plain.sql.gz', zlib.gzipSync(plain), 'plain', 'gzip'],
      ['archive.tar.gz', zlib.gzipSync(tar), 'tar', 'gzip'],
      ['plain.sql.lz4', Buffer.from(lz4js.compress(plain)), 'plain', 'lz4'],
    ];
    try {
      cases.push(['custom.dump.zst', execFileSync('zstd', ['-q', '-c'], { input: custom }), 'custom', 'zstd']);
      cases.push(['plain.sql.lz4cli', execFileSync('lz4', ['-q', '-c'], { input: plain }), 'plain', 'lz4']);
    } catch {
      // the zstd / lz4 programs are optional here; CI installs them
    }
    for (const [name, bytes, format, wrapper] of cases) {
      const p = join(tmp, name);
      writeFileSync(p, bytes);
      const r = await openDump(p, { tempDir: tmp });
      expect(r.facts.format, name).toBe(format);
      expect(r.facts.wrapper, name).toBe(wrapper);
      await r.close();
      await expectMatchesOracle(p, AWKWARD, { tempDir: tmp });
    }
  });

  it('plain SQL with CR LF line endings, \\restrict lines and a hand-made cluster dump', async () => {
    const plain = readFileSync(join(COMMITTED, 'plain.sql'), 'utf8');
    expect(plain).toMatch(/^\\restrict /m);
    const crlf = join(tmp, 'crlf.sql');
    writeFileSync(crlf, plain.replace(/\n/g, '\r\n'));
    await expectMatchesOracle(crlf, AWKWARD);
    const cluster = join(tmp, 'cluster.sql');
    writeFileSync(
      cluster,
      `--\n-- PostgreSQL database cluster dump\n--\n\nCREATE ROLE postgres;\n\n\\connect template1\n\nSET client_encoding = 'UTF8';\n\n\\connect -reuse-previous=on "dbname='fixture'"\n\n${plain}\n\\connect postgres\n\nSELECT 1;\n\n--\n-- PostgreSQL database cluster dump complete\n--\n`,
    );
    const e = await openDump(cluster).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DumpError);
    expect((e as DumpError).code).toBe('cluster_dump_needs_database');
    expect((e as DumpError).message).toContain('template1, fixture, postgres');
    expect(((await openDump(cluster, { database: 'nope' }).catch((x: unknown) => x)) as DumpError).code).toBe('database_not_in_cluster');
    const r = await openDump(cluster, { database: 'fixture' });
    expect(r.facts.clusterDatabases).toEqual(['template1', 'fixture', 'postgres']);
    await r.close();
    await expectMatchesOracle(cluster, AWKWARD, { database: 'fixture' });
  });

  it('reports progress as dump bytes consumed, growing to the data size', async () => {
    const r = await openDump(join(COMMITTED, 'custom-z0.dump'));
    const t = r.table('public', 'awkward_text')!;
    const seen: number[] = [];
    for await (const b of r.batches(t, { batchSize: 3 })) seen.push(b.bytesConsumed);
    expect(seen.length).toBeGreaterThan(3);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(seen[seen.length - 1]).toBeGreaterThan(1000);
    expect(seen[seen.length - 1]).toBeLessThanOrEqual(t.dataBytes!);
    await r.close();
  });

  it('refuses what is not a dump, with typed errors', async () => {
    const junk = join(tmp, 'junk.bin');
    writeFileSync(junk, Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(((await openDump(junk).catch((x: unknown) => x)) as DumpError).code).toBe('not_a_dump');
    expect(((await openDump(join(tmp, 'missing.dump')).catch((x: unknown) => x)) as DumpError).code).toBe('not_found');
    expect(((await openDump(tmp).catch((x: unknown) => x)) as DumpError).code).toBe('not_a_dump');
  });
});
