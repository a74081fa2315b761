/**
 * Single-date debug (SPEC.md g.12, m.21): debugDate runs monitor-only with a trace through the
 * host's run manager, returns per-phase documents (inputs, outputs, stored rows, differences)
 * and the monitor report, and leaves the database unchanged; the date phases (and the analytics
 * symbol stage) get documents of their own with the inputs they read. A date on which nothing
 * runs gives the engine's reason, not an empty run. Trace reading honours its size limit.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CommandOutput } from '../../../core/api/contract';
import { dispatch } from '../../../host/dispatcher';
import { nothingToRunReason, readTraceDocuments, withMoneyColumns } from '../../../host/handlers/debug-handlers';
import { DEMO_PORTFOLIOS, SHORT_NOW } from '../../support/app/demo-fixture';
import { runDemo, seedDemoDb } from '../../support/demo-db';
import { tempDir } from '../../support/cli';
import { testHostContext } from '../../support/app/host-context';

let dbPath = '';

function snapshotRows(path: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT * FROM portfolio_snapshots ORDER BY portfolio_id, snapshot_date`).all();
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dbPath = seedDemoDb(SHORT_NOW);
  await runDemo(dbPath, SHORT_NOW);
});

describe('debugDate', () => {
  it('returns each phase of the portfolio-date with inputs, outputs, stored rows and differences; nothing changes', async () => {
    const before = snapshotRows(dbPath);
    const db = new Database(dbPath);
    db.prepare(`UPDATE portfolio_snapshots SET total_value = total_value + 100 WHERE portfolio_id = ? AND snapshot_date = '2025-07-10'`).run(DEMO_PORTFOLIOS.publicGrowth);
    db.close();
    const altered = snapshotRows(dbPath);
    const ctx = testHostContext(dbPath, SHORT_NOW);
    const r = await dispatch('debugDate', { date: '2025-07-10', portfolios: [DEMO_PORTFOLIOS.publicGrowth] }, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const out = r.output as { state: string; exitCode: number; documents: { phase: string; portfolioId: string | null; document: Record<string, unknown> }[]; monitor: { clean: boolean } };
    const phases = out.documents.filter((d) => d.portfolioId === DEMO_PORTFOLIOS.publicGrowth).map((d) => d.phase);
    expect(phases).toEqual(expect.arrayContaining(['summary', 'marks', 'snapshots', 'sector_tags', 'analytics']));
    const snap = out.documents.find((d) => d.phase === 'snapshots')!.document;
    expect(Object.keys(snap)).toEqual(expect.arrayContaining(['inputs', 'outputs', 'stored', 'differences']));
    // The money columns of its differences, so the app prints them to the cent.
    expect(snap['money_columns']).toEqual(expect.arrayContaining(['cash_value', 'total_value']));
    expect(snap['money_columns']).not.toContain('daily_return');
    // The altered stored snapshot differs from the recomputed one, in its total value.
    const snapshots = (snap['differences'] as { table: string; changedColumns: Record<string, number> }[]).find((t) => t.table === 'portfolio_snapshots')!;
    expect(snapshots.changedColumns).toEqual({ total_value: 1 });
    expect(out.monitor.clean).toBe(false);
    expect(out.exitCode).toBe(4);
    expect(snapshotRows(dbPath)).toEqual(altered);
    expect(altered).not.toEqual(before);
  });

  it('returns a document per date phase with the inputs it read and the rows it computed', async () => {
    const ctx = testHostContext(dbPath, SHORT_NOW);
    const r = await dispatch('debugDate', { date: '2025-07-10', portfolios: [DEMO_PORTFOLIOS.publicGrowth] }, ctx);
    if (!r.ok) throw new Error(r.error.message);
    const dateDocs = new Map((r.output as CommandOutput<'debugDate'>).documents.filter((d) => d.portfolioId === null && d.date === '2025-07-10').map((d) => [d.phase, d.document as Record<string, Record<string, unknown>>]));
    expect([...dateDocs.keys()].sort()).toEqual(['analytics', 'fundamentals', 'market_data', 'summary']);
    // market_data: each needed symbol with its close (date and source) and the fetch settings.
    const md = dateDocs.get('market_data')!;
    expect(md['inputs']!['outcome']).toMatchObject({ status: 'success' });
    expect((md['inputs']!['symbols'] as Record<string, unknown>)['SPY']).toMatchObject({ price: { date: '2025-07-10', source: 'exact' } });
    expect(Object.keys(md['outputs']!)).toEqual(['missing_prices']);
    // fundamentals: the profiles it saw.
    expect(Object.keys(dateDocs.get('fundamentals')!['inputs']!['profiles'] as object).length).toBeGreaterThan(0);
    // The symbol stage: each symbol's price windows, and the betas it computed (as stored: same run).
    const stage = dateDocs.get('analytics')!;
    const aSymbol = Object.values(stage['inputs']!['symbols'] as Record<string, { closes: { ols: { to: string; closes: number } } }>)[0]!;
    expect(aSymbol.closes.ols.to).toBe('2025-07-10');
    expect(aSymbol.closes.ols.closes).toBeGreaterThan(0);
    const computed = (stage['outputs']!['symbol_factor_exposures'] as unknown[]).length;
    expect(computed).toBeGreaterThan(0);
    expect(stage['differences']).toMatchObject([{ table: 'symbol_factor_exposures', storedRows: computed, computedRows: computed, changed: [] }]);
  });

  it("a date before every portfolio's first entry runs nothing and gives the engine's reason, as the CLI prints it", async () => {
    const ctx = testHostContext(dbPath, SHORT_NOW);
    const r = await dispatch('debugDate', { date: '2019-01-02', portfolios: [] }, ctx);
    if (!r.ok) throw new Error(r.error.message);
    const out = r.output as CommandOutput<'debugDate'>;
    expect(out).toMatchObject({ state: 'completed', exitCode: 0, batchRunId: null, monitor: null, documents: [] });
    expect(out.nothingToRun).toMatch(/^no portfolio in scope is processed on the requested dates \(portfolio-dates left out: \d+ before first entry\)$/);
  });

  it("takes the option model's overrides for its run: the hedge fund's model-priced options are marked at the volatility given", async () => {
    const ctx = testHostContext(dbPath, SHORT_NOW);
    const changedMarks = async (input: Record<string, unknown>) => {
      const r = await dispatch('debugDate', { date: '2025-07-10', portfolios: [DEMO_PORTFOLIOS.hedgeFund], phases: ['marks'], ...input }, ctx);
      expect(r.ok).toBe(true);
      const out = (r.ok ? r.output : null) as { documents: { phase: string; document: Record<string, unknown> }[]; monitor: { clean: boolean } };
      const marks = out.documents.find((d) => d.phase === 'marks')!.document;
      return (marks['differences'] as { table: string; changedColumns: Record<string, number> }[]).find((t) => t.table === 'position_marks')?.changedColumns ?? {};
    };
    // The settings' volatility: the marks the backfill stored.
    expect(await changedMarks({})).toEqual({});
    // Another volatility moves the option marks' prices and values.
    const changed = await changedMarks({ impliedVol: 0.9, riskFreeRate: 0.01 });
    // The 8 model-marked contracts of the demo hedge fund on that date; their inputs are recorded on each mark.
    expect(changed).toMatchObject({ implied_vol: 8, risk_free_rate: 8, price: 8, market_value: 8 });
  });

  it('a date that ran has no nothing-to-run reason', async () => {
    const ctx = testHostContext(dbPath, SHORT_NOW);
    const r = await dispatch('debugDate', { date: '2025-07-10', portfolios: [DEMO_PORTFOLIOS.publicGrowth], phases: ['marks'] }, ctx);
    if (!r.ok) throw new Error(r.error.message);
    expect((r.output as CommandOutput<'debugDate'>).nothingToRun).toBeNull();
  });

  it('a non-trading date is a usage error and runs nothing (m.5)', async () => {
    const ctx = testHostContext(dbPath, SHORT_NOW);
    const r = await dispatch('debugDate', { date: '2025-07-04', portfolios: [] }, ctx);
    // 2025-07-04 is a holiday: a usage error from the run options (m.5).
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('usage');
  });
});

describe('withMoneyColumns', () => {
  it("lists the money columns of a document's largest differences; other documents pass unchanged", () => {
    const doc = { file: 'd/p/snapshots.json', date: '2025-07-10', portfolioId: 'p', phase: 'snapshots' };
    const differences = [
      { table: 'portfolio_snapshots', maxAbsDiff: { total_value: 21.8341, daily_return: 0.0001, num_positions: 0 } },
      { table: 'position_marks', maxAbsDiff: { market_value: 0, price: 0.5 } },
    ];
    expect(withMoneyColumns({ ...doc, document: { differences } }).document).toEqual({ differences, money_columns: ['market_value', 'total_value'] });
    const report = { ...doc, document: { clean: true } };
    expect(withMoneyColumns(report)).toBe(report);
  });
});

describe('nothingToRunReason', () => {
  it("is the engine's message without its lead, only for a completed request that recorded no run", () => {
    const message = 'Nothing to run: no portfolio in scope is processed on the requested dates (portfolio-dates left out: 5 before first entry)';
    expect(nothingToRunReason('completed', { message })).toBe('no portfolio in scope is processed on the requested dates (portfolio-dates left out: 5 before first entry)');
    // A run's summary (SPEC.md h.5) or a run that did not complete is no "nothing to run".
    expect(nothingToRunReason('completed', { schema: 'batchdesk.run-summary/1', batch_run_id: 'batch_x', message })).toBeNull();
    expect(nothingToRunReason('failed', { message })).toBeNull();
    expect(nothingToRunReason('completed', null)).toBeNull();
  });
});

describe('readTraceDocuments', () => {
  it('names date, portfolio and phase from the path, puts summaries first, and counts what the limit leaves out', () => {
    const dir = tempDir();
    mkdirSync(join(dir, '2025-07-10', 'p1'), { recursive: true });
    mkdirSync(join(dir, '2025-07-10', 'date'), { recursive: true });
    writeFileSync(join(dir, '2025-07-10', 'p1', 'marks.json'), JSON.stringify({ x: 'a'.repeat(100) }));
    writeFileSync(join(dir, '2025-07-10', 'p1', 'summary.json'), '{"s":1}');
    writeFileSync(join(dir, '2025-07-10', 'date', 'summary.json'), '{"d":1}');
    const all = readTraceDocuments(dir);
    expect(all.documents.map((d) => [d.file, d.date, d.portfolioId, d.phase])).toEqual([
      ['2025-07-10/date/summary.json', '2025-07-10', null, 'summary'],
      ['2025-07-10/p1/summary.json', '2025-07-10', 'p1', 'summary'],
      ['2025-07-10/p1/marks.json', '2025-07-10', 'p1', 'marks'],
    ]);
    const limited = readTraceDocuments(dir, 50);
    expect(limited.documents.map((d) => d.phase)).toEqual(['summary', 'summary']);
    expect(limited.omitted).toBe(1);
  });
});
