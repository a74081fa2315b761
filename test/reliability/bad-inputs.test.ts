/**
 * The catalogue of bad inputs (issue 9; SPEC.md k.3, m.16, m.19, m.22). Bad input gives an
 * error with the exit code of k.3 and a message that names the problem, and leaves the
 * database exactly as it was (every row of every table, timestamps included). Edge input is
 * not an error: the run completes and records coded reasons (see edge-inputs.test.ts); the
 * one edge case that belongs to a surface here, a CSV with a byte-order mark and CRLF line
 * ends, is at the end of this file.
 *
 * Every case runs on a fresh copy of a backfilled demo database (8 trading days), so a case
 * that wrongly writes cannot hide behind another. A case states: the surface, what is given,
 * the expected exit code, a fragment of the message, and (optionally) files other than the
 * database that must keep their bytes. HTTP cases go to one real `batchdesk serve` process on
 * its own copy, which each case must also leave unchanged.
 */
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, REPO_ROOT, tempDir } from '../support/cli';
import { tableContents } from '../support/db-content';
import { backfilledDemo, FAMILY_GROWTH, SAFE_NOW } from '../support/safeguards';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { bearer, cli, contract, holdWriteLock, http, liveProcess, sha256, sqlOn, stopChild, writeLiveLock, type Outcome } from './bad-input-harness';

const ENV = { BATCHDESK_NOW: SAFE_NOW };
const PG = join(REPO_ROOT, 'test/fixtures/pg/committed');

interface CaseEnv {
  /** A fresh copy of the backfilled demo (for HTTP cases: the serve process's database). */
  readonly db: string;
  /** An empty folder for the case's files. */
  readonly dir: string;
  readonly serve: ServeProcess;
}

interface BadInput {
  readonly surface: 'cli' | 'contract' | 'http' | 'csv' | 'dump' | 'database file';
  /** What is given, in the user's words. */
  readonly input: string;
  readonly exit: number;
  readonly message: RegExp;
  /** HTTP status, for HTTP cases. */
  readonly status?: number;
  /** Setup on the copy (writes files, edits the copy); the "unchanged" snapshot is taken after it. */
  readonly prepare?: (env: CaseEnv) => void | Promise<void>;
  readonly run: (env: CaseEnv) => Promise<Outcome>;
  /** Files (made by prepare) whose bytes must not change, e.g. a non-SQLite --db. */
  readonly keepBytes?: (env: CaseEnv) => readonly string[];
  /** Paths that must not exist afterwards (a refused new database or its folder). */
  readonly absent?: (env: CaseEnv) => readonly string[];
  /** More assertions after the run. */
  readonly check?: (env: CaseEnv) => void;
}

const run = (env: CaseEnv, ...args: string[]) => cli(['run', '--db', env.db, ...args], ENV);
const file = (env: CaseEnv, name: string, text: string | Buffer) => {
  writeFileSync(join(env.dir, name), text);
  return join(env.dir, name);
};
/** Backup files (and manifests) left in the copy's backups folder: a refused command leaves none. */
const backupsOf = (env: CaseEnv) => {
  const dir = join(env.dir, 'backups');
  return existsSync(dir) ? readdirSync(dir).map((n) => join(dir, n)) : [];
};

const helds: ChildProcess[] = [];
async function hold(p: Promise<ChildProcess> | ChildProcess): Promise<ChildProcess> {
  const c = await p;
  helds.push(c);
  return c;
}

