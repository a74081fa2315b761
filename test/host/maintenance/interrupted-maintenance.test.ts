/**
 * Taking over the lock of a dead maintenance process (db/maintenance/interrupted-maintenance.ts,
 * SPEC.md g.9, m.17, j.5): every taker passes through the lock repository, so a purge, restore or
 * import row left open with a NULL status is closed as failed and interrupted whether the taker
 * is a maintenance operation (acquireMaintenanceLock) or `cancel` (clearStaleLock); a live
 * holder's row is left alone. For a killed rebuild the takeover's result says what it cleaned
 * up (the rebuild, the gate it closed over its range), and every taker reports it from there:
 * the engine (a run, a resume) and `cancel` emit `gate_changed` through their telemetry, and
 * `cancel` advises running the rebuild again or restoring its backup, not resuming a run.
 * (test/cli/rebuild-killed.test.ts does the same with a real rebuild process killed.)
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import { formatTimestamp } from '../../../core/domain/timestamp';
import type { TelemetrySink } from '../../../core/telemetry/record-metric';
import { readGate } from '../../../db/maintenance/gate-setting';
import { getMaintenance, startMaintenance } from '../../../db/maintenance/maintenance-log';
import { openStore, staleJudge, type OpenedDatabase } from '../../../host/engine-host';
import { cancelRun } from '../../../host/maintenance/cancel';
import { acquireMaintenanceLock } from '../../../host/maintenance/maintenance-lock';
import { exitedPid } from '../../support/child-processes';
import { tempDir } from '../../support/cli';
import { runDemo, seedDemoDb } from '../../support/demo-db';
import { SAFE_NOW } from '../../support/safeguards';

const NOW = Date.parse('2025-07-10T23:00:00Z');
const clock = { now: () => NOW };
const nowIso = formatTimestamp(NOW);

/** A new database whose lock is held by `pid` (kind purge) with an open purge row. */
function leftByPurge(pid: number) {
  const opened = openStore(join(tempDir(), 'left.db'));
  opened.store.acquireLock({ kind: 'purge', runId: 'purge-dead', holder: 'cli', host: hostname(), pid, acquiredAt: nowIso, heartbeatAt: nowIso }, () => false, nowIso);
  const id = startMaintenance(opened.db, 'purge', { range: { start: '2025-07-01', end: '2025-07-08' } }, nowIso, 'purge-dead');
  return { opened, id };
}

describe('taking over the lock of a dead maintenance process', () => {
  it('closes the purge row it left open as failed and interrupted (maintenance lock)', () => {
    const pid = exitedPid();
    const { opened, id } = leftByPurge(pid);
    try {
      acquireMaintenanceLock(opened.db, opened.store, 'restore', 'cli', clock, opened.path).release();
      const row = getMaintenance(opened.db, id)!;
      expect(row.status).toBe('failed');
      expect(row.completedAt).toBe(nowIso);
      expect(row.details).toMatchObject({ interrupted: true, error: `interrupted: the purge process (pid ${pid} on ${hostname()}) stopped before it finished`, range: { start: '2025-07-01', end: '2025-07-08' } });
    } finally {
      opened.close();
    }
  });

  it('closes it as well when `cancel` clears the stale lock', () => {
    const { opened, id } = leftByPurge(exitedPid());
    try {
      expect(opened.store.clearStaleLock(staleJudge(opened.store, clock, opened.path), nowIso)).not.toBeNull();
      expect(getMaintenance(opened.db, id)).toMatchObject({ status: 'failed', details: { interrupted: true } });
    } finally {
      opened.close();
    }
  });

  it('leaves the row of a live holder open', () => {
    const { opened, id } = leftByPurge(process.ppid);
    try {
      expect(() => acquireMaintenanceLock(opened.db, opened.store, 'restore', 'cli', clock, opened.path)).toThrow();
      expect(getMaintenance(opened.db, id)).toMatchObject({ status: null, completedAt: null });
    } finally {
      opened.close();
    }
  });
});

const BACKUP = '/backups/portfolios.pre-rebuild.sqlite';

/** Leaves in `opened` what a rebuild killed after its backup leaves: its lock (held by `pid`), its open row naming the backup, settings.maintenance on. */
function leaveKilledRebuild(opened: OpenedDatabase, pid: number): number {
  opened.store.acquireLock({ kind: 'rebuild', runId: 'rebuild-dead', holder: 'cli', host: hostname(), pid, acquiredAt: nowIso, heartbeatAt: nowIso }, () => false, nowIso);
  const id = startMaintenance(opened.db, 'rebuild', { range: { start: '2025-07-01', end: '2025-07-08' }, portfolio_ids: [], folder: '/backups', backup_file: BACKUP }, nowIso, 'rebuild-dead');
  opened.store.setSetting('maintenance', { active: true, reason: 'rebuild', since: nowIso }, nowIso);
  return id;
}

/** leaveKilledRebuild on the database file at `path`. */
function leaveKilledRebuildIn(path: string, pid: number): void {
  const opened = openStore(path, { mustExist: true });
  try {
    leaveKilledRebuild(opened, pid);
  } finally {
    opened.close();
  }
}

