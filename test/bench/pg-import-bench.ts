/**
 * Benchmark of the PostgreSQL dump reader (pg-import.md 9.8): a custom-format dump with a
 * 1,000,000-row market_data_cache table (the reference system's 16 columns) is generated
 * outside the timed section — by a private PostgreSQL 15 when it is installed, else by the
 * test-only archive writer from the committed reference.dump — then read: inflate, COPY
 * decode and convert every value to its SQLite form, in 10,000-row batches, as the importer
 * does (without the SQLite insert). Reports rows per second and peak memory.
 *
 * Not a vitest test: the bench runner imports runPgImportBench and prints the figures.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { openDump } from '../../db/pg-import/open-dump';
import { parseArchive, writeArchive } from '../support/pg-archive-writer';
import { COMMITTED, HAS_POSTGRES } from '../support/pg-fixtures';
import { startPgCluster } from '../support/pg-cluster';

export interface PgImportBenchOptions {
  /** Rows of market_data_cache (default 1,000,000). */
  readonly rows?: number;
  /** Who writes the dump: PostgreSQL when installed (default), or the test writer. */
  readonly source?: 'auto' | 'postgres' | 'writer';
  readonly batchSize?: number;
}

export interface PgImportBenchFigures {
  readonly source: 'postgres' | 'writer';
  readonly rows: number;
  readonly dumpBytes: number;
  readonly generateMs: number;
  readonly readMs: number;
  readonly rowsPerSecond: number;
  /** Peak resident set size during the read, and its rise over the size before the read. */
  readonly peakRssMb: number;
  readonly rssRiseMb: number;
  readonly peakHeapMb: number;
  readonly rowsWithIssues: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Deterministic COPY text of row i, in the reference column order of reference.dump. */
function copyRow(i: number): string {
  const day = 10957 + Math.floor(i / 500); // 2000-01-01 + i/500 days
  const d = new Date(day * 86400000);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const close = (10 + ((i * 7919) % 100000) / 1000).toFixed(4);
  const hex = (i * 2654435761 >>> 0).toString(16).padStart(8, '0');
  const id = `${hex}-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const sec = i % 86400;
  const created = `${date} ${pad(Math.floor(sec / 3600))}:${pad(Math.floor(sec / 60) % 60)}:${pad(sec % 60)}.${String(i % 1000000).padStart(6, '0')}+00`;
  // id symbol date open high low close volume sector industry exchange country market_cap data_source created_at updated_at
  return `${id}\tSYM${i % 500}\t${date}\t${close}\t${close}\t${close}\t${close}\t${i * 13}\t\\N\t\\N\t\\N\t\\N\t\\N\tyahoo\t${created}\t\\N\n`;
}

async function viaWriter(rows: number, file: string): Promise<void> {
  const a = await parseArchive(readFileSync(join(COMMITTED, 'reference.dump')));
  const entry = a.entries.find((e) => e.strings.desc?.toString() === 'TABLE DATA' && e.strings.tag?.toString() === 'market_data_cache')!;
  const deflate = zlib.createDeflate({ level: 6 });
  const out: Buffer[] = [];
  deflate.on('data', (b: Buffer) => out.push(b));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  let text = '';
  for (let i = 1; i <= rows; i++) {
    text += copyRow(i);
    if (text.length > 256 * 1024) {
      deflate.write(text);
      text = '';
    }
  }
  deflate.end(`${text}\\.\n\n\n`);
  await done;
  const stream = Buffer.concat(out);
  const chunks: Buffer[] = [];
  for (let i = 0; i < stream.length; i += 4096) chunks.push(stream.subarray(i, i + 4096));
  a.blocks.set(entry.dumpId, { type: 1, chunks });
  writeFileSync(file, await writeArchive(a, { compression: 'keep', positions: true }));
}

function viaPostgres(rows: number, file: string): void {
  const pg = startPgCluster();
  try {
    pg.psql('postgres', 'CREATE DATABASE bench');
    pg.psql(
      'bench',
      `CREATE TABLE public.market_data_cache (id uuid PRIMARY KEY, symbol character varying(20) NOT NULL, date date NOT NULL,
         open numeric(12,4), high numeric(12,4), low numeric(12,4), close numeric(12,4) NOT NULL, volume bigint,
         sector character varying(100), industry character varying(100), exchange character varying(20), country character varying(50),
         market_cap numeric(20,2), data_source character varying(50) NOT NULL, created_at timestamp with time zone NOT NULL,
         updated_at timestamp with time zone);
       INSERT INTO public.market_data_cache (id, symbol, date, open, high, low, close, volume, data_source, created_at)
       SELECT md5(g::text)::uuid, 'SYM' || (g % 500), DATE '2000-01-01' + g / 500, c, c, c, c, g::bigint * 13, 'yahoo',
              TIMESTAMPTZ '2024-01-01 00:00:00+00' + g * INTERVAL '1 second 1 microsecond'
       FROM generate_series(1, ${rows}) AS g, LATERAL (SELECT round((10 + (g::bigint * 7919 % 100000) / 1000.0)::numeric, 4) AS c) x;`,
    );
    writeFileSync(file, pg.run('pg_dump', ['-Fc', 'bench']));
  } finally {
    pg.stop();
  }
}

/** Generates the dump, reads it once, and returns the figures. */
export async function runPgImportBench(options: PgImportBenchOptions = {}): Promise<PgImportBenchFigures> {
  const rows = options.rows ?? 1_000_000;
  const source = options.source === 'writer' || (options.source !== 'postgres' && !HAS_POSTGRES) ? 'writer' : 'postgres';
  const dir = mkdtempSync(join(tmpdir(), 'pg-import-bench-'));
  const file = join(dir, 'bench.dump');
  try {
    const g0 = performance.now();
    if (source === 'postgres') viaPostgres(rows, file);
    else await viaWriter(rows, file);
    const generateMs = performance.now() - g0;
    const dumpBytes = readFileSync(file).length;

    (globalThis as { gc?: () => void }).gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    let peakHeap = process.memoryUsage().heapUsed;
    const sample = () => {
      const m = process.memoryUsage();
      if (m.rss > peakRss) peakRss = m.rss;
      if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
    };
    const timer = setInterval(sample, 20);
    let n = 0;
    let issues = 0;
    const t0 = performance.now();
    const reader = await openDump(file);
    try {
      const table = reader.table('public', 'market_data_cache');
      if (!table) throw new Error('the bench dump has no market_data_cache');
      for await (const batch of reader.batches(table, { batchSize: options.batchSize ?? 10_000 })) {
        n += batch.rows.length;
        for (const r of batch.rows) if (r.issues) issues++;
        sample();
      }
    } finally {
      await reader.close();
      clearInterval(timer);
    }
    const readMs = performance.now() - t0;
    if (n !== rows) throw new Error(`read ${n} rows, expected ${rows}`);
    return {
      source,
      rows: n,
      dumpBytes,
      generateMs,
      readMs,
      rowsPerSecond: n / (readMs / 1000),
      peakRssMb: peakRss / 2 ** 20,
      rssRiseMb: (peakRss - rssBefore) / 2 ** 20,
      peakHeapMb: peakHeap / 2 ** 20,
      rowsWithIssues: issues,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
