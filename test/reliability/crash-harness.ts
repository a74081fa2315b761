/**
 * Crash consistency (SPEC.md g.11, m.1, m.12; issue 3 and 9): a real `batchdesk run`
 * child process is killed with SIGKILL at a seeded random point, then the database is
 * checked (integrity, every portfolio-date complete or absent, the lock recoverable), the run
 * is restarted to completion, and the result must equal an uninterrupted run in canonical form.
 */
import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffChecksums, fileContentChecksums } from '../../db/canonical';
import { runCliProcess, startCliProcess, tempDir } from '../support/cli';
import { seededRng } from '../support/calc-random';
import { seedDemoDb } from '../support/demo-db';

export interface CrashTrialResult {
  readonly seed: number;
  readonly killedAfterDates: number;
  readonly killDelayMs: number;
  readonly integrity: string;
  readonly partialPortfolioDates: readonly string[];
  readonly lockLeft: boolean;
  readonly restartExit: number;
  readonly differences: readonly string[];
  readonly consistent: boolean;
}

export interface CrashFixture {
  readonly seeded: string;
  readonly reference: string;
  readonly now: string;
}

/** A seeded demo and the uninterrupted run's result to compare against. */
export function prepareCrashFixture(now = '2025-08-08T23:00:00Z'): CrashFixture {
  const seeded = seedDemoDb(now);
  const reference = join(tempDir(), 'reference.db');
  copyFileSync(seeded, reference);
  const r = runCliProcess(['run', '--db', reference, '--quiet'], { BATCHDESK_NOW: now });
  if (r.code !== 0 && r.code !== 1) throw new Error(`reference run failed (${r.code}): ${r.stderr}`);
  return { seeded, reference, now };
}

/**
 * Every portfolio-date is all or nothing (m.1): a snapshot exists exactly when marks exist and
 * the date's tracking row has that portfolio's snapshot entry; analytics rows never exist
 * without the snapshot.
 */
export function partialPortfolioDates(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    const keys = new Set<string>();
    const snaps = new Set<string>();
    const marks = new Set<string>();
    const analytics = new Set<string>();
    for (const r of db.prepare(`SELECT portfolio_id || '|' || snapshot_date AS k FROM portfolio_snapshots`).all() as { k: string }[]) snaps.add(r.k);
    for (const r of db.prepare(`SELECT DISTINCT portfolio_id || '|' || mark_date AS k FROM position_marks`).all() as { k: string }[]) marks.add(r.k);
    for (const r of db.prepare(`SELECT DISTINCT portfolio_id || '|' || calculation_date AS k FROM factor_exposures UNION SELECT DISTINCT portfolio_id || '|' || calculation_date FROM stress_test_results`).all() as { k: string }[]) analytics.add(r.k);
    const tracked = new Set<string>();
    for (const t of db.prepare(`SELECT run_date, phase_status FROM batch_run_tracking WHERE phase_status IS NOT NULL`).all() as { run_date: string; phase_status: string }[]) {
      const ps = JSON.parse(t.phase_status) as { snapshots?: { portfolios?: Record<string, { status: string }> } };
      for (const [pid, e] of Object.entries(ps.snapshots?.portfolios ?? {})) if (e.status === 'success') tracked.add(`${pid}|${t.run_date}`);
    }
    for (const s of [snaps, marks, analytics, tracked]) for (const k of s) keys.add(k);
    const bad: string[] = [];
    for (const k of keys) {
      const complete = snaps.has(k) && marks.has(k) && tracked.has(k);
      const absent = !snaps.has(k) && !marks.has(k) && !analytics.has(k) && !tracked.has(k);
      if (!complete && !absent) bad.push(`${k} snapshot=${snaps.has(k)} marks=${marks.has(k)} analytics=${analytics.has(k)} tracking=${tracked.has(k)}`);
    }
    return bad.sort();
  } finally {
    db.close();
  }
}

export async function runCrashTrial(fixture: CrashFixture, seed: number): Promise<CrashTrialResult> {
  const rng = seededRng(seed);
  const path = join(tempDir('batchdesk-crash-'), 'crash.db');
  copyFileSync(fixture.seeded, path);
  const killAfterDates = Math.floor(rng.next() * 24);
  const killDelayMs = Math.floor(rng.next() * 120);
  const child = startCliProcess(['run', '--db', path], { BATCHDESK_NOW: fixture.now });
  let dates = 0;
  let killed = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stderr!.on('data', (chunk: Buffer) => {
    dates += (chunk.toString().match(/ portfolios \d+\/\d+ /g) ?? []).length;
    if (!killed && dates >= killAfterDates) {
      killed = true;
      setTimeout(() => child.kill('SIGKILL'), killDelayMs);
    }
  });
  child.stdout!.resume();
  await exited;
  const db = new Database(path);
  const integrity = (db.pragma('integrity_check', { simple: true }) as string) ?? 'unknown';
  const lockLeft = (db.prepare(`SELECT count(*) AS n FROM run_lock`).get() as { n: number }).n > 0;
  db.close();
  const partial = partialPortfolioDates(path);
  const restart = runCliProcess(['run', '--db', path, '--quiet'], { BATCHDESK_NOW: fixture.now });
  const differences = diffChecksums(fileContentChecksums(fixture.reference), fileContentChecksums(path));
  return {
    seed,
    killedAfterDates: dates,
    killDelayMs,
    integrity,
    partialPortfolioDates: partial,
    lockLeft,
    restartExit: restart.code,
    differences,
    consistent: integrity === 'ok' && partial.length === 0 && (restart.code === 0 || restart.code === 1) && differences.length === 0,
  };
}