/** Why the takeover closed the gate (its gate change's reason, and the finding's message). */
const gateReason = (pid: number, dbPath: string) =>
  `rebuild failed: interrupted: the rebuild process (pid ${pid} on ${hostname()}) stopped before it finished; restore the backup with \`batchdesk restore ${BACKUP} --db ${dbPath}\``;

/** A sink that keeps the `gate_changed` metrics it receives. */
function gateChanges(): { sink: TelemetrySink; events: TelemetryEvent[] } {
  const events: TelemetryEvent[] = [];
  return { events, sink: { name: 'gate-changes', handle: (e) => void (e.event === 'metric' && e.payload.name === 'gate_changed' && events.push(e)) } };
}

describe('taking over the lock of a killed rebuild', () => {
  it('returns what it cleaned up: the rebuild it closed and the gate change, from acquireLock and clearStaleLock alike', () => {
    const takers = {
      acquireLock: (o: OpenedDatabase) => {
        const r = o.store.acquireLock({ kind: 'purge', runId: 'taker', holder: 'cli', host: hostname(), pid: process.pid, acquiredAt: nowIso, heartbeatAt: nowIso }, staleJudge(o.store, clock, o.path), nowIso);
        return r.acquired ? r.tookOver : null;
      },
      clearStaleLock: (o: OpenedDatabase) => o.store.clearStaleLock(staleJudge(o.store, clock, o.path), nowIso),
    };
    for (const [name, take] of Object.entries(takers)) {
      const pid = exitedPid();
      const opened = openStore(join(tempDir(), 'left.db'));
      try {
        const id = leaveKilledRebuild(opened, pid);
        const takeover = take(opened);
        expect(takeover, name).toEqual({
          lock: expect.objectContaining({ kind: 'rebuild', runId: 'rebuild-dead', pid }),
          interruptedRebuild: {
            maintenanceId: id,
            startedAt: nowIso,
            range: { start: '2025-07-01', end: '2025-07-08' },
            backupFile: BACKUP,
            restoreCommand: `batchdesk restore ${BACKUP} --db ${opened.path}`,
            rerunCommand: `batchdesk rebuild --start-date 2025-07-01 --end-date 2025-07-08 --db ${opened.path}`,
          },
          gateChange: { state: 'closed', reason: gateReason(pid, opened.path) },
        });
        // The change it returns is the one it made.
        expect(readGate(opened.db).findings?.[0]?.message, name).toBe(takeover!.gateChange!.reason);
      } finally {
        opened.close();
      }
    }
  });

  it('`cancel` reports the gate it closed (gate_changed) and advises running the rebuild again or restoring its backup, not resuming a run', async () => {
    const pid = exitedPid();
    const opened = openStore(join(tempDir(), 'left.db'));
    try {
      leaveKilledRebuild(opened, pid);
      const seen = gateChanges();
      const r = await cancelRun(opened, { force: false, waitMs: 0, commandSuffix: ' --db x', events: { sinks: [seen.sink], source: 'cli' } }, clock);
      expect(r).toMatchObject({ requested: false, stopped: true });
      expect(r.message).toBe(
        `the rebuild holding the lock (rebuild-dead, pid ${pid} on ${hostname()}) is no longer running; its lock was released, the rebuild closed as failed and the regression gate closed over 2025-07-01 .. 2025-07-08; ` +
          `run it again with \`batchdesk rebuild --start-date 2025-07-01 --end-date 2025-07-08 --db ${opened.path}\`, or put the pre-rebuild backup ${BACKUP} back with \`batchdesk restore ${BACKUP} --db ${opened.path}\``,
      );
      expect(seen.events.map((e) => [e.level, e.source, e.payload])).toEqual([['error', 'cli', expect.objectContaining({ tags: { state: 'closed', reason: gateReason(pid, opened.path) } })]]);
    } finally {
      opened.close();
    }
  });

  it('a run, and a resume, that take it over report the gate it closed (gate_changed) through the run\'s telemetry', async () => {
    const seeded = seedDemoDb(SAFE_NOW);
    const leave = (pid: number) => leaveKilledRebuildIn(seeded, pid);

    // A run: its own acquisition of the lock takes it over (with --ignore-gate: the gate it closed refuses a run without).
    const runPid = exitedPid();
    leave(runPid);
    const run = gateChanges();
    const ran = await runDemo(seeded, SAFE_NOW, { startDate: '2025-07-01', endDate: '2025-07-02', guard: false, ignoreGate: true }, { sinks: [run.sink] });
    expect(ran.kind).toBe('run');
    expect(run.events.map((e) => [e.level, e.payload])).toEqual([['error', expect.objectContaining({ tags: { state: 'closed', reason: gateReason(runPid, seeded) } })]]);
    expect(run.events[0]!.run_id).not.toBeNull();

    // A resume: it takes the stale lock away before planning (g.11); the run it resumes reports it.
    const controller = new AbortController();
    let dates = 0;
    const stop: TelemetrySink = { name: 'cancel-after-1', handle: (e) => void (e.event === 'date_result' && ++dates === 1 && controller.abort()) };
    const cancelled = await runDemo(seeded, SAFE_NOW, { startDate: '2025-07-03', endDate: '2025-07-08', guard: false, ignoreGate: true }, { sinks: [stop], signal: controller.signal });
    expect(cancelled.exitCode).toBe(130);
    const resumePid = exitedPid();
    leave(resumePid);
    const resume = gateChanges();
    const resumed = await runDemo(seeded, SAFE_NOW, { resume: 'latest', guard: false, ignoreGate: true }, { sinks: [resume.sink] });
    expect(resumed.kind).toBe('run');
    expect(resume.events.map((e) => [e.level, e.payload])).toEqual([['error', expect.objectContaining({ tags: { state: 'closed', reason: gateReason(resumePid, seeded) } })]]);
  }, 120_000);

  it('refuses the run that took it over, and a resume that did, as at any closed gate (g.6 checks the gate after the lock), saying what it found and the ways out', async () => {
    const seeded = seedDemoDb(SAFE_NOW);
    const leave = (pid: number) => leaveKilledRebuildIn(seeded, pid);
    const refusal = (pid: number) =>
      `the rebuild holding the lock (pid ${pid} on ${hostname()}) stopped before it finished: taking its lock over closed it as failed and closed the regression gate over 2025-07-01 .. 2025-07-08; ` +
      `run it again with \`batchdesk rebuild --start-date 2025-07-01 --end-date 2025-07-08 --db ${seeded}\`, or put the pre-rebuild backup ${BACKUP} back with \`batchdesk restore ${BACKUP} --db ${seeded}\`, or start the run with --ignore-gate`;
    const runs = () => {
      const opened = openStore(seeded, { mustExist: true });
      try {
        return (opened.db.prepare(`SELECT count(*) AS n FROM batch_run_history`).get() as { n: number }).n;
      } finally {
        opened.close();
      }
    };

    const runPid = exitedPid();
    leave(runPid);
    await expect(runDemo(seeded, SAFE_NOW, { startDate: '2025-07-01', endDate: '2025-07-02' })).rejects.toMatchObject({ code: 'gate_closed', exitCode: 4, message: refusal(runPid) });
    // Refused before it started: no history row, the lock free again, the gate closed with the rebuild's finding.
    expect(runs()).toBe(0);
    const after = openStore(seeded, { mustExist: true });
    try {
      expect(after.store.readLock()).toBeNull();
      expect(readGate(after.db)).toMatchObject({ state: 'closed', dates: ['2025-07-01', '2025-07-02', '2025-07-03', '2025-07-07', '2025-07-08'] });
    } finally {
      after.close();
    }

    // A resume takes the stale lock away before planning (g.11): refused the same way.
    const controller = new AbortController();
    let dates = 0;
    const stop: TelemetrySink = { name: 'cancel-after-1', handle: (e) => void (e.event === 'date_result' && ++dates === 1 && controller.abort()) };
    expect((await runDemo(seeded, SAFE_NOW, { startDate: '2025-07-03', endDate: '2025-07-08', guard: false, ignoreGate: true }, { sinks: [stop], signal: controller.signal })).exitCode).toBe(130);
    const resumePid = exitedPid();
    leave(resumePid);
    await expect(runDemo(seeded, SAFE_NOW, { resume: 'latest', guard: false })).rejects.toMatchObject({ code: 'gate_closed', message: refusal(resumePid) });
  }, 120_000);

  it('an up-to-date resume that took it over is refused at the gate it closed (m.16), saying so; with --ignore-gate among its warnings', async () => {
    const seeded = seedDemoDb(SAFE_NOW);
    // A run over the automatic range cancelled after its first date, whose other dates another run then did: its resume is up to date.
    const controller = new AbortController();
    const stop: TelemetrySink = { name: 'cancel-after-1', handle: (e) => void (e.event === 'date_result' && controller.abort()) };
    expect((await runDemo(seeded, SAFE_NOW, { guard: false }, { sinks: [stop], signal: controller.signal })).exitCode).toBe(130);
    expect((await runDemo(seeded, SAFE_NOW, { guard: false })).exitCode).toBe(0);
    const pid = exitedPid();
    leaveKilledRebuildIn(seeded, pid);
    const took = new RegExp(`^the rebuild holding the lock \\(pid ${pid} on .+\\) stopped before it finished: taking its lock over closed it as failed and closed the regression gate over 2025-07-01 \\.\\. 2025-07-08; run it again with `);
    await expect(runDemo(seeded, SAFE_NOW, { resume: 'latest', guard: false })).rejects.toMatchObject({ code: 'gate_closed', message: expect.stringMatching(took) });
    leaveKilledRebuildIn(seeded, pid);
    const resumed = await runDemo(seeded, SAFE_NOW, { resume: 'latest', guard: false, ignoreGate: true });
    expect(resumed.kind).toBe('up_to_date');
    expect(resumed.kind === 'up_to_date' && resumed.summary.warnings).toContainEqual(expect.stringMatching(took));
  }, 120_000);
});
