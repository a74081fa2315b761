/**
 * Benchmark of `batchdesk prices import` (SPEC.md k.2): a canonical 1,000,000-row price file
 * (400 symbols x 2,500 trading days, generated outside the timed section) is read alone (the
 * stream, the CSV reader and every row's checks, no database), in this process, sampling its
 * resident memory; then imported end to end into a copy of the seeded demo database by the CLI in
 * a fresh process (csv-import-run.ts), whose peak memory is the import's alone. The reader
 * keeps only the good rows, so its memory is the rows', not the file's.
 *
 * Not a vitest test: the bench runner imports printCsvImportBench and prints the figures.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tradingDaysBetween } from '../../core/calendar';
import type { IsoDate } from '../../core/domain/iso-date';
import { parsePricesImport } from '../../db/csv-transfer/price-transfer';
import { BENCH_NOW } from './engine-bench';

const SYMBOLS = 400;
const DAYS = 2_500;

/** The file's text: `SYMBOLS` made-up symbols, each with a close and a volume on each of the last `DAYS` trading days up to 2025-06-27. */
function priceFile(): string {
  const days = tradingDaysBetween('2015-01-01' as IsoDate, '2025-06-27' as IsoDate).slice(-DAYS);
  const lines = ['symbol,date,close,volume'];
  for (let s = 0; s < SYMBOLS; s++) {
    const symbol = `ZB${s.toString(36).toUpperCase().padStart(3, '0')}`;
    for (let d = 0; d < days.length; d++) lines.push(`${symbol},${days[d]},${(50 + ((s * 31 + d * 7) % 1000) / 10).toFixed(2)},${1000 + d}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Runs `work` while sampling this process's RSS every 50 ms: its wall time and the peak. */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; peakRssMb: number; riseMb: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, ms: performance.now() - t0, peakRssMb: peak / 2 ** 20, riseMb: (peak - before) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

/** `npm run bench`'s CSV import lines. `seeded` is the seeded demo database file (copied, never changed). */
export async function printCsvImportBench(seeded: string, log: (line: string) => void = console.log): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-csv-import-'));
  try {
    const file = join(dir, 'prices.csv');
    writeFileSync(file, priceFile());
    const rows = SYMBOLS * DAYS;
    log(`prices import: ${rows.toLocaleString('en-US')}-row CSV (${SYMBOLS} symbols x ${DAYS} trading days, ${(statSync(file).size / 2 ** 20).toFixed(0)} MB)`);
    global.gc?.();
    const read = await measured(() => parsePricesImport(createReadStream(file), { file: 'prices.csv', skipBadRows: false, today: BENCH_NOW.slice(0, 10) as IsoDate }));
    if (!read.result.ok || read.result.rows.length !== rows) throw new Error(`the reader kept ${read.result.ok ? read.result.rows.length : 0} rows, expected ${rows}`);
    log(`  reader only (stream, CSV, row checks): ${(read.ms / 1000).toFixed(2)} s, ${Math.round(rows / (read.ms / 1000)).toLocaleString('en-US')} rows/s, peak RSS ${read.peakRssMb.toFixed(0)} MB (+${read.riseMb.toFixed(0)})`);
    global.gc?.();
    const db = join(dir, 'bench.sqlite');
    copyFileSync(seeded, db);
    const script = fileURLToPath(new URL('./csv-import-run.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--import', 'tsx', script, file, db], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const full = JSON.parse(out.trim().split('\n').pop()!) as { exitCode: number; ms: number; inserted: number | null; peakRssMb: number; stderr: string };
    if (full.exitCode !== 0) throw new Error(`prices import failed (${full.exitCode}): ${full.stderr}`);
    if (full.inserted !== rows) throw new Error(`prices import added ${full.inserted} rows, expected ${rows}`);
    log(`  batchdesk prices import into the demo database (a fresh process): ${(full.ms / 1000).toFixed(2)} s, ${Math.round(rows / (full.ms / 1000)).toLocaleString('en-US')} rows/s, peak RSS ${full.peakRssMb.toFixed(0)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
