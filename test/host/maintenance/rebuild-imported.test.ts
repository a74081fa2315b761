/**
 * Imported reference rows and batchdesk's checks. A run's guard (i.4) checks the run's own
 * portfolio-dates: merged into the demo, the reference's rows on the demo's dates (made by its
 * rules, j.7) do not fail a run that did not write them; `verify guard` over those dates still
 * reports them.
 *
 * `rebuild` of a range imported from the reference system (j.5, j.7): its derived rows were
 * made by the reference's rules, so after the recompute a table may hold fewer rows (here the
 * reference's correlation row for a portfolio whose positions d.11's filters drop). The
 * row-count step reports that as information and the rebuild succeeds, which is what the
 * import's note tells the user to do; the same drop over dates batchdesk computed itself
 * still fails the rebuild and closes the gate.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir } from '../../support/cli';
import { seedDemoDb } from '../../support/demo-db';

const ENV = { BATCHDESK_NOW: '2025-07-10T23:00:00Z' };
const DUMP = join(REPO_ROOT, 'test/fixtures/pg/committed/reference-z0.dump');

async function importedDb(): Promise<string> {
  const db = join(tempDir('batchdesk-rebuild-imported-'), 'imported.sqlite');
  const r = await runCli(['import', DUMP, '--db', db], ENV);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toContain('`batchdesk rebuild` recomputes them');
  return db;
}

const rebuildOf = (db: string) => runCli(['rebuild', '--db', db, '--start-date', '2025-07-01', '--market-data', 'synthetic', '--yes', '--json', '--log-file', join(tempDir(), 'rebuild.jsonl')], ENV);
const stepOf = (out: string, name: string) => (JSON.parse(out) as { steps: { step: string; status: string; detail: string }[] }).steps.find((s) => s.step === name)!;
const gateOf = (db: string) => {
  const d = new Database(db, { readonly: true });
  try {
    return JSON.parse((d.prepare(`SELECT value FROM settings WHERE key = 'gate'`).get() as { value: string } | undefined)?.value ?? '{"state":"open"}').state as string;
  } finally {
    d.close();
  }
};

describe('rebuild of imported dates', () => {
  it("reports fewer derived rows than the reference kept as information, and succeeds", async () => {
    const db = await importedDb();
    const r = await rebuildOf(db);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).status).toBe('success');
    expect(stepOf(r.stdout, 'verify rowcounts')).toMatchObject({
      status: 'info',
      detail: "the range held rows imported from the reference system, now made by batchdesk's rules: correlation_calculations 1 -> 0",
    });
    expect(gateOf(db)).toBe('open');
    // verify rowcounts on its own says the same.
    const rc = await runCli(['verify', 'rowcounts', '--db', db, '--json'], ENV);
    expect(rc.code, rc.stdout).toBe(0);
    expect(JSON.parse(rc.stdout).lines.find((l: { table: string }) => l.table === 'correlation_calculations')).toMatchObject({ before: 1, now: 0, status: 'recomputed' });
  });

  it('still fails when the dates were computed by batchdesk', async () => {
    const db = await importedDb();
    const d = new Database(db);
    d.prepare(`UPDATE batch_run_tracking SET status = 'success' WHERE status = 'imported'`).run();
    d.close();
    const r = await rebuildOf(db);
    expect(r.code).toBe(4);
    expect(stepOf(r.stdout, 'verify rowcounts')).toMatchObject({ status: 'fail', detail: 'correlation_calculations 1 -> 0' });
    expect(gateOf(db)).toBe('closed');
  });

  it("merged into the demo: a run's guard checks what the run wrote, not the reference's rows on the same dates", async () => {
    const db = seedDemoDb(ENV.BATCHDESK_NOW, tempDir('batchdesk-merge-guard-'));
    const imp = await runCli(['import', DUMP, '--db', db, '--merge'], ENV);
    expect(imp.code, imp.stderr).toBe(0);
    const run = await runCli(['run', '--db', db, '--summary-json'], ENV);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).guard).toMatchObject({ status: 'pass' });
    expect(gateOf(db)).toBe('open');
    // The imported portfolio-dates themselves still fail an explicit check.
    const explicit = await runCli(['verify', 'guard', '--db', db, '--start-date', '2025-06-30', '--end-date', '2025-07-01'], ENV);
    expect(explicit.code).toBe(4);
    expect(explicit.stdout).toMatch(/G1 +2025-06-30 +Growth +a mark of D for every active lot/);
  });
});
