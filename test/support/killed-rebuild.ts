/**
 * What a `batchdesk rebuild` killed after its backup leaves in a database file, made by hand (fast;
 * test/cli/rebuild-killed.test.ts kills a real one): its lock held by a pid that has exited, its
 * open maintenance_log row naming its range and backup, settings.maintenance on. The next taker of
 * the lock closes the rebuild as failed and the gate over its range; killedRebuildWords is what
 * every taker says about it (core/maintenance/takeover-words.ts). killRebuildChild kills a real one.
 */
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { formatTimestamp } from '../../core/domain/timestamp';
import { startMaintenance } from '../../db/maintenance/maintenance-log';
import { openStore } from '../../host/engine-host';
import { exitedPid } from './child-processes';
import { startCliProcess } from './cli';
import { ENV } from './safeguards';

/** The range of the killed rebuild, and its trading days (what the gate closes over). */
export const KILLED_RANGE = { start: '2025-07-01', end: '2025-07-08' } as const;
export const KILLED_RANGE_DATES = ['2025-07-01', '2025-07-02', '2025-07-03', '2025-07-07', '2025-07-08'] as const;

/** The pre-rebuild backup the killed rebuild's row names. */
export const KILLED_BACKUP = '/backups/portfolios.pre-rebuild.sqlite';

/** Leaves a killed rebuild of KILLED_RANGE (all portfolios) in the closed database file at `path`, stamped `now`; returns the dead pid its lock names. */
export function leaveKilledRebuild(path: string, now: string): number {
  const pid = exitedPid();
  const nowIso = formatTimestamp(Date.parse(now));
  const opened = openStore(path, { mustExist: true });
  try {
    opened.store.acquireLock({ kind: 'rebuild', runId: 'rebuild-dead', holder: 'cli', host: hostname(), pid, acquiredAt: nowIso, heartbeatAt: nowIso }, () => false, nowIso);
    startMaintenance(opened.db, 'rebuild', { range: KILLED_RANGE, portfolio_ids: [], folder: '/backups', backup_file: KILLED_BACKUP }, nowIso, 'rebuild-dead');
    opened.store.setSetting('maintenance', { active: true, reason: 'rebuild', since: nowIso }, nowIso);
  } finally {
    opened.close();
  }
  return pid;
}

/** What a taker of the lock left by leaveKilledRebuild(path) says it did, and the ways out (the `--db` in the commands is the file's path). */
export function killedRebuildWords(pid: number, path: string): string {
  return (
    `the rebuild holding the lock (pid ${pid} on ${hostname()}) stopped before it finished: taking its lock over closed it as failed and closed the regression gate over ${KILLED_RANGE.start} .. ${KILLED_RANGE.end}; ` +
    `run it again with \`batchdesk rebuild --start-date ${KILLED_RANGE.start} --end-date ${KILLED_RANGE.end} --db ${path}\`, or put the pre-rebuild backup ${KILLED_BACKUP} back with \`batchdesk restore ${KILLED_BACKUP} --db ${path}\``
  );
}

/**
 * Starts a real `batchdesk rebuild ARGS --yes` (from the sources) and SIGKILLs it once `due`,
 * given its output so far, says so (polled as output comes and every 10 ms, so a state read from
 * the database it writes is seen too). Resolves to its output once it has died of the kill.
 */
export async function killRebuildChild(args: readonly string[], due: (output: string) => boolean): Promise<string> {
  const child = startCliProcess(['rebuild', ...args, '--yes'], { ...ENV, BATCHDESK_NO_BUNDLE: '1' });
  let output = '';
  const check = () => {
    if (child.exitCode === null && child.signalCode === null && due(output)) child.kill('SIGKILL');
  };
  const onData = (d: Buffer) => {
    output += d.toString();
    check();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const poll = setInterval(check, 10);
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, s) => resolve(s)));
  clearInterval(poll);
  if (signal !== 'SIGKILL') throw new Error(`the rebuild ended (${String(signal)}) before it could be killed:\n${output}`);
  return output;
}

/** Whether the rebuild has reported its purge step (its backfill comes next). */
export const purgeReported = (output: string): boolean => /\bpurge: /.test(output);

/** Whether a rebuild's backfill run in the database file at `db` has committed a date (read while the child writes it). */
export const backfillCommittedADate = (db: string) => (): boolean =>
  readRow<{ n: number }>(db, `SELECT count(*) AS n FROM batch_run_tracking t JOIN batch_run_history h ON h.id = t.run_id WHERE h.status = 'running' AND t.completed_at IS NOT NULL`)!.n > 0;

/** One row of `sql` read from the database file at `db` on a read-only connection (undefined when none). */
export function readRow<T>(db: string, sql: string): T | undefined {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).get() as T | undefined;
  } finally {
    d.close();
  }
}
