/**
 * The synthetic seed a run uses and records (SPEC.md e.9, k.2 `--seed`, m.7, m.8; engine-host's
 * syntheticSources and core/engine/settings' sourcesProblem). settings.synthetic names the
 * seed of the synthetic prices the database holds: a run records a configuration only once it
 * generates prices with it, and a run with another --seed than the recorded one is refused up
 * front (exit 2, nothing written), so `seed-demo` stays idempotent after any run.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli';
import { tableContents } from '../support/db-content';

const ENV = { BATCHDESK_NOW: '2025-07-31T23:00:00Z' };

function syntheticSeed(path: string): number | null {
  const db = new Database(path, { readonly: true });
  const row = db.prepare(`SELECT json_extract(value, '$.seed') AS seed FROM settings WHERE key = 'synthetic'`).get() as { seed: number } | undefined;
  db.close();
  return row?.seed ?? null;
}

describe('the synthetic seed of a run', () => {
  it('on the seeded demo: another --seed is refused before anything is written, and seed-demo stays idempotent', async () => {
    const path = join(tempDir('batchdesk-seed-'), 'demo.db');
    expect((await runCli(['seed-demo', '--db', path], ENV)).code).toBe(0);
    const seeded = tableContents(path);

    const refused = await runCli(['run', '--db', path, '--target-date', '2025-07-25', '--seed', '7'], ENV);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(
      // The advised seed-demo names this database (--db), so it resets this demo and not the default one.
      `error: this database holds synthetic prices of seed 42; a run cannot continue them with seed 7. Leave out --seed to go on with seed 42, or start the demo over with \`batchdesk seed-demo --reset --seed 7 --db ${path}\`.`,
    );
    expect(tableContents(path)).toEqual(seeded);

    const plan = await runCli(['run', '--db', path, '--target-date', '2025-07-25', '--seed', '7', '--dry-run', '--summary-json'], ENV);
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({ warnings: [expect.stringMatching(/^a run now would be refused: this database holds synthetic prices of seed 42/)], refused_by: ['usage'] });
    const same = await runCli(['run', '--db', path, '--target-date', '2025-07-25', '--seed', '42', '--dry-run', '--summary-json'], ENV);
    expect(JSON.parse(same.stdout)).toMatchObject({ warnings: [], refused_by: [] });

    const again = await runCli(['seed-demo', '--db', path], ENV);
    expect(again.code, again.stderr).toBe(0);
    expect(tableContents(path)).toEqual(seeded);
    expect(syntheticSeed(path)).toBe(42);
  }, 120_000);

  it('without synthetic prices: the seed is recorded by the run that generates prices with it, not by a monitor-only run', async () => {
    const path = join(tempDir('batchdesk-seed-'), 'demo.db');
    expect((await runCli(['seed-demo', '--db', path, '--prices', 'none'], ENV)).code).toBe(0);

    const monitor = await runCli(['run', '--db', path, '--market-data', 'synthetic', '--seed', '7', '--target-date', '2025-07-01', '--monitor-only'], ENV);
    expect(monitor.code, monitor.stderr).toBe(4);
    expect(syntheticSeed(path)).toBeNull();

    const run = await runCli(['run', '--db', path, '--market-data', 'synthetic', '--seed', '7', '--target-date', '2025-07-01', '--no-guard'], ENV);
    expect(run.code, run.stderr).toBe(0);
    expect(syntheticSeed(path)).toBe(7);

    const before = tableContents(path);
    const other = await runCli(['run', '--db', path, '--market-data', 'synthetic', '--seed', '8', '--target-date', '2025-07-02', '--no-guard'], ENV);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/holds synthetic prices of seed 7; a run cannot continue them with seed 8/);
    expect(tableContents(path)).toEqual(before);
  }, 120_000);
});
