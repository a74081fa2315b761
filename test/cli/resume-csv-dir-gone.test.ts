/**
 * A resume reads the CSV price folder of the run it resumes (SPEC.md g.11). When that folder is
 * gone, the refusal names it as the stopped run's and says how to give its new place (it said
 * to fix --csv-dir or the setting, neither of which the user had given); nothing changes.
 */
import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { tableContents } from '../support/db-content';
import { seedDemoDb } from '../support/demo-db';
import { tempDir } from '../support/temp-dirs';
import { ENV, SAFE_NOW } from '../support/safeguards';

describe('run --resume of a run whose CSV folder is gone', () => {
  it("names the stopped run's folder and the flag that gives its new place; a resume given it goes on", async () => {
    const db = seedDemoDb(SAFE_NOW);
    const csv = join(tempDir(), 'closes');
    mkdirSync(csv);
    const first = await runCli(['run', '--db', db, '--market-data', 'offline', '--csv-dir', csv, '--start-date', '2025-07-01', '--end-date', '2025-07-02'], ENV);
    expect(first.code, first.stderr).toBe(0);
    // The run as a cancel leaves it: stopped, resumable.
    const sqlite = new Database(db);
    sqlite.prepare(`UPDATE batch_run_history SET status = 'cancelled'`).run();
    sqlite.close();
    rmSync(csv, { recursive: true });
    const before = tableContents(db);

    const r = await runCli(['run', '--db', db, '--resume', 'latest'], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: the run being resumed read prices from the CSV folder ${csv}, which no longer exists; give the folder's new place with --csv-dir DIR (the resume then reads that one)`);
    expect(tableContents(db)).toEqual(before);

    const moved = join(tempDir(), 'moved');
    mkdirSync(moved);
    const resumed = await runCli(['run', '--db', db, '--resume', 'latest', '--csv-dir', moved, '--market-data', 'offline'], ENV);
    expect(resumed.code, resumed.stderr).toBe(0);
  }, 120_000);
});
