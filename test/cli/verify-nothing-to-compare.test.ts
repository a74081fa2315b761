/**
 * "Nothing to check" is the same answer from every verify command (SPEC.md k.3, i.4, i.8): on a
 * database with nothing to compare with (no purge recorded, no date processed) the report says
 * that nothing was checked and what to do, and exits 4 (not a pass, and not a data or I/O
 * error: the database is fine), as reconcile and diagnose do. A purge id the user gives that
 * names no purge is a bad flag value: a usage error (exit 2). None of them changes the database.
 */
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { copyTo, ENV, SAFE_NOW } from '../support/safeguards';

let seeded = '';
beforeAll(() => {
  seeded = seedDemoDb(SAFE_NOW);
}, 120_000);

function maintenanceLog(db: string): unknown[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(`SELECT * FROM maintenance_log ORDER BY id`).all();
  } finally {
    d.close();
  }
}

describe('verify rowcounts without a purge to compare with', () => {
  it('reports that nothing was compared and how to get a baseline, with exit code 4', async () => {
    const db = copyTo(seeded);
    const r = await runCli(['verify', 'rowcounts', '--db', db, '--since-purge'], ENV);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('batchdesk verify rowcounts  no purge recorded');
    // The advised commands name this database, so they act on it rather than the default one.
    expect(r.stdout).toContain(`Result: no completed purge is recorded in maintenance_log, so nothing was compared; \`batchdesk purge --db ${db}\` (or \`batchdesk rebuild --db ${db}\`) records the row counts before it deletes`);
    const json = await runCli(['verify', 'rowcounts', '--db', db, '--json'], ENV);
    expect(json.code).toBe(4);
    expect(JSON.parse(json.stdout)).toMatchObject({ maintenanceId: null, purgedAt: null, lines: [], failed: true, message: expect.stringMatching(/^no completed purge is recorded/) });
    expect(maintenanceLog(db)).toEqual([]);
  });

  it('refuses an id that names no purge as a usage error (exit 2) that says which purge there is', async () => {
    const db = copyTo(seeded);
    const r = await runCli(['verify', 'rowcounts', '--db', db, '--since-purge', '7'], ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: maintenance_log has no row 7; give a purge's id, or no id for the latest purge (none is recorded yet)");
    const purge = await runCli(['purge', '--db', db, '--from', '2025-07-09', '--yes', '--no-backup'], ENV);
    expect(purge.code, purge.stderr).toBe(0);
    const again = await runCli(['verify', 'rowcounts', '--db', db, '--since-purge', '7'], ENV);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe("error: maintenance_log has no row 7; give a purge's id, or no id for the latest purge (#1)");
    expect((await runCli(['verify', 'rowcounts', '--db', db, '--since-purge'], ENV)).code).toBe(0);
  });
});

describe('verify views and verify guard on a database where no date was processed', () => {
  it('say that nothing was checked and exit 4', async () => {
    const db = copyTo(seeded);
    const views = await runCli(['verify', 'views', '--db', db], ENV);
    expect(views.code).toBe(4);
    expect(views.stdout).toContain('Result: nothing to check: no date has been processed yet; run a backfill first');
    const guard = await runCli(['verify', 'guard', '--db', db], ENV);
    expect(guard.code).toBe(4);
    expect(guard.stderr).toBe('error: nothing to check: the database has no snapshots; run a backfill first or give --date/--start-date');
    expect(maintenanceLog(db)).toEqual([]);
  });
});
