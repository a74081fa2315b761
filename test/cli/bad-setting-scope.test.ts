/**
 * A setting stored out of its range (the file edited by hand) refuses the commands that read
 * it, and only those (SPEC.md k.4): `backup` and the reports still work when a run's setting is
 * bad, so the user can back the file up before mending it. A flag that sets the same value
 * (`--implied-vol`, `--threshold`) takes the stored value's place and gets past it.
 */
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { backfilledDemo, copyTo, ENV } from '../support/safeguards';

let backfilled = '';
beforeAll(async () => {
  backfilled = await backfilledDemo();
}, 240_000);

/** A copy of the backfilled demo with `key` stored as `json`. */
function withSetting(key: string, json: string): string {
  const db = copyTo(backfilled);
  const d = new Database(db);
  d.prepare(`INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES (?, ?, '2025-07-10T23:00:00.000Z')`).run(key, json);
  d.close();
  return db;
}

const IMPLIED_VOL_REFUSAL =
  "error: invalid settings in the database: setting options.implied_vol: 0 is not allowed; it must be a number > 0 and <= 5. Delete the row so the default applies (in sqlite3 on the database file: DELETE FROM settings WHERE key IN ('options.implied_vol');), or store a valid value with the app contract's setSettings command";

describe('a bad stored setting', () => {
  it('refuses a run, which reads it, as a data error naming it', async () => {
    const db = withSetting('options.implied_vol', '0');
    const r = await runCli(['run', '--db', db, '--target-date', '2025-07-10'], ENV);
    expect(r.stderr).toBe(IMPLIED_VOL_REFUSAL);
    expect(r.code).toBe(5);
  });

  it('is passed by the flag that sets the same value', async () => {
    const db = withSetting('options.implied_vol', '0');
    const r = await runCli(['run', '--db', db, '--target-date', '2025-07-10', '--implied-vol', '0.3'], ENV);
    expect(r.stderr).not.toContain('invalid settings');
    expect(r.code).toBe(0);
  });

  it('does not stop the commands that do not read it: backup, reconcile, diagnose prices, verify guard', async () => {
    const db = withSetting('options.implied_vol', '0');
    for (const args of [['backup'], ['reconcile'], ['diagnose', 'prices'], ['verify', 'guard']]) {
      const r = await runCli([...args, '--db', db], ENV);
      expect({ args, stderr: r.stderr, code: r.code }).toEqual({ args, stderr: '', code: 0 });
    }
  });

  it("refuses reconcile when it is reconcile's own threshold, and --threshold gets past it", async () => {
    const db = withSetting('reconcile.threshold', '-1');
    const refused = await runCli(['reconcile', '--db', db], ENV);
    expect(refused.stderr).toContain("invalid settings in the database: setting reconcile.threshold: -1 is not allowed; it must be a number > 0.");
    expect(refused.stderr).toContain("DELETE FROM settings WHERE key IN ('reconcile.threshold');");
    expect(refused.code).toBe(5);
    const passed = await runCli(['reconcile', '--db', db, '--threshold', '1'], ENV);
    expect(passed.stderr).toBe('');
    expect(passed.code).toBe(0);
  });

  it("refuses backup when it is backup's own setting", async () => {
    const db = withSetting('backup.keep', '-3');
    const r = await runCli(['backup', '--db', db], ENV);
    expect(r.stderr).toContain('invalid settings in the database: setting backup.keep: -3 is not allowed');
    expect(r.code).toBe(5);
  });
});
