/**
 * Benchmark of the PostgreSQL dump reader (pg-import.md 9.8): a custom-format dump with a
 * 1,000,000-row market_data_cache table (the reference system's 16 columns) is generated
 * outside the timed section — by a private PostgreSQL 15 when it is installed, else by the
 * test-only archive writer from the committed reference.dump — then read: inflate, COPY
 * decode and convert every value to its SQLite form, in 10,000-row batches, as the importer
 * does (without the SQLite insert). Reports rows per second and peak memory.
 *
 * runPgFullImportBench times the whole `batchdesk import` of the same dump into a new file.
 *
 * Not a vitest test: the bench runner imports runPgImportBench and prints the figures.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { memoryIO } from '../support/memory-io';
import { main } from '../../cli/main';
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
  /** A dump made already by generateBenchDump (with `rows` rows and this `source`): no generation. */
  readonly dumpFile?: string;
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

/** Who writes the bench dump for the given option: PostgreSQL when installed, else the test writer. */
export function benchDumpSource(option: PgImportBenchOptions['source']): 'postgres' | 'writer' {
  return option === 'writer' || (option !== 'postgres' && !HAS_POSTGRES) ? 'writer' : 'postgres';
}

/** Writes the custom-format bench dump with `rows` market_data_cache rows to `file`. */
export async function generateBenchDump(rows: number, file: string, source: 'postgres' | 'writer'): Promise<void> {
  if (source === 'postgres') viaPostgres(rows, file);
  else await viaWriter(rows, file);
}

interface BenchDump {
  readonly rows: number;
  readonly source: 'postgres' | 'writer';
  readonly dir: string;
  readonly file: string;
  readonly generateMs: number;
  readonly dumpBytes: number;
}

/**
 * Runs `body` with the bench dump (made now unless options.dumpFile gives one) and a scratch
 * folder, removed afterwards. The heap is collected first when --expose-gc allows it.
 */
async function withBenchDump<T>(options: PgImportBenchOptions, prefix: string, body: (d: BenchDump) => Promise<T>): Promise<T> {
  const rows = options.rows ?? 1_000_000;
  const source = benchDumpSource(options.source);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = options.dumpFile ?? join(dir, 'bench.dump');
  try {
    const g0 = performance.now();
    if (!options.dumpFile) await generateBenchDump(rows, file, source);
    const generateMs = performance.now() - g0;
    (globalThis as { gc?: () => void }).gc?.();
    return await body({ rows, source, dir, file, generateMs, dumpBytes: statSync(file).size });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Generates the dump, reads it once, and returns the figures. */
export async function runPgImportBench(options: PgImportBenchOptions = {}): Promise<PgImportBenchFigures> {
  return withBenchDump(options, 'pg-import-bench-', async ({ rows, source, file, generateMs, dumpBytes }) => {
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
  });
}

export interface PgFullImportFigures {
  readonly source: 'postgres' | 'writer';
  readonly rows: number;
  readonly dumpBytes: number;
  readonly generateMs: number;
  /** `batchdesk import <dump> --db <new file>` end to end, in process. */
  readonly importMs: number;
  readonly rowsPerSecond: number;
  /** Phase timings of the import report (open, load, indexes, post-steps, integrity check). */
  readonly timings: Record<string, number>;
  readonly peakRssMb: number;
  readonly rssRiseMb: number;
  /** CPU seconds per thread (Linux): the importing thread and the dump reader thread. */
  readonly threadCpuSeconds: Record<string, number>;
  readonly exitCode: number;
  readonly imported: number;
}

/** CPU seconds of each thread of this process, from /proc (empty where there is no /proc). */
function threadCpu(): Map<string, { name: string; seconds: number }> {
  const out = new Map<string, { name: string; seconds: number }>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), seconds: (Number(f[11]) + Number(f[12])) / 100 });
    }
  } catch {
    // not Linux
  }
  return out;
}

/**
 * Generates the 1,000,000-row dump (outside the timed section), then imports it end to end
 * through the CLI command into a new database file and reports the figures. The target is
 * <= 10 s (>= 100k rows/s) with bounded memory.
 */
