/**
 * What a `batchdesk rebuild` killed after its backup leaves in a database file, made by hand (fast;
 * test/cli/rebuild-killed.test.ts kills a real one): its lock held by a pid that has exited, its
 * open maintenance_log row naming its range and backup, settings.maintenance on. The next taker of
 * the lock closes the rebuild as failed and the gate over its range; killedRebuildWords is what
 * every taker says about it (core/maintenance/takeover-words.ts).
 */
import { hostname } from 'node:os';
import { formatTimestamp } from '../../core/domain/timestamp';
import { startMaintenance } from '../../db/maintenance/maintenance-log';
import { openStore } from '../../host/engine-host';
import { exitedPid } from './child-processes';

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
