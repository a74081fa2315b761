/**
 * Resuming and `history` after a rebuild killed with SIGKILL in its backfill (SPEC.md j.5, g.11,
 * i.5). The rebuild's runs are recorded with mode 'rebuild' (b.4): `run --resume` never picks one
 * (the latest falls back to an older run, or says nothing is resumable and names the rebuild to
 * run again) and `run --resume ID` refuses one with that advice (exit 2); `history` shows them
 * as the rebuild's and `history --running` the backfill of a rebuild that holds the lock (SPEC.md
 * j.5 step 3), neither advising a resume. `history --running`'s latest completed date is the
 * latest date a run finished, not the one the kill left (closed as failed by the takeover).
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { killRebuildChild, purgeReported, readRow } from '../support/killed-rebuild';
import { backfilledDemo, copyTo, ENV } from '../support/safeguards';

const read = readRow;

/** The date the rebuild's backfill has started and not finished (committed at the date's start), if any. */
const openBackfillDate = (db: string): string | null =>
  read<{ d: string | null }>(db, `SELECT max(t.run_date) AS d FROM batch_run_tracking t JOIN batch_run_history h ON h.id = t.run_id WHERE h.status = 'running' AND t.completed_at IS NULL`)?.d ?? null;

/** Whether the rebuild's backfill has committed a date and is on the next one. */
const onASecondDate = (db: string) => () =>
  openBackfillDate(db) !== null &&
  read<{ n: number }>(db, `SELECT count(*) AS n FROM batch_run_tracking t JOIN batch_run_history h ON h.id = t.run_id WHERE h.status = 'running' AND t.completed_at IS NOT NULL`)!.n > 0;

/** A real `batchdesk rebuild` of `start .. end`, SIGKILLed in its backfill once `due()` says so (polled from the database it writes). */
async function killRebuild(db: string, start: string, end: string, due: () => boolean): Promise<void> {
  await killRebuildChild(['--db', db, '--start-date', start, '--end-date', end], (output) => purgeReported(output) && due());
}

describe('run --resume and history after a killed rebuild', () => {
  it("never resumes the rebuild's runs: the latest is an older run, or none, naming the rebuild to run again", async () => {
    const db = copyTo(await backfilledDemo());
    const demo = read<{ id: string; batch_run_id: string }>(db, `SELECT id, batch_run_id FROM batch_run_history`)!;
    await killRebuild(db, '2025-07-01', '2025-07-08', onASecondDate(db));
    const backfill = read<{ id: string; batch_run_id: string; mode: string }>(db, `SELECT id, batch_run_id, mode FROM batch_run_history WHERE status = 'running'`)!;
    expect(backfill.mode).toBe('rebuild');
    const rerun = `\`batchdesk rebuild --start-date 2025-07-01 --end-date 2025-07-08 --db ${db}\``;

    // Before anyone takes the dead lock over, `history --running` shows the rebuild's backfill
    // as stopped, with the rebuild to run again and no resume.
    const stopped = await runCli(['history', '--running', '--db', db], ENV);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toMatch(new RegExp(`Run: ${backfill.batch_run_id} interrupted  dates [1-9]\\d*/\\d+ done`));
    expect(stopped.stdout).toContain(`Run it again with ${rerun}`);
    expect(stopped.stdout).not.toContain('--resume');
    const stoppedJson = JSON.parse((await runCli(['history', '--running', '--json', '--db', db], ENV)).stdout);
    expect(stoppedJson.run).toMatchObject({ batchRunId: backfill.batch_run_id, mode: 'rebuild', status: 'interrupted', processGone: true });

    // The resume takes the dead lock over (the backfill is then interrupted) and refuses it.
    const latest = await runCli(['run', '--resume', '--db', db], ENV);
    expect(latest.code, latest.stdout).toBe(2);
    expect(latest.stderr).toContain(
      `there is no interrupted or cancelled run to resume: the latest one, ${backfill.batch_run_id}, was a step of the rebuild of 2025-07-01 .. 2025-07-08, which a resume cannot finish (the rebuild purged the range before that run and verifies it after); run the rebuild again with ${rerun}`,
    );
    expect(read<{ status: string }>(db, `SELECT status FROM batch_run_history WHERE id = '${backfill.id}'`)!.status).toBe('interrupted');
    const byId = await runCli(['run', '--resume', backfill.batch_run_id, '--db', db], ENV);
    expect(byId.code, byId.stdout).toBe(2);
    expect(byId.stderr).toContain(`run ${backfill.batch_run_id} was a step of the rebuild of 2025-07-01 .. 2025-07-08, which a resume cannot finish`);
    expect(byId.stderr).toContain(`run the rebuild again with ${rerun}`);
    expect(read<{ n: number }>(db, `SELECT count(*) AS n FROM batch_run_history WHERE mode = 'resume'`)!.n).toBe(0);

    // `history` shows it as the rebuild's, and advises no resume.
    const json = await runCli(['history', '--json', '--db', db], ENV);
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout).runs as { batchRunId: string; mode: string; status: string }[]).find((r) => r.batchRunId === backfill.batch_run_id)).toMatchObject({ mode: 'rebuild', status: 'interrupted' });
    for (const args of [['history'], ['history', '--running'], ['history', '--running', '--json']]) {
      const text = await runCli([...args, '--db', db], ENV);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).not.toContain('--resume');
    }

    // An older stopped run is still resumed: the rebuild's, though later, is passed over. (The
    // demo backfill made a run over the range that was cancelled.)
    const w = new Database(db);
    w.prepare(`UPDATE batch_run_history SET status = 'cancelled', options = json_set(options, '$.startDate', '2025-07-01', '$.endDate', '2025-07-08') WHERE id = ?`).run(demo.id);
    w.close();
    const plan = await runCli(['run', '--resume', '--dry-run', '--db', db], ENV);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`resume:${demo.batch_run_id}`);
    expect(plan.stdout).not.toContain(backfill.batch_run_id);
  }, 180_000);

  it("history --running's latest completed date after cancel is the last date finished, not the one the kill left", async () => {
    // The rebuild ends on the latest tracked date, so the date in flight is the latest date of all.
    let db = '';
    let inFlight: string | null = null;
    for (let attempt = 0; attempt < 3 && inFlight === null; attempt++) {
      db = copyTo(await backfilledDemo());
      await killRebuild(db, '2025-07-01', '2025-07-10', onASecondDate(db));
      inFlight = openBackfillDate(db);
    }
    expect(inFlight, 'the kill landed between dates three times').not.toBeNull();
    const finished = read<{ d: string }>(db, `SELECT max(run_date) AS d FROM batch_run_tracking WHERE completed_at IS NOT NULL AND run_date < '${inFlight}'`)!.d;

    const cancel = await runCli(['cancel', '--db', db], ENV);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(read<{ status: string }>(db, `SELECT status FROM batch_run_tracking WHERE run_date = '${inFlight}'`)!.status).toBe('failed');
    const json = await runCli(['history', '--running', '--json', '--db', db], ENV);
    expect(JSON.parse(json.stdout).latestCompletedDate).toBe(finished);
    const text = await runCli(['history', '--running', '--db', db], ENV);
    expect(text.stdout).toContain(`Dates in progress: none   Latest completed date: ${finished}`);
  }, 300_000);
});
