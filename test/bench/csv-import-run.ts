/**
 * One `batchdesk prices import` in a fresh process, for the bench (csv-import-bench.ts):
 * `tsx test/bench/csv-import-run.ts <file> <db>` imports the file into the database through
 * the CLI's main, as a user's command does, and prints one JSON line: its wall time, its exit
 * code, the rows it inserted and the process's peak resident memory (nothing else ran in it).
 */
import { main } from '../../cli/main';
import { memoryIO } from '../support/memory-io';
import { BENCH_NOW } from './engine-bench';

const [file, db] = process.argv.slice(2);
if (!file || !db) {
  console.error('usage: tsx test/bench/csv-import-run.ts <file> <db>');
  process.exit(2);
}
const io = memoryIO({ BATCHDESK_NOW: BENCH_NOW });
const t0 = performance.now();
const exitCode = await main(['prices', 'import', file, '--db', db, '--json'], { io });
const ms = performance.now() - t0;
const inserted = exitCode === 0 ? (JSON.parse(io.stdout.join('\n')) as { inserted: number }).inserted : null;
// resourceUsage's maxRSS is in kilobytes: the peak of this whole process.
console.log(JSON.stringify({ exitCode, ms, inserted, peakRssMb: process.resourceUsage().maxRSS / 1024, stderr: exitCode === 0 ? '' : io.stderr.join('\n') }));