export async function runPgFullImportBench(options: PgImportBenchOptions = {}): Promise<PgFullImportFigures> {
  return withBenchDump(options, 'pg-full-import-bench-', async ({ rows, source, dir, file, generateMs, dumpBytes }) => {
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const cpuBefore = threadCpu();
    const cpuPeak = threadCpu();
    const timer = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      // threads that end before the import does are kept at their last reading
      for (const [tid, v] of threadCpu()) cpuPeak.set(tid, v);
    }, 50);
    const io = memoryIO({ BATCHDESK_NOW: '2025-07-03T23:00:00Z' }, dir);
    const t0 = performance.now();
    let exitCode: number;
    try {
      exitCode = await main(['import', file, '--db', join(dir, 'bench.sqlite'), '--json'], { io });
    } finally {
      clearInterval(timer);
    }
    const importMs = performance.now() - t0;
    for (const [tid, v] of threadCpu()) cpuPeak.set(tid, v);
    const threadCpuSeconds: Record<string, number> = {};
    for (const [tid, v] of cpuPeak) {
      const used = v.seconds - (cpuBefore.get(tid)?.seconds ?? 0);
      if (used >= 0.2) threadCpuSeconds[`${tid === String(process.pid) ? 'main' : v.name} ${tid}`] = Math.round(used * 10) / 10;
    }
    if (exitCode !== 0) throw new Error(`import failed (${exitCode}): ${io.stderr.join('\n')}`);
    const report = JSON.parse(io.stdout.join('\n')).report as { tables: { table: string; imported: number }[]; timings: Record<string, number> };
    const imported = report.tables.find((t) => t.table === 'market_data_cache')?.imported ?? 0;
    if (imported !== rows) throw new Error(`imported ${imported} rows, expected ${rows}`);
    return {
      source,
      rows,
      dumpBytes,
      generateMs,
      importMs,
      rowsPerSecond: rows / (importMs / 1000),
      timings: report.timings,
      peakRssMb: peakRss / 2 ** 20,
      rssRiseMb: (peakRss - rssBefore) / 2 ** 20,
      threadCpuSeconds,
      exitCode,
      imported,
    };
  });
}

/** `npm run bench`'s import lines: one dump, the reader alone, then `batchdesk import` end to end. */
export async function printPgImportBench(log: (line: string) => void = console.log): Promise<void> {
  const rows = 1_000_000;
  const source = benchDumpSource('auto');
  const dir = mkdtempSync(join(tmpdir(), 'bench-pg-dump-'));
  try {
    const dumpFile = join(dir, 'bench.dump');
    const g0 = performance.now();
    await generateBenchDump(rows, dumpFile, source);
    log(`pg import: ${rows.toLocaleString('en-US')}-row market_data_cache custom dump (${(statSync(dumpFile).size / 2 ** 20).toFixed(0)} MB) written by ${source === 'postgres' ? 'PostgreSQL 15' : 'the test archive writer'} in ${((performance.now() - g0) / 1000).toFixed(1)} s (not timed)`);
    const r = await runPgImportBench({ rows, source, dumpFile });
    log(`  reader only (inflate, COPY decode, convert): ${(r.readMs / 1000).toFixed(2)} s, ${Math.round(r.rowsPerSecond).toLocaleString('en-US')} rows/s, peak RSS ${r.peakRssMb.toFixed(0)} MB`);
    const f = await runPgFullImportBench({ rows, source, dumpFile });
    const phases = Object.entries(f.timings).map(([k, ms]) => `${k.replace(/Ms$/, '')} ${(ms / 1000).toFixed(2)}`).join(', ');
    const cpu = Object.entries(f.threadCpuSeconds).map(([k, v]) => `${k.split(' ')[0]} ${v.toFixed(1)}`).join(', ');
    log(`  batchdesk import into a new file: ${(f.importMs / 1000).toFixed(2)} s, ${Math.round(f.rowsPerSecond).toLocaleString('en-US')} rows/s, peak RSS ${f.peakRssMb.toFixed(0)} MB (+${f.rssRiseMb.toFixed(0)})   [target <= 10 s, >= 100k rows/s]`);
    log(`    phases (s): ${phases}`);
    if (cpu) log(`    CPU seconds per thread: ${cpu}; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