const CASES: readonly BadInput[] = [
  // ---------------------------------------------------------------- CLI: dates, flags, phases
  { surface: 'cli', input: 'run --start-date 2025-13-01 (no such month)', exit: 2, message: /--start-date.*YYYY-MM-DD/, run: (e) => run(e, '--start-date', '2025-13-01') },
  { surface: 'cli', input: 'run --start-date 2025-02-30 (no such day)', exit: 2, message: /--start-date.*real calendar date/, run: (e) => run(e, '--start-date', '2025-02-30') },
  { surface: 'cli', input: 'run --start-date 07/01/2025 (not ISO)', exit: 2, message: /--start-date.*YYYY-MM-DD/, run: (e) => run(e, '--start-date', '07/01/2025') },
  // An inverted range is said once, with both dates, in the same words on every command.
  ...([
    ['run'],
    ['reconcile'],
    ['verify coverage'],
    ['verify guard'],
    ['prices export', '--out', 'IN_CASE_DIR'],
    ['history export-baseline', '--out', 'IN_CASE_DIR'],
    ['rebuild', '--yes', '--log-file', 'IN_CASE_DIR'],
  ] as const).map(
    ([command, ...flags]): BadInput => ({
      surface: 'cli',
      input: `${command} --start-date 2025-07-08 --end-date 2025-07-01 (inverted)`,
      exit: 2,
      message: new RegExp(`^error: --end-date 2025-07-01 is before --start-date 2025-07-08 \\(see \`batchdesk ${command} --help\`\\)$`, 'm'),
      run: (e) => cli([...command.split(' '), ...flags.map((f) => (f === 'IN_CASE_DIR' ? join(e.dir, 'out', 'file') : f)), '--start-date', '2025-07-08', '--end-date', '2025-07-01', '--db', e.db], ENV),
      absent: (e) => [join(e.dir, 'out'), join(e.dir, 'rebuilds')],
    }),
  ),
  { surface: 'cli', input: 'run --quiet --verbose (conflicting global flags)', exit: 2, message: /^error: --quiet and --verbose exclude each other: keep one/m, run: (e) => run(e, '--quiet', '--verbose', '--dry-run') },
  { surface: 'cli', input: 'run --resume (no value) --target-date (no "latest" the user never typed)', exit: 2, message: /^error: --resume cannot be combined with dates or --retry-failed-phases \(see/m, run: (e) => run(e, '--resume', '--target-date', '2025-07-10') },
  { surface: 'cli', input: 'history --running --days 3 (--running has no period)', exit: 2, message: /^error: --running cannot be combined with --days: /m, run: (e) => cli(['history', '--db', e.db, '--running', '--days', '3'], ENV) },
  { surface: 'cli', input: 'diagnose bogus (unknown subcommand)', exit: 2, message: /^error: unknown subcommand "bogus" of `diagnose`; one of: equity-cash, prices \(see/m, run: (e) => cli(['diagnose', 'bogus', '--db', e.db], ENV) },
  { surface: 'cli', input: 'run --target (a flag cut short)', exit: 2, message: /unknown flag --target .*did you mean --target-date\?/, run: (e) => run(e, '--target', '2025-07-10') },
  { surface: 'cli', input: 'verify guard --date 2025-07-05 (a Saturday; a report date is a trading day, as for reconcile)', exit: 2, message: /--date 2025-07-05 is not a trading day; the previous trading day is 2025-07-03/, run: (e) => cli(['verify', 'guard', '--db', e.db, '--date', '2025-07-05'], ENV) },
  { surface: 'contract', input: 'verifyGuard { date: a Saturday }', exit: 2, message: /--date 2025-07-05 is not a trading day/, run: (e) => contract(e.db, SAFE_NOW, 'verifyGuard', { date: '2025-07-05' }) },
  { surface: 'cli', input: 'run --target-date 2025-07-05 (a Saturday)', exit: 2, message: /not a trading day.*previous trading day is 2025-07-03/, run: (e) => run(e, '--target-date', '2025-07-05') },
  { surface: 'cli', input: 'run --target-date with --start-date', exit: 2, message: /cannot be combined/, run: (e) => run(e, '--target-date', '2025-07-07', '--start-date', '2025-07-01') },
  { surface: 'cli', input: 'run --target-date 2025-07-14 (after the target date)', exit: 2, message: /2025-07-14: its close is not settled yet \(the target date, the latest settled trading day, is 2025-07-10\)/, run: (e) => run(e, '--target-date', '2025-07-14') },
  { surface: 'cli', input: 'run --start-date 1900-01-01 (a huge range, outside the calendar)', exit: 2, message: /outside the calendar range 2000-01-01\.\.2030-12-31/, run: (e) => run(e, '--start-date', '1900-01-01') },
  { surface: 'cli', input: 'run --chunk-days 100000 (a huge chunk)', exit: 2, message: /--chunk-days/, run: (e) => run(e, '--chunk-days', '100000') },
  { surface: 'cli', input: 'run --bogus (unknown flag)', exit: 2, message: /unknown flag --bogus/, run: (e) => run(e, '--bogus') },
  { surface: 'cli', input: 'run --portfoli X (misspelt flag)', exit: 2, message: /unknown flag --portfoli .*did you mean --portfolio\?/, run: (e) => run(e, '--portfoli', 'X') },
  { surface: 'cli', input: 'run --phase bogus (unknown phase)', exit: 2, message: /--phase.*bogus|bogus/, run: (e) => run(e, '--phase', 'bogus') },
  { surface: 'cli', input: 'run --phase snapshots on a date without marks (missing prerequisite)', exit: 2, message: /prerequisites/, run: (e) => run(e, '--phase', 'snapshots', '--target-date', '2025-07-10', '--portfolio', FAMILY_GROWTH), prepare: (e) => sqlOn(e.db, `DELETE FROM position_marks WHERE mark_date = '2025-07-10'`) },
  { surface: 'cli', input: 'run --portfolio no-such-portfolio', exit: 2, message: /unknown portfolio "no-such-portfolio"/, run: (e) => run(e, '--portfolio', 'no-such-portfolio') },
  // A report limited to a portfolio that does not exist would check nothing and pass.
  ...([
    ['verify coverage', '--start-date', '2025-07-01', '--end-date', '2025-07-10'],
    ['verify guard'],
    ['verify views', '--date', '2025-07-10'],
    ['reconcile', '--date', '2025-07-10'],
    ['diagnose equity-cash'],
    ['diagnose prices', '--date', '2025-07-10'],
    ['purge', '--from', '2025-07-08', '--yes'],
    ['rebuild', '--start-date', '2025-07-08', '--yes', '--log-file', 'IN_CASE_DIR'],
  ] as const).map(
    ([command, ...flags]): BadInput => ({
      surface: 'cli',
      input: `${command} --portfolio no-such-portfolio`,
      exit: 2,
      message: /unknown portfolio "no-such-portfolio"; known ids: .*\(an id or its first 8 or more characters\)/,
      run: (e) => cli([...command.split(' '), ...flags.map((f) => (f === 'IN_CASE_DIR' ? join(e.dir, 'logs', 'rebuild.jsonl') : f)), '--portfolio', 'no-such-portfolio', '--db', e.db], ENV),
      // The refused rebuild leaves no empty event log (nor the folder made for it).
      absent: (e) => [join(e.dir, 'logs')],
    }),
  ),
  // A date outside the calendar is a usage error on every command, not an internal error.
  ...([
    ['reconcile', '--date', '1999-12-31'],
    ['diagnose equity-cash', '--date', '2031-01-02'],
    ['diagnose prices', '--date', '1999-12-31'],
    ['verify views', '--date', '1999-12-31'],
    ['verify coverage', '--start-date', '1999-12-31', '--end-date', '2025-07-10'],
    ['purge', '--from', '1999-12-31', '--yes'],
    ['seed-demo', '--start-date', '1999-01-01'],
    ['rebuild', '--start-date', '1999-12-31', '--end-date', '2025-07-10', '--yes', '--log-file', 'IN_CASE_DIR'],
  ] as const).map(
    ([command, ...flags]): BadInput => ({
      surface: 'cli',
      input: `${command} ${flags.filter((f) => f !== 'IN_CASE_DIR' && f !== '--log-file').join(' ')} (outside the calendar)`,
      exit: 2,
      message: /--(date|start-date|from) "(1999-12-31|2031-01-02|1999-01-01)": outside the calendar range 2000-01-01\.\.2030-12-31/,
      run: (e) => cli([...command.split(' '), ...flags.map((f) => (f === 'IN_CASE_DIR' ? join(e.dir, 'logs', 'rebuild.jsonl') : f)), '--db', e.db], ENV),
      absent: (e) => [join(e.dir, 'logs'), join(e.dir, 'rebuilds')],
    }),
  ),
  // rebuild checks its range before the backup and the purge: a bad range costs nothing.
  { surface: 'cli', input: 'seed-demo --start-date after the target date (named as the start, not as an end before it)', exit: 2, message: /^error: --start-date 2025-07-14: its close is not settled yet \(the target date, the latest settled trading day, is 2025-07-10\)/, run: (e) => cli(['seed-demo', '--db', e.db, '--start-date', '2025-07-14'], ENV) },
  { surface: 'cli', input: 'rebuild --start-date after the target date, no --end-date (named as the start, not as an end before it)', exit: 2, message: /^error: --start-date 2025-07-14: its close is not settled yet \(the target date, the latest settled trading day, is 2025-07-10\)/, run: (e) => cli(['rebuild', '--db', e.db, '--start-date', '2025-07-14', '--yes', '--log-file', join(e.dir, 'logs', 'r.jsonl')], ENV), absent: (e) => [join(e.dir, 'logs'), join(e.dir, 'rebuilds')] },
  { surface: 'cli', input: 'verify coverage --start-date after the target date, no --end-date', exit: 2, message: /^error: --start-date 2025-07-14: its close is not settled yet \(the target date, the latest settled trading day, is 2025-07-10\)/, run: (e) => cli(['verify', 'coverage', '--db', e.db, '--start-date', '2025-07-14'], ENV) },
  { surface: 'cli', input: 'history export-baseline over days not settled yet', exit: 2, message: /^error: --end-date 2025-07-18: its close is not settled yet \(the target date, the latest settled trading day, is 2025-07-10\)/, run: (e) => cli(['history', 'export-baseline', '--db', e.db, '--start-date', '2025-07-08', '--end-date', '2025-07-18', '--out', join(e.dir, 'out', 'b.json')], ENV), absent: (e) => [join(e.dir, 'out')] },
  { surface: 'cli', input: 'rebuild --end-date after the target date', exit: 2, message: /--end-date 2026-01-05: its close is not settled yet \(the target date, the latest settled trading day, is 2025-07-10\)/, run: (e) => cli(['rebuild', '--db', e.db, '--start-date', '2025-07-08', '--end-date', '2026-01-05', '--yes', '--log-file', join(e.dir, 'logs', 'r.jsonl')], ENV), absent: (e) => [join(e.dir, 'logs'), join(e.dir, 'rebuilds')] },
  { surface: 'cli', input: 'rebuild of a range without a trading day (2025-07-04, a holiday)', exit: 2, message: /2025-07-04 \.\. 2025-07-04 holds no trading day/, run: (e) => cli(['rebuild', '--db', e.db, '--start-date', '2025-07-04', '--end-date', '2025-07-04', '--yes', '--log-file', join(e.dir, 'logs', 'r.jsonl')], ENV), absent: (e) => [join(e.dir, 'logs'), join(e.dir, 'rebuilds')] },
  { surface: 'cli', input: 'verify coverage --end-date after the target date', exit: 2, message: /--end-date 2025-08-01: its close is not settled yet \(the target date, the latest settled trading day, is 2025-07-10\)/, run: (e) => cli(['verify', 'coverage', '--db', e.db, '--start-date', '2025-07-01', '--end-date', '2025-08-01'], ENV) },
  ...(['getMissingPrices', 'getSuspectPrices', 'getTracking'] as const).map(
    (command): BadInput => ({ surface: 'contract', input: `${command} with endDate before startDate (it would list nothing, like an all-clear)`, exit: 2, message: /--end-date 2025-07-01 is before --start-date 2025-07-08/, run: (e) => contract(e.db, SAFE_NOW, command, { startDate: '2025-07-08', endDate: '2025-07-01' }) }),
  ),
  { surface: 'contract', input: 'diagnosePrices { date: "1999-12-31" }', exit: 2, message: /outside the calendar range/, run: (e) => contract(e.db, SAFE_NOW, 'diagnosePrices', { date: '1999-12-31' }) },
  { surface: 'cli', input: 'run --log-file F --portfolio no-such-portfolio', exit: 2, message: /unknown portfolio "no-such-portfolio"/, run: (e) => run(e, '--log-file', join(e.dir, 'run-logs', 'run.log'), '--portfolio', 'no-such-portfolio'), absent: (e) => [join(e.dir, 'run-logs')] },
  { surface: 'cli', input: 'run --market-data offline --csv-dir a folder that does not exist', exit: 2, message: /the CSV price folder .*nope does not exist/, run: (e) => run(e, '--target-date', '2025-07-10', '--market-data', 'offline', '--csv-dir', join(e.dir, 'nope')) },
  { surface: 'cli', input: 'run --market-data offline --csv-dir a file', exit: 2, message: /the CSV price folder .*prices\.csv is a file, not a folder/, prepare: (e) => void file(e, 'prices.csv', 'symbol,date,close\n'), run: (e) => run(e, '--target-date', '2025-07-10', '--market-data', 'offline', '--csv-dir', join(e.dir, 'prices.csv')) },
  { surface: 'cli', input: 'rebuild --market-data offline --csv-dir a folder that does not exist (checked before the purge)', exit: 2, message: /the CSV price folder .*nope does not exist/, run: (e) => cli(['rebuild', '--db', e.db, '--start-date', '2025-07-08', '--yes', '--market-data', 'offline', '--csv-dir', join(e.dir, 'nope'), '--log-file', join(e.dir, 'logs', 'r.jsonl')], ENV), absent: (e) => [join(e.dir, 'logs'), join(e.dir, 'rebuilds')] },
  { surface: 'cli', input: 'run --market-data carrier-pigeon', exit: 2, message: /--market-data/, run: (e) => run(e, '--market-data', 'carrier-pigeon') },
  { surface: 'cli', input: 'run --max-missing-marks 2', exit: 2, message: /--max-missing-marks/, run: (e) => run(e, '--max-missing-marks', '2') },
  { surface: 'cli', input: 'run --seed 4294967296 (seeds are 0 to 2^32 - 1, as for seed-demo)', exit: 2, message: /--seed "4294967296": expected a whole number from 0 to 4294967295/, run: (e) => run(e, '--target-date', '2025-07-10', '--seed', '4294967296') },
  // The demo's synthetic prices are seed 42's: another seed would continue them with other paths and record a seed they do not have (e.9).
  { surface: 'cli', input: 'run --seed 7 on the demo, whose synthetic prices are seed 42', exit: 2, message: /holds synthetic prices of seed 42; a run cannot continue them with seed 7\. .*`batchdesk seed-demo --reset --seed 7 --db \S+`/, run: (e) => run(e, '--target-date', '2025-07-10', '--seed', '7') },
  { surface: 'cli', input: 'run --resume batch_does_not_exist', exit: 2, message: /batch_does_not_exist not found/, run: (e) => run(e, '--resume', 'batch_does_not_exist') },
  { surface: 'cli', input: 'run --trace DIR without --monitor-only', exit: 2, message: /--trace needs --monitor-only/, run: (e) => run(e, '--trace', join(e.dir, 'trace')) },
  { surface: 'cli', input: 'run --dry-run --monitor-only', exit: 2, message: /^error: --dry-run and --monitor-only exclude each other/m, run: (e) => run(e, '--dry-run', '--monitor-only') },
  { surface: 'cli', input: 'run --monitor-only --trace FILE (the trace folder is a file)', exit: 5, message: /cannot write the trace files to .*trace\.txt: .*trace\.txt is a file, not a folder; choose another --trace path/, prepare: (e) => void file(e, 'trace.txt', 'x'), run: (e) => run(e, '--monitor-only', '--target-date', '2025-07-10', '--trace', join(e.dir, 'trace.txt')) },
  { surface: 'cli', input: 'frobnicate (unknown command)', exit: 2, message: /unknown command "frobnicate"/, run: (e) => cli(['frobnicate', '--db', e.db], ENV) },
  { surface: 'cli', input: 'verify bogus (unknown subcommand)', exit: 2, message: /unknown subcommand "bogus" of `verify`.*demo/, run: (e) => cli(['verify', 'bogus', '--db', e.db], ENV) },
  // An empty value (an unset variable in a script) never widens the scope to everything, as leaving the flag out would.
  { surface: 'cli', input: 'run --phase marks, (an empty list item)', exit: 2, message: /--phase has an empty item in its comma-separated list: remove the extra comma/, run: (e) => run(e, '--phase', 'marks,', '--dry-run') },
  { surface: 'cli', input: "purge --portfolio '' (empty: not all portfolios)", exit: 2, message: /--portfolio is empty: give it a value or leave the flag out/, run: (e) => cli(['purge', '--db', e.db, '--portfolio', '', '--yes', '--no-backup'], ENV) },
  { surface: 'cli', input: 'purge --portfolio , (a list of nothing)', exit: 2, message: /--portfolio is empty/, run: (e) => cli(['purge', '--db', e.db, '--portfolio', ',', '--yes', '--no-backup'], ENV) },
  { surface: 'cli', input: "run --phase '' (empty: not every phase)", exit: 2, message: /--phase is empty/, run: (e) => run(e, '--target-date', '2025-07-10', '--phase', '') },
  { surface: 'cli', input: "reconcile --date '' (empty: not the latest date)", exit: 2, message: /--date is empty/, run: (e) => cli(['reconcile', '--db', e.db, '--date', ''], ENV) },
  { surface: 'cli', input: "purge --db '' (empty: not the default database)", exit: 2, message: /--db is empty/, run: (e) => cli(['purge', '--db', '', '--yes', '--no-backup'], { ...ENV, XDG_CONFIG_HOME: e.dir }), absent: (e) => [join(e.dir, 'batchdesk')] },
  { surface: 'cli', input: 'purge with BATCHDESK_DB set but empty (not the default database)', exit: 2, message: /BATCHDESK_DB is set but empty/, run: (e) => cli(['purge', '--yes', '--no-backup'], { ...ENV, BATCHDESK_DB: '', XDG_CONFIG_HOME: e.dir }), absent: (e) => [join(e.dir, 'batchdesk')] },
  { surface: 'cli', input: 'purge --from 2025-07-08 --to 2025-07-01 (inverted)', exit: 2, message: /^error: --to 2025-07-01 is before --from 2025-07-08 \(see `batchdesk purge --help`\)$/m, run: (e) => cli(['purge', '--db', e.db, '--from', '2025-07-08', '--to', '2025-07-01', '--yes'], ENV) },
  { surface: 'cli', input: 'reconcile --date 2025-02-30', exit: 2, message: /--date.*real calendar date/, run: (e) => cli(['reconcile', '--db', e.db, '--date', '2025-02-30'], ENV) },
  { surface: 'cli', input: 'history --days abc', exit: 2, message: /--days/, run: (e) => cli(['history', '--db', e.db, '--days', 'abc'], ENV) },
  { surface: 'cli', input: 'seed-demo --prices bogus', exit: 2, message: /--prices/, run: (e) => cli(['seed-demo', '--db', e.db, '--prices', 'bogus'], ENV) },
  // ---------------------------------------------------------------- CLI: paths
  { surface: 'cli', input: 'restore a folder', exit: 5, message: /is a folder, not a backup file/, prepare: (e) => mkdirSync(join(e.dir, 'a-folder')), run: (e) => cli(['restore', join(e.dir, 'a-folder'), '--db', e.db, '--yes'], ENV) },
  { surface: 'cli', input: 'restore a backup file that does not exist', exit: 5, message: /backup file .*nope\.sqlite not found/, run: (e) => cli(['restore', join(e.dir, 'nope.sqlite'), '--db', e.db, '--yes'], ENV) },
  { surface: 'cli', input: 'restore a CSV file as a backup', exit: 5, message: /cannot be restored: it is not a SQLite database \(18 bytes, without the SQLite header: empty, truncated or another kind of file\); choose another backup/, prepare: (e) => void file(e, 'prices.csv', 'symbol,date,close\n'), run: (e) => cli(['restore', join(e.dir, 'prices.csv'), '--db', e.db, '--yes'], ENV) },
  { surface: 'cli', input: 'restore the live database onto itself', exit: 2, message: /it is the database being restored/, run: (e) => cli(['restore', e.db, '--db', e.db, '--yes'], ENV) },
  { surface: 'cli', input: 'backup --out an existing file', exit: 2, message: /already exists; choose another --out/, prepare: (e) => void file(e, 'taken.sqlite', 'keep me'), run: (e) => cli(['backup', '--db', e.db, '--out', join(e.dir, 'taken.sqlite')], ENV), keepBytes: (e) => [join(e.dir, 'taken.sqlite')] },
  { surface: 'cli', input: 'prices export --out the live database', exit: 2, message: /refusing to write the export .*it is the database/, run: (e) => cli(['prices', 'export', '--db', e.db, '--out', e.db], ENV) },
  { surface: 'cli', input: 'profiles export --out the live database -wal file', exit: 2, message: /refusing to write the export .*wal file of the database/, run: (e) => cli(['profiles', 'export', '--db', e.db, '--out', `${e.db}-wal`], ENV), check: (e) => expect(existsSync(`${e.db}-wal`) ? readFileSync(`${e.db}-wal`, 'latin1') : '').not.toMatch(/symbol,/) },
  { surface: 'cli', input: 'history export-baseline --out the live database', exit: 2, message: /refusing to write the baseline .*it is the database/, run: (e) => cli(['history', 'export-baseline', '--db', e.db, '--start-date', '2025-06-30', '--end-date', '2025-07-10', '--out', e.db], ENV) },
  { surface: 'cli', input: 'run --log-file the live database', exit: 2, message: /refusing to write the event log .*it is the database/, run: (e) => run(e, '--target-date', '2025-07-10', '--log-file', e.db) },
  // ---------------------------------------------------------------- CSV
  { surface: 'csv', input: 'prices import of a file that does not exist', exit: 5, message: /cannot read .*missing\.csv: no such file; nothing was imported/, run: (e) => cli(['prices', 'import', join(e.dir, 'missing.csv'), '--db', e.db], ENV), keepBytes: (e) => [e.db] },
  { surface: 'csv', input: 'prices import with a negative close', exit: 5, message: /line 2, column 3 \(close\): the close must be > 0/, run: (e) => cli(['prices', 'import', file(e, 'neg.csv', 'symbol,date,close,volume\nAAPL,2025-07-01,-3,100\n'), '--db', e.db], ENV), keepBytes: (e) => [e.db] },
  { surface: 'csv', input: 'prices import with a non-numeric close', exit: 5, message: /line 2, column 3 \(close\): expected a number, got "abc"/, run: (e) => cli(['prices', 'import', file(e, 'nan.csv', 'symbol,date,close,volume\nAAPL,2025-07-01,abc,1\n'), '--db', e.db], ENV), keepBytes: (e) => [e.db] },
  { surface: 'csv', input: 'prices import with the same (symbol, date) twice', exit: 5, message: /line 3, column 2 \(date\): AAPL on 2025-07-01 again \(first on line 2\)/, run: (e) => cli(['prices', 'import', file(e, 'dup.csv', 'symbol,date,close,volume\nAAPL,2025-07-01,3,100\nAAPL,2025-07-01,3,100\n'), '--db', e.db], ENV), keepBytes: (e) => [e.db] },
  { surface: 'csv', input: 'prices import with a weekend date', exit: 5, message: /line 2, column 2 \(date\): 2025-07-05 is not a NYSE trading day/, run: (e) => cli(['prices', 'import', file(e, 'sat.csv', 'symbol,date,close,volume\nAAPL,2025-07-05,3,1\n'), '--db', e.db], ENV), keepBytes: (e) => [e.db] },
  { surface: 'csv', input: 'prices import with a bad date', exit: 5, message: /line 2, column 2 \(date\)/, run: (e) => cli(['prices', 'import', file(e, 'bd.csv', 'symbol,date,close,volume\nAAPL,2025-13-01,3,100\n'), '--db', e.db], ENV), keepBytes: (e) => [e.db] },
  { surface: 'csv', input: 'prices import with a row shorter than the header', exit: 5, message: /line 2, column 3 \(close\): the row has 2 of the header's 4 columns/, run: (e) => cli(['prices', 'import', file(e, 'short.csv', 'symbol,date,close,volume\nAAPL,2025-07-01\n'), '--db', e.db], ENV), keepBytes: (e) => [e.db] },
  { surface: 'csv', input: 'prices import with a wrong header', exit: 5, message: /line 1/, run: (e) => cli(['prices', 'import', file(e, 'hdr.csv', 'sym,day,px\nAAPL,2025-07-01,3\n'), '--db', e.db], ENV), keepBytes: (e) => [e.db] },
  { surface: 'csv', input: 'prices import of an empty file', exit: 5, message: /line 1: the file has no header row/, run: (e) => cli(['prices', 'import', file(e, 'zero.csv', ''), '--db', e.db], ENV), keepBytes: (e) => [e.db] },
  { surface: 'csv', input: 'prices import of a binary file (a SQLite database)', exit: 5, message: /not valid CSV|line \d+/, prepare: (e) => copyFileSync(e.db, join(e.dir, 'binary.csv')), run: (e) => cli(['prices', 'import', join(e.dir, 'binary.csv'), '--db', e.db], ENV), keepBytes: (e) => [e.db] },
  { surface: 'csv', input: 'profiles import with a non-numeric beta', exit: 5, message: /line 2.*beta/, run: (e) => cli(['profiles', 'import', file(e, 'p.csv', 'symbol,company_name,sector,beta\nZZZ,Z Inc,Technology,high\n'), '--db', e.db], ENV), keepBytes: (e) => [e.db] },
  // Refused before the lock is taken: the file keeps its bytes (the lock row's page too).
  { surface: 'cli', input: 'seed-demo --seed 7 over the demo of seed 42', exit: 2, message: /already holds synthetic prices for seed 42 \(realistic\); use --reset to start over with seed 7 \(realistic\)/, run: (e) => cli(['seed-demo', '--db', e.db, '--seed', '7'], ENV), keepBytes: (e) => [e.db] },
  // ---------------------------------------------------------------- dumps
  { surface: 'dump', input: 'import a truncated custom dump into a new file', exit: 5, message: /the file is truncated or damaged; nothing was changed/, prepare: (e) => void file(e, 'cut.dump', readFileSync(join(PG, 'reference.dump')).subarray(0, 20_000)), run: (e) => cli(['import', join(e.dir, 'cut.dump'), '--db', join(e.dir, 'new.sqlite')], ENV), absent: (e) => [join(e.dir, 'new.sqlite')] },
  { surface: 'dump', input: 'import --merge of a truncated custom dump', exit: 5, message: /truncated or damaged; nothing was changed/, prepare: (e) => void file(e, 'cut.dump', readFileSync(join(PG, 'reference.dump')).subarray(0, 20_000)), run: (e) => cli(['import', join(e.dir, 'cut.dump'), '--db', e.db, '--merge'], ENV) },
  { surface: 'dump', input: 'import --replace of a plain dump cut inside COPY data', exit: 5, message: /ends inside the COPY data of \S+ .*truncated; nothing was changed/, prepare: (e) => void file(e, 'cut.sql', readFileSync(join(PG, 'plain.sql')).subarray(0, 6000)), run: (e) => cli(['import', join(e.dir, 'cut.sql'), '--db', e.db, '--replace'], ENV) },
  { surface: 'dump', input: 'import of a file that is not a dump (CSV)', exit: 5, message: /is not a PostgreSQL dump/, run: (e) => cli(['import', file(e, 'x.csv', 'symbol,date,close\n'), '--db', join(e.dir, 'new.sqlite')], ENV), absent: (e) => [join(e.dir, 'new.sqlite')] },
  { surface: 'dump', input: 'import of the live database as a dump', exit: 5, message: /is not a PostgreSQL dump/, run: (e) => cli(['import', e.db, '--db', e.db, '--merge'], ENV) },
  { surface: 'dump', input: 'import of a dump path that does not exist into an existing database: the missing dump is said first', exit: 5, message: /^error: import failed: .*nope\.dump does not exist; nothing was changed/, run: (e) => cli(['import', join(e.dir, 'nope.dump'), '--db', e.db], ENV) },
  { surface: 'dump', input: 'import of a dump path that does not exist', exit: 5, message: /does not exist; nothing was changed/, run: (e) => cli(['import', join(e.dir, 'nope.dump'), '--db', join(e.dir, 'new.sqlite')], ENV), absent: (e) => [join(e.dir, 'new.sqlite')] },
  { surface: 'dump', input: 'import into an existing database without --merge or --replace', exit: 2, message: /already exists; import into a new file, or pass --replace/, run: (e) => cli(['import', join(PG, 'reference.dump'), '--db', e.db], ENV) },
  { surface: 'dump', input: 'import --merge --replace', exit: 2, message: /--merge and --replace exclude each other/, run: (e) => cli(['import', join(PG, 'reference.dump'), '--db', e.db, '--merge', '--replace'], ENV) },
  { surface: 'dump', input: 'import --merge --on-conflict bogus', exit: 2, message: /--on-conflict/, run: (e) => cli(['import', join(PG, 'reference.dump'), '--db', e.db, '--merge', '--on-conflict', 'bogus'], ENV) },
  { surface: 'dump', input: 'import --merge --report the live database', exit: 2, message: /refusing to write the import report .*it is the database/, run: (e) => cli(['import', join(PG, 'reference.dump'), '--db', e.db, '--merge', '--report', e.db], ENV) },
  // ---------------------------------------------------------------- the database file
  { surface: 'database file', input: '--db a text file', exit: 5, message: /is not a SQLite database/, prepare: (e) => void file(e, 'notes.sqlite', 'hello\n'), run: (e) => cli(['run', '--db', join(e.dir, 'notes.sqlite')], ENV), keepBytes: (e) => [join(e.dir, 'notes.sqlite')] },
  { surface: 'cli', input: 'BATCHDESK_NOW that is no timestamp', exit: 2, message: /BATCHDESK_NOW=garbage is not an ISO timestamp/, run: (e) => cli(['history', '--db', e.db], { ...ENV, BATCHDESK_NOW: 'garbage' }) },
  { surface: 'cli', input: 'a clock (BATCHDESK_NOW) past the trading calendar: one line, no stack', exit: 5, message: /^error: 2031-06-01 is outside the trading calendar \(2000-01-01 to 2030-12-31\); the trading calendar covers no other dates \(check the clock or BATCHDESK_NOW, and the dates given\)\n$/, run: (e) => cli(['history', '--db', e.db], { ...ENV, BATCHDESK_NOW: '2031-06-01T23:00:00Z' }) },
  { surface: 'database file', input: 'serve --db a text file (refused before listening)', exit: 5, message: /is not a SQLite database/, prepare: (e) => void file(e, 'served.sqlite', 'hello\n'), run: (e) => cli(['serve', '--port', '0', '--db', join(e.dir, 'served.sqlite')], ENV), keepBytes: (e) => [join(e.dir, 'served.sqlite')] },
  { surface: 'database file', input: '--db a folder', exit: 5, message: /is a folder, not a database file. Give a file, e.g. --db .*folder.sqlite.portfolios.sqlite/, prepare: (e) => mkdirSync(join(e.dir, 'folder.sqlite')), run: (e) => cli(['verify', 'demo', '--db', join(e.dir, 'folder.sqlite')], ENV) },
  // A command that writes says the same, not that the "file" is read-only.
  { surface: 'database file', input: '--db a folder (run)', exit: 5, message: /is a folder, not a database file/, prepare: (e) => mkdirSync(join(e.dir, 'folder.sqlite')), run: (e) => cli(['run', '--db', join(e.dir, 'folder.sqlite')], ENV) },
  { surface: 'database file', input: '--db a folder (purge)', exit: 5, message: /is a folder, not a database file/, prepare: (e) => mkdirSync(join(e.dir, 'folder.sqlite')), run: (e) => cli(['purge', '--db', join(e.dir, 'folder.sqlite'), '--yes'], ENV) },
  ...(['history', 'verify demo', 'backup', 'run'] as const).map(
    (command): BadInput => ({
      surface: 'database file',
      input: `${command} --db an empty (0-byte) file`,
      exit: 5,
      message: /is empty \(not a batchdesk database yet\)\. Create it with `batchdesk seed-demo/,
      prepare: (e) => void file(e, 'empty.sqlite', ''),
      run: (e) => cli([...command.split(' '), '--db', join(e.dir, 'empty.sqlite')], ENV),
      keepBytes: (e) => [join(e.dir, 'empty.sqlite')],
    }),
  ),
  { surface: 'database file', input: '--db whose parent is a file', exit: 5, message: /plain-file is a file, not a folder\. Choose another --db path/, prepare: (e) => void file(e, 'plain-file', 'x'), run: (e) => cli(['run', '--db', join(e.dir, 'plain-file', 'db.sqlite')], ENV), keepBytes: (e) => [join(e.dir, 'plain-file')] },
  { surface: 'database file', input: '--db in a folder that does not exist', exit: 5, message: /the folder .* does not exist/, run: (e) => cli(['seed-demo', '--db', join(e.dir, 'missing', 'db.sqlite')], ENV), absent: (e) => [join(e.dir, 'missing')] },
  {
    surface: 'database file',
    input: "--db another application's SQLite file",
    exit: 5,
    message: /SQLite database of another application/,
    prepare: (e) => {
      const other = new Database(join(e.dir, 'other.sqlite'));
      other.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me')`);
      other.close();
    },
    run: (e) => cli(['run', '--db', join(e.dir, 'other.sqlite')], ENV),
    keepBytes: (e) => [join(e.dir, 'other.sqlite')],
  },
  { surface: 'database file', input: 'a database whose migration history was edited', exit: 5, message: /migration history that does not match/, prepare: (e) => sqlOn(e.db, `UPDATE __drizzle_migrations SET hash = 'edited'`), run: (e) => run(e, '--target-date', '2025-07-10') },
  { surface: 'database file', input: 'a database written by a newer version', exit: 5, message: /written by a newer version of batchdesk/, prepare: (e) => sqlOn(e.db, `INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('future', 99999999999999)`), run: (e) => cli(['reconcile', '--db', e.db], ENV) },
  { surface: 'database file', input: 'a truncated database file', exit: 5, message: /malformed|not a SQLite database/, prepare: (e) => void file(e, 'cut.sqlite', readFileSync(e.db).subarray(0, 20_000)), run: (e) => cli(['verify', 'demo', '--db', join(e.dir, 'cut.sqlite')], ENV), keepBytes: (e) => [join(e.dir, 'cut.sqlite')] },
  // A setting stored out of its range (the file edited by hand) refuses the commands that read it as a data error naming it, not an internal error (test/cli/bad-setting-scope.test.ts: only those commands).
  ...([['run', '--target-date', '2025-07-10'], ['run', '--dry-run']] as const).map(
    ([command, ...flags]): BadInput => ({
      surface: 'database file',
      input: `${[command, ...flags].join(' ')} with market_data.min_usable_coverage = 7 stored by hand`,
      exit: 5,
      message: /error: invalid settings in the database: setting market_data\.min_usable_coverage: 7 is not allowed; it must be a number from 0 to 1\. Delete the row so the default applies \(in sqlite3 on the database file: DELETE FROM settings WHERE key IN \('market_data\.min_usable_coverage'\);\), or store a valid value with the app contract's setSettings command\n/,
      prepare: (e) => sqlOn(e.db, `INSERT INTO settings (key, value) VALUES ('market_data.min_usable_coverage', '7')`),
      run: (e) => cli([command, '--db', e.db, ...flags], ENV),
    }),
  ),
  { surface: 'database file', input: 'run on a database locked by a live batch', exit: 3, message: /locked by another run \(cli pid \d+ on /, prepare: async (e) => writeLiveLock(e.db, (await hold(liveProcess())).pid!, SAFE_NOW), run: (e) => run(e, '--target-date', '2025-07-10') },
  { surface: 'database file', input: 'purge on a database locked by a live batch', exit: 3, message: /locked by another run/, prepare: async (e) => writeLiveLock(e.db, (await hold(liveProcess())).pid!, SAFE_NOW), run: (e) => cli(['purge', '--db', e.db, '--yes'], ENV) },
  { surface: 'database file', input: 'restore onto a database locked by a live batch', exit: 3, message: /locked by another run/, prepare: async (e) => {
      copyFileSync(e.db, join(e.dir, 'b.sqlite'));
      writeLiveLock(e.db, (await hold(liveProcess())).pid!, SAFE_NOW);
    }, run: (e) => cli(['restore', join(e.dir, 'b.sqlite'), '--db', e.db, '--yes'], ENV) },
  { surface: 'database file', input: 'seed-demo --reset on a database locked by a live batch', exit: 3, message: /locked by another run/, prepare: async (e) => writeLiveLock(e.db, (await hold(liveProcess())).pid!, SAFE_NOW), run: (e) => cli(['seed-demo', '--db', e.db, '--reset'], ENV) },
  { surface: 'database file', input: 'import --merge into a database locked by a live batch', exit: 3, message: /locked by another run/, prepare: async (e) => writeLiveLock(e.db, (await hold(liveProcess())).pid!, SAFE_NOW), run: (e) => cli(['import', join(PG, 'reference.dump'), '--db', e.db, '--merge'], ENV) },
  { surface: 'database file', input: "run while another process holds SQLite's write lock (SQLITE_BUSY)", exit: 3, message: /locked/, prepare: async (e) => void (await hold(holdWriteLock(e.db))), run: (e) => run(e, '--target-date', '2025-07-10') },
  // ---------------------------------------------------------------- the contract (dispatcher)
  { surface: 'contract', input: 'dropEverything (unknown command)', exit: 5, message: /unknown command "dropEverything"/, run: (e) => contract(e.db, SAFE_NOW, 'dropEverything', {}) },
  { surface: 'contract', input: 'startRun { startDate: "2025-13-01" }', exit: 2, message: /startDate.*real calendar date/, run: (e) => contract(e.db, SAFE_NOW, 'startRun', { startDate: '2025-13-01' }) },
  { surface: 'contract', input: 'purgeDerived { portfolios: ["nope"] }', exit: 2, message: /unknown portfolio "nope"/, run: (e) => contract(e.db, SAFE_NOW, 'purgeDerived', { portfolios: ['nope'], backup: false }) },
  { surface: 'contract', input: 'startRun with endDate before startDate', exit: 2, message: /before --start-date/, run: (e) => contract(e.db, SAFE_NOW, 'startRun', { startDate: '2025-07-08', endDate: '2025-07-01' }) },
  { surface: 'contract', input: 'startRun { phases: ["bogus"] }', exit: 2, message: /phases\.0/, run: (e) => contract(e.db, SAFE_NOW, 'startRun', { phases: ['bogus'] }) },
  { surface: 'contract', input: 'startRun { portfolios: ["nope"] } (refused by the run)', exit: 2, message: /unknown portfolio "nope"/, run: (e) => contract(e.db, SAFE_NOW, 'startRun', { portfolios: ['nope'] }) },
  { surface: 'contract', input: 'startRun { startDate: "1900-01-01" } (refused by the run)', exit: 2, message: /outside the calendar range/, run: (e) => contract(e.db, SAFE_NOW, 'startRun', { startDate: '1900-01-01' }) },
  { surface: 'contract', input: 'getSnapshots without portfolioId', exit: 2, message: /portfolioId/, run: (e) => contract(e.db, SAFE_NOW, 'getSnapshots', {}) },
  { surface: 'contract', input: 'getTracking { limit: -1 }', exit: 2, message: /limit/, run: (e) => contract(e.db, SAFE_NOW, 'getTracking', { limit: -1 }) },
  { surface: 'contract', input: 'getMissingPrices { symbols: [10,000 chars] }', exit: 2, message: /symbols/, run: (e) => contract(e.db, SAFE_NOW, 'getMissingPrices', { symbols: ['X'.repeat(10_000)] }) },
  { surface: 'contract', input: 'purgeDerived with to before from', exit: 2, message: /--to 2025-07-01 is before --from 2025-07-08/, run: (e) => contract(e.db, SAFE_NOW, 'purgeDerived', { from: '2025-07-08', to: '2025-07-01' }) },
  // A setting gets the range its meaning allows (k.4); a refusal names the key and the range, and writes none of the values given.
  ...([
    ['reconcile.threshold', -5, 'a number > 0'],
    ['reconcile.threshold', 0, 'a number > 0'],
    ['options.implied_vol', -1, 'a number > 0 and <= 5'],
    ['options.risk_free_rate', 50, 'a number from -0.5 to 1'],
    ['market_data.min_usable_coverage', 7, 'a number from 0 to 1'],
    ['market_data.settle_hour', 99, 'a whole number from 0 to 23'],
    ['market_data.jump_threshold', -1, 'a number > 0'],
    ['history.retention_days', -1, 'a number >= 0'],
    ['backup.keep_days', -1, 'a number >= 0'],
    ['fundamentals.profile_max_age_days', -3, 'a number >= 0'],
    ['stress.tlt_duration', -17, 'a number > 0'],
  ] as const).map(
    ([key, value, range]): BadInput => ({
      surface: 'contract',
      input: `setSettings { ${key}: ${value} }`,
      exit: 2,
      message: new RegExp(`^setting ${key.replace('.', '\\.')}: ${value} is not allowed; it must be ${range.replace('.', '\\.')}$`),
      run: (e) => contract(e.db, SAFE_NOW, 'setSettings', { values: { [key]: value } }),
    }),
  ),
  { surface: 'contract', input: 'setSettings of a valid and an out-of-range value (all or nothing)', exit: 2, message: /setting market_data\.settle_hour: 99 is not allowed/, run: (e) => contract(e.db, SAFE_NOW, 'setSettings', { values: { 'reconcile.threshold': 2, 'market_data.settle_hour': 99 } }) },
  { surface: 'contract', input: 'restoreBackup of a missing file', exit: 5, message: /not found/, run: (e) => contract(e.db, SAFE_NOW, 'restoreBackup', { file: join(e.dir, 'nope.sqlite') }) },
  { surface: 'contract', input: 'restoreBackup of the live database', exit: 2, message: /it is the database being restored/, run: (e) => contract(e.db, SAFE_NOW, 'restoreBackup', { file: e.db }) },
  { surface: 'contract', input: 'exportBaseline { out: the live database }', exit: 2, message: /refusing to write the baseline/, run: (e) => contract(e.db, SAFE_NOW, 'exportBaseline', { startDate: '2025-06-30', endDate: '2025-07-10', out: e.db }) },
  { surface: 'contract', input: 'importDump { reportPath: the live database }', exit: 2, message: /refusing to write the import report/, run: (e) => contract(e.db, SAFE_NOW, 'importDump', { path: join(PG, 'reference.dump'), mode: 'merge', reportPath: e.db }) },
  { surface: 'contract', input: 'importDump of a truncated dump (merge)', exit: 5, message: /truncated or damaged/, prepare: (e) => void file(e, 'cut.dump', readFileSync(join(PG, 'reference.dump')).subarray(0, 20_000)), run: (e) => contract(e.db, SAFE_NOW, 'importDump', { path: join(e.dir, 'cut.dump'), mode: 'merge' }) },
  // ---------------------------------------------------------------- HTTP (a real `batchdesk serve`)
  { surface: 'http', input: 'POST /api/commands/listPortfolios without a token', exit: 2, status: 401, message: /access token is missing/, run: (e) => http(e.serve, { method: 'POST', path: '/api/commands/listPortfolios', body: '{}' }) },
  { surface: 'http', input: 'POST a command with a wrong token', exit: 2, status: 401, message: /access token is wrong/, run: (e) => http(e.serve, { method: 'POST', path: '/api/commands/listPortfolios', headers: bearer(e.serve, 'x'.repeat(43)), body: '{}' }) },
  { surface: 'http', input: 'POST a command with the token only in the query', exit: 2, status: 401, message: /access token is missing/, run: (e) => http(e.serve, { method: 'POST', path: `/api/commands/listPortfolios?token=${e.serve.token}`, body: '{}' }) },
  { surface: 'http', input: 'GET /api/events without a token', exit: 2, status: 401, message: /access token is missing/, run: (e) => http(e.serve, { path: '/api/events' }) },
  { surface: 'http', input: 'GET /api/events?token=wrong', exit: 2, status: 401, message: /access token is wrong/, run: (e) => http(e.serve, { path: '/api/events?token=wrong' }) },
  { surface: 'http', input: 'GET /api/analytics/factors without a token', exit: 2, status: 401, message: /access token is missing/, run: (e) => http(e.serve, { path: `/api/analytics/factors?portfolio_id=${FAMILY_GROWTH}` }) },
  { surface: 'http', input: 'POST /api/uploads without a token', exit: 2, status: 401, message: /access token is missing/, run: (e) => http(e.serve, { method: 'POST', path: '/api/uploads', body: 'PGDMP' }) },
  { surface: 'http', input: 'a command from another Origin (with the token)', exit: 2, status: 403, message: /another origin/, run: (e) => http(e.serve, { method: 'POST', path: '/api/commands/listPortfolios', headers: { ...bearer(e.serve), origin: 'http://evil.example' }, body: '{}' }) },
  { surface: 'http', input: 'a command with Origin: null', exit: 2, status: 403, message: /another origin/, run: (e) => http(e.serve, { method: 'POST', path: '/api/commands/listPortfolios', headers: { ...bearer(e.serve), origin: 'null' }, body: '{}' }) },
  { surface: 'http', input: 'a command with a foreign Host header (DNS rebinding)', exit: 2, status: 403, message: /Host header must be 127\.0\.0\.1/, run: (e) => http(e.serve, { method: 'POST', path: '/api/commands/listPortfolios', headers: { ...bearer(e.serve), host: 'evil.example' }, body: '{}' }) },
  { surface: 'http', input: 'a JSON body over 10 MB', exit: 2, status: 413, message: /larger than 10485760 bytes/, run: (e) => http(e.serve, { method: 'POST', path: '/api/commands/getTracking', headers: bearer(e.serve), body: Buffer.alloc(10 * 1024 * 1024 + 1, 32) }) },
  { surface: 'http', input: 'a malformed JSON body', exit: 2, status: 400, message: /not valid JSON/, run: (e) => http(e.serve, { method: 'POST', path: '/api/commands/getTracking', headers: bearer(e.serve), body: '{"limit":' }) },
  { surface: 'http', input: 'POST /api/commands/dropEverything', exit: 5, status: 404, message: /unknown command "dropEverything"/, run: (e) => http(e.serve, { method: 'POST', path: '/api/commands/dropEverything', headers: bearer(e.serve), body: '{}' }) },
  { surface: 'http', input: 'getTracking { limit: "all" }', exit: 2, status: 400, message: /limit/, run: (e) => http(e.serve, { method: 'POST', path: '/api/commands/getTracking', headers: bearer(e.serve), body: '{"limit":"all"}' }) },
  { surface: 'http', input: 'GET /api/analytics/factors?date=2025-02-30', exit: 2, status: 400, message: /date.*real calendar date/, run: (e) => http(e.serve, { path: `/api/analytics/factors?portfolio_id=${FAMILY_GROWTH}&date=2025-02-30`, headers: bearer(e.serve) }) },
  { surface: 'http', input: 'setSettings { market_data.min_usable_coverage: 7 } over HTTP', exit: 2, status: 400, message: /setting market_data\.min_usable_coverage: 7 is not allowed; it must be a number from 0 to 1/, run: (e) => http(e.serve, { method: 'POST', path: '/api/commands/setSettings', headers: bearer(e.serve), body: JSON.stringify({ values: { 'market_data.min_usable_coverage': 7 } }) }) },
  { surface: 'http', input: 'restoreBackup { file: a text file } over HTTP: a data error is 422, not a server error', exit: 5, status: 422, message: /not a SQLite|not a batchdesk|backup/, prepare: (e) => void file(e, 'notes.sqlite', 'hello\n'), run: (e) => http(e.serve, { method: 'POST', path: '/api/commands/restoreBackup', headers: bearer(e.serve), body: JSON.stringify({ file: join(e.dir, 'notes.sqlite') }) }) },
  { surface: 'http', input: 'restoreBackup { file: the live database } over HTTP', exit: 2, status: 400, message: /it is the database being restored/, run: (e) => http(e.serve, { method: 'POST', path: '/api/commands/restoreBackup', headers: bearer(e.serve), body: JSON.stringify({ file: e.db }) }) },
];

let template = '';
beforeAll(async () => {
  template = await backfilledDemo();
}, 300_000);

describe('bad input: an error with the exit code of k.3, and the database unchanged', () => {
  let serveDb = '';
  let serveDir = '';
  let serve: ServeProcess;

  beforeAll(async () => {
    serveDir = tempDir('batchdesk-bad-http-');
    serveDb = join(serveDir, 'portfolios.sqlite');
    copyFileSync(template, serveDb);
    serve = await startServeProcess(serveDb, ENV);
  }, 300_000);

  afterAll(async () => {
    for (const c of helds) await stopChild(c);
    await serve?.stop();
  });

  it('has at least 40 cases across every surface', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.surface))).toEqual(new Set(['cli', 'contract', 'http', 'csv', 'dump', 'database file']));
  });

  for (const c of CASES) {
    it(`${c.surface}: ${c.input} -> exit ${c.exit}${c.status ? ` (HTTP ${c.status})` : ''}`, async () => {
      let env: CaseEnv;
      if (c.surface === 'http') env = { db: serveDb, dir: serveDir, serve };
      else {
        const dir = tempDir('batchdesk-bad-');
        env = { db: join(dir, 'portfolios.sqlite'), dir, serve };
        copyFileSync(template, env.db);
      }
      await c.prepare?.(env);
      const before = tableContents(env.db);
      const kept = (c.keepBytes?.(env) ?? []).map((p) => [p, sha256(p)] as const);
      const out = await c.run(env);
      expect(out.code, out.text).toBe(c.exit);
      expect(out.text).toMatch(c.message);
      if (c.status !== undefined) expect(out.status).toBe(c.status);
      expect(tableContents(env.db)).toEqual(before);
      for (const [p, sum] of kept) expect(sha256(p), p).toBe(sum);
      for (const p of c.absent?.(env) ?? []) expect(existsSync(p), `${p} must not exist`).toBe(false);
      c.check?.(env);
      if (c.surface !== 'http') expect(backupsOf(env)).toEqual([]);
    }, 60_000);
  }
});

describe('edge input on a surface: a CSV with a byte-order mark and CRLF line ends', () => {
  it('is accepted: exit 0, every row imported as csv, the BOM not part of the first column name', async () => {
    const dir = tempDir('batchdesk-bom-');
    const db = join(dir, 'portfolios.sqlite');
    copyFileSync(template, db);
    const csv = join(dir, 'bom.csv');
    writeFileSync(csv, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('symbol,date,close,volume\r\nZZTOP,2025-07-01,12.5,100\r\nZZTOP,2025-07-02,12.75,\r\n')]));
    const r = await runCli(['prices', 'import', csv, '--db', db], ENV);
    expect(r.code, r.stderr).toBe(0);
    const rows = new Database(db, { readonly: true }).prepare(`SELECT symbol, date, close, volume, data_source FROM market_data_cache WHERE symbol = 'ZZTOP' ORDER BY date`).all();
    expect(rows).toEqual([
      { symbol: 'ZZTOP', date: '2025-07-01', close: 12.5, volume: 100, data_source: 'csv' },
      { symbol: 'ZZTOP', date: '2025-07-02', close: 12.75, volume: null, data_source: 'csv' },
    ]);
  }, 120_000);
});
