/**
 * Faults while writing (issue 9, SPEC.md m.18; tests run as root, so permissions cannot make a
 * file unwritable): a full disk (SQLite's max_page_count) and a read-only connection. The run
 * fails cleanly with a clear message, the database stays consistent with no partial
 * portfolio-date, and a later run completes.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BatchdeskError } from '../../../core/api/errors';
import { runOptionsSchema } from '../../../core/api/run-options';
import { runBatch } from '../../../core/engine/run-engine';
import { createEngineStore } from '../../../db/engine-store';
import { openDatabase } from '../../../db/open-database';
import { engineHost } from '../../../host/engine-host';
import { systemClock, systemRandom } from '../../../host/system-ports';
import { partialPortfolioDates } from '../../reliability/crash-harness';
import { runDemo, seedDemoDb } from '../../support/demo-db';

const NOW = '2025-07-31T23:00:00Z';

async function runWith(db: Database.Database, path: string) {
  return runBatch(
    { store: createEngineStore(db), clock: systemClock({ BATCHDESK_NOW: NOW }), random: systemRandom(), sinks: [], priceSources: [], profileSource: null, host: engineHost('cli', path) },
    runOptionsSchema.parse({ marketData: 'offline' }),
    { signal: new AbortController().signal },
  );
}

describe('faults during writes', () => {
  it('a full disk stops the run with an I/O error, leaves no partial portfolio-date, and a later run completes', async () => {
    const path = seedDemoDb(NOW);
    const db = openDatabase(path);
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 40}`);
    let error: unknown = null;
    try {
      await runWith(db, path);
    } catch (err) {
      error = err;
    }
    db.close();
    expect(error).toBeInstanceOf(BatchdeskError);
    expect((error as BatchdeskError).code).toBe('io');
    expect((error as BatchdeskError).exitCode).toBe(5);
    expect((error as Error).message).toMatch(/disk is full.*SQLITE_FULL/);
    const check = new Database(path, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    const written = (check.prepare(`SELECT count(*) AS n FROM portfolio_snapshots`).get() as { n: number }).n;
    check.close();
    expect(written).toBeLessThan(5 * 23);
    expect(partialPortfolioDates(path)).toEqual([]);
    const later = await runDemo(path, NOW);
    expect(later.kind).toBe('run');
    expect([0, 1]).toContain(later.exitCode);
    expect(partialPortfolioDates(path)).toEqual([]);
  }, 300_000);

  it('a read-only connection refuses the first write cleanly and changes nothing', async () => {
    const path = seedDemoDb(NOW);
    const db = openDatabase(path, { readonly: true });
    let error: unknown = null;
    try {
      await runWith(db, path);
    } catch (err) {
      error = err;
    }
    db.close();
    expect(error).not.toBeNull();
    expect(String((error as Error).message)).toMatch(/readonly|read-only/i);
    const check = new Database(path, { readonly: true });
    expect((check.prepare(`SELECT count(*) AS n FROM portfolio_snapshots`).get() as { n: number }).n).toBe(0);
    expect((check.prepare(`SELECT count(*) AS n FROM batch_run_history`).get() as { n: number }).n).toBe(0);
    check.close();
    const later = await runDemo(path, NOW);
    expect([0, 1]).toContain(later.exitCode);
  }, 300_000);
});
