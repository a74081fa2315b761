/**
 * Shared by the CSV transfer commands (`prices import|export`, `profiles import|export`):
 * reading the input file and writing the output file, with failures as data/IO errors
 * (exit code 5, SPEC.md k.3) that name the path, and the output of an all-or-nothing import
 * (the import itself is the host's: host/maintenance/csv-import.ts).
 */
import { accessSync, constants, createReadStream, openSync, statSync, type Stats } from 'node:fs';
import { Socket } from 'node:net';
import { addAbortSignal, type Readable } from 'node:stream';
import { basename, resolve } from 'node:path';
import { dataError, EXIT, usageError } from '../core/api/errors';
import type { StaleSummary } from '../db/csv-transfer/import-staleness';
import { specialKindProblem } from '../db/csv-transfer/input-file-kind';
import { isProcessStdout } from '../db/maintenance/database-paths';
import type { CsvImportRequest } from '../host/maintenance/csv-import';
import { systemClock } from '../host/system-ports';
import { formatCsvProblem, type CsvProblem } from '../market-data/csv/csv-problem';
import { asciiJson, BANNER } from './ascii';
import type { CommandContext } from './command';

/** The input path that means standard input. */
const STDIN = '-';

/** Why `-` cannot be read when standard input is a terminal or a device, and how to give the file. */
const STDIN_NOT_A_FILE = 'standard input is a terminal or a device, not a file: pipe or redirect the CSV file in (`- < file.csv`), or give its path instead of `-`';

/**
 * The file an export writes (`--out FILE`), resolved against `cwd`. `-` is refused: it reads
 * standard input for an import, but an export's CSV (UTF-8, names as written) does not go to the
 * console, whose output is ASCII; without the check it wrote a file named `-`.
 */
export function exportFilePath(cwd: string, out: string, example: string): string {
  if (out === STDIN) throw usageError(`--out -: an export writes a file, not standard output; give the file's path, e.g. --out ${example}`);
  return resolve(cwd, out);
}

/**
 * Says what an export wrote: on standard output, unless the export was written to standard
 * output itself (`--out /dev/stdout`, or a path to the file stdout is redirected to), where the
 * line would land after the CSV's last row; then on standard error.
 */
export function reportExport(ctx: CommandContext, path: string, line: string): void {
  if (isProcessStdout(path)) ctx.io.err(line);
  else ctx.io.out(line);
}

/**
 * The file as a stream of its bytes (the CSV reader accepts a BOM) that `signal` ends (Ctrl-C
 * stops a long read, or an endless pipe), and the name that reports it: the file's own name,
 * or the path as given for a pipe (a process substitution `<(cat f.csv)` is /dev/fd/63, whose
 * own name says nothing). `-` is standard input, as for Unix tools (`cat f.csv | batchdesk prices
 * import -`), named `stdin`. A device or a socket is refused before it is read
 * (input-file-kind.ts: /dev/zero would never end). A file that cannot be read at all (missing, a
 * folder, no permission) is refused here, before the database is opened. The path is stat'ed once.
 */
export function openInputFile(cwd: string, path: string, signal: AbortSignal): { source: Readable; name: string } {
  const stdin = path === STDIN;
  const full = stdin ? '/dev/stdin' : resolve(cwd, path);
  let stats: Stats;
  try {
    stats = statSync(full);
    if (stats.isDirectory()) throw Object.assign(new Error('a directory'), { code: 'EISDIR' });
    accessSync(full, constants.R_OK);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw dataError(`cannot read ${stdin ? 'standard input' : full}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'it is a directory' : e.message}; nothing was imported`);
  }
  // `-` from a terminal or a device: the file is to be piped or redirected in.
  const special = specialKindProblem(full, stats);
  if (special) throw dataError(`${stdin ? STDIN_NOT_A_FILE : special}; nothing was imported`);
  if (!stats.isFIFO()) return { source: createReadStream(full, { signal, highWaterMark: CHUNK_BYTES }), name: stdin ? 'stdin' : basename(full) };
  return { source: addAbortSignal(signal, pipeStream(full)), name: stdin ? 'stdin' : path };
}

/**
 * A pipe read without blocking a thread: a file stream waits in a worker thread on a pipe that
 * has gone quiet (its writer alive, nothing written), and cannot stop until the read returns,
 * so Ctrl-C would hang. Opened non-blocking, the pipe is watched by the event loop as stdin is,
 * and the abort ends it at once. A named pipe whose writer has not come yet is waited for, as
 * before (the event loop sees no end until a writer has come and gone).
 */
function pipeStream(path: string): Readable {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  return new Socket({ fd, readable: true, writable: false });
}

/** Bytes read at a time: large enough to read fast, small enough that Ctrl-C is seen at once. */
const CHUNK_BYTES = 1 << 20;

/** The line naming the processed dates an import made stale, and how to recompute them; none when nothing went stale. */
export function staleLines(stale: StaleSummary, what: string, db: string): string[] {
  return stale.dates > 0 ? [`Stale: ${stale.dates} processed date(s) from ${stale.first} to ${stale.last} read ${what} this import changed; \`batchdesk run --retry-failed-phases${db}\` recomputes them`] : [];
}

/** Lines reporting the rows skipped with --skip-bad-rows (every one). */
export function skippedLines(skipped: readonly CsvProblem[]): string[] {
  return skipped.length === 0 ? [] : [`Skipped ${skipped.length} bad row(s):`, ...skipped.map((p) => `  ${formatCsvProblem(p)}`)];
}

/**
 * `<what> import FILE`: reads the file named by the first positional, imports it with the host's
 * `importFile` (host/maintenance/csv-import.ts: into the command's database, which must exist,
 * under the maintenance lock; refused whole on a bad row unless --skip-bad-rows; refused with exit
 * code 3 while a run or maintenance operation holds the lock; stopped by Ctrl-C while it reads or
 * writes, exit code 130, nothing imported), then prints the summary as JSON
 * (--json) or as the banner, `report`'s lines, the summary's warnings (a killed rebuild's lock
 * taken over closed the gate: said here, or the import would end as if nothing else happened)
 * and the skipped rows.
 */
export async function runCsvImport<S extends { readonly skipped: readonly CsvProblem[]; readonly warnings: readonly string[] }>(
  ctx: CommandContext,
  command: string,
  importFile: (request: CsvImportRequest) => Promise<S>,
  report: (summary: S) => string[],
): Promise<number> {
  const { source, name } = openInputFile(ctx.io.cwd, ctx.positionals[0]!, ctx.signal);
  const request = { dbPath: ctx.global.dbPath, source, fileName: name, skipBadRows: ctx.flags['skip-bad-rows'] === true, skipBadRowsFlag: '--skip-bad-rows', holder: 'cli', clock: systemClock(ctx.io.env), signal: ctx.signal } as const;
  const s = await importFile(request).finally(() => source.destroy());
  ctx.io.out(ctx.flags['json'] ? asciiJson({ file: name, ...s }, 2) : [BANNER, `batchdesk ${command}  ${name}`, BANNER, ...report(s), ...s.warnings.map((w) => `warning: ${w}`), ...skippedLines(s.skipped)].join('\n'));
  return EXIT.ok;
}
