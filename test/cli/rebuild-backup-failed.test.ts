/**
 * A rebuild whose verified backup (step 0, j.5) fails has changed nothing: it exits 5 (k.3: a
 * backup failed), leaves the derived rows, the gate and settings.maintenance as they were, and
 * names no backup to restore. It closed the gate with a made-up G1 finding and exited 4, so the
 * next nightly run was refused although no data had moved.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, tempDir } from '../support/cli';
import { backfilledDemo, checksumsOf, copyTo, ENV, execOn } from '../support/safeguards';

let demo = '';
beforeAll(async () => {
  demo = await backfilledDemo();
}, 120_000);

const settingOf = (db: string, key: string): unknown =>
  execOn(db, (d) => {
    const r = d.prepare(`SELECT value FROM settings WHERE key = ?`).get(key) as { value: string } | undefined;
    return r ? JSON.parse(r.value) : null;
  });

describe('rebuild when its backup cannot be written', () => {
  it('exits 5, changes nothing (gate included) and names no backup; the next run is not refused', () => {
    const db = copyTo(demo);
    // The backup folder lies under a regular file: it cannot be created.
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, 'not a folder');
    execOn(db, (d) => d.prepare(`INSERT INTO settings (key, value) VALUES ('backup.dir', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(JSON.stringify(join(blocker, 'backups'))));
    const derived = ['position_marks', 'portfolio_snapshots', 'factor_exposures', 'stress_test_results', 'batch_run_tracking'];
    const before = { rows: checksumsOf(db, derived), gate: settingOf(db, 'gate') };

    const r = spawnSync(process.execPath, [BIN, 'rebuild', '--db', db, '--start-date', '2025-07-08', '--end-date', '2025-07-10', '--yes'], { cwd: tempDir(), env: { ...process.env, ...ENV }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(5);
    expect(r.stdout).toContain('[FAIL   ]');
    expect(r.stdout).toContain('the verified backup failed; nothing was purged or changed, and the gate is as it was');
    expect(r.stdout).toContain('Nothing was changed: the rebuild stopped before its purge, at its verified backup.');
    expect(r.stdout).not.toContain('<backup>');
    expect(r.stdout).not.toContain('The gate is closed');

    expect(checksumsOf(db, derived)).toEqual(before.rows);
    expect(settingOf(db, 'gate')).toEqual(before.gate);
    expect(settingOf(db, 'maintenance')).toMatchObject({ active: false });
    const run = spawnSync(process.execPath, [BIN, 'run', '--db', db, '--target-date', '2025-07-10', '--quiet'], { env: { ...process.env, ...ENV }, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
  }, 120_000);
});
