/**
 * The diagnostics reader reads a date's rows for every portfolio at once (one query per
 * table, grouped by portfolio). Checked against the per-portfolio reads it replaced, on a real
 * backfilled demo database: the analytics row counts equal counts through scopeWhere (the
 * purge and export filter), the marks equal the engine store's loadMarks, and the guard
 * finds a row-count break (G2) and analytics rows older than the marks (G1) for exactly the
 * portfolio-date that has them; verify coverage finds a table missing and an incomplete snapshot on one portfolio-date each.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../core/domain/iso-date';
import { ANALYTICS_TABLES } from '../../core/validation/regression-guard';
import { tableSpec } from '../../core/validation/table-catalog';
import { PortfolioDateReader, snapshotRefs } from '../../db/diagnostics/portfolio-date-inputs';
import { createEngineStore } from '../../db/engine-store';
import { openDatabase } from '../../db/open-database';
import { scopeWhere } from '../../db/table-scope';
import { evaluateGuardOn } from '../../host/diagnostics/guard';
import { verifyCoverage } from '../../host/diagnostics/verify-coverage';
import { coverageRemedies, describeCoverageGap } from '../../core/validation/coverage-gaps';
import { backfilledDemo, copyTo, execOn, FAMILY_GROWTH } from '../support/safeguards';

let template = '';
beforeAll(async () => {
  template = await backfilledDemo();
}, 300_000);

const D = '2025-07-09' as IsoDate;

describe('PortfolioDateReader', () => {
  it('grouped reads of a date equal the per-portfolio reads, for every portfolio-date and analytics table', () => {
    const db = openDatabase(template, { readonly: true });
    try {
      const reader = new PortfolioDateReader(db);
      const store = createEngineStore(db);
      const refs = snapshotRefs(db, { start: null, end: null, portfolioIds: [] });
      expect(refs.length).toBeGreaterThan(20);
      let rows = 0;
      for (const ref of refs) {
        const counts = reader.analyticsRowCounts(ref.portfolioId, ref.date);
        for (const t of ANALYTICS_TABLES) {
          const w = scopeWhere(tableSpec(t)!, { start: ref.date, end: ref.date, portfolioIds: [ref.portfolioId] });
          const n = (db.prepare(`SELECT count(*) AS n FROM "${t}" WHERE ${w.where}`).get(...w.params) as { n: number }).n;
          expect(counts[t], `${t} ${ref.portfolioId} ${ref.date}`).toBe(n);
          rows += n;
        }
        expect(reader.marks(ref.portfolioId, ref.date)).toEqual(store.loadMarks(ref.portfolioId, ref.date));
        expect(reader.snapshot(ref.portfolioId, ref.date)).toEqual(db.prepare(`SELECT * FROM portfolio_snapshots WHERE portfolio_id = ? AND snapshot_date = ?`).get(ref.portfolioId, ref.date));
      }
      expect(rows).toBeGreaterThan(1000); // the demo's analytics ran: the comparison is not of zeros
      // Asked out of date order (a portfolio-major walk), the reads are the same.
      const back = [...refs].reverse();
      for (const ref of back.slice(0, 10)) expect(reader.marks(ref.portfolioId, ref.date)).toEqual(store.loadMarks(ref.portfolioId, ref.date));
      expect(reader.snapshot(FAMILY_GROWTH, '1999-01-04' as IsoDate)).toBeNull();
      expect(reader.marks(FAMILY_GROWTH, '1999-01-04' as IsoDate)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('the guard finds a missing analytics row (G2) and analytics rows older than the marks (G1) on that portfolio-date only', () => {
    const path = copyTo(template);
    execOn(path, (d) => {
      const row = d.prepare(`SELECT t.id FROM position_factor_exposures t JOIN positions p ON p.id = t.position_id WHERE p.portfolio_id = ? AND t.calculation_date = ? LIMIT 1`).get(FAMILY_GROWTH, D) as { id: string };
      d.prepare(`DELETE FROM position_factor_exposures WHERE id = ?`).run(row.id);
      d.prepare(`UPDATE stress_test_results SET created_at = '2000-01-01T00:00:00.000000Z' WHERE portfolio_id = ? AND calculation_date = ? AND rowid = (SELECT MIN(rowid) FROM stress_test_results WHERE portfolio_id = ? AND calculation_date = ?)`).run(FAMILY_GROWTH, D, FAMILY_GROWTH, D);
    });
    const db = openDatabase(path, { readonly: true });
    try {
      const r = evaluateGuardOn(db, { start: '2025-06-30' as IsoDate, end: '2025-07-10' as IsoDate });
      expect(r.status).toBe('fail');
      expect(r.findings.map((f) => [f.check, f.portfolio_id, f.date])).toEqual([
        ['G1', FAMILY_GROWTH, D],
        ['G2', FAMILY_GROWTH, D],
      ]);
      expect(r.findings[0]!.expected).toMatch(/before the analytics \(2000-01-01/);
      expect(r.findings[1]!.message).toMatch(/position_factor_exposures row count differs/);
    } finally {
      db.close();
    }
  });

  it('verify coverage passes on the backfill and finds deleted factor exposures and an incomplete snapshot', () => {
    const path = copyTo(template);
    const scope = { start: '2025-06-30' as IsoDate, end: '2025-07-10' as IsoDate, portfolioIds: [] };
    const before = openDatabase(path, { readonly: true });
    const clean = verifyCoverage(before, scope);
    before.close();
    expect(clean.gaps).toEqual([]);
    expect(clean.checked).toBeGreaterThan(30);
    execOn(path, (d) => {
      d.prepare(`DELETE FROM factor_exposures WHERE portfolio_id = ? AND calculation_date = ?`).run(FAMILY_GROWTH, D);
      d.prepare(`UPDATE portfolio_snapshots SET is_complete = 0 WHERE portfolio_id = ? AND snapshot_date = '2025-07-08'`).run(FAMILY_GROWTH);
    });
    const db = openDatabase(path, { readonly: true });
    try {
      const r = verifyCoverage(db, scope);
      expect(r.checked).toBe(clean.checked);
      expect(r.gaps.map((g) => [g.portfolioId, g.table, g.from, g.to, g.days]).sort()).toEqual([
        [FAMILY_GROWTH, 'factor_exposures', D, D, 1],
        [FAMILY_GROWTH, 'portfolio_snapshots', '2025-07-08', '2025-07-08', 1],
      ]);
      expect(r.gaps.every((g) => g.problem === 'missing')).toBe(true);
    } finally {
      db.close();
    }
  });

  it('verify coverage says what is wrong with a tracking row that exists (stale, failed, unfinished) apart from a missing one', () => {
    const path = copyTo(template);
    const scope = { start: '2025-06-30' as IsoDate, end: '2025-07-10' as IsoDate, portfolioIds: [FAMILY_GROWTH] };
    execOn(path, (d) => {
      d.prepare(`DELETE FROM batch_run_tracking WHERE run_date = '2025-07-01'`).run();
      d.prepare(`UPDATE batch_run_tracking SET status = 'stale' WHERE run_date IN ('2025-07-02', '2025-07-03')`).run();
      d.prepare(`UPDATE batch_run_tracking SET status = 'failed' WHERE run_date = '2025-07-08'`).run();
      d.prepare(`UPDATE batch_run_tracking SET completed_at = NULL WHERE run_date = '2025-07-10'`).run();
    });
    const db = openDatabase(path, { readonly: true });
    try {
      const r = verifyCoverage(db, scope);
      expect(r.gaps.filter((g) => g.table === 'batch_run_tracking').map((g) => [g.problem, g.from, g.to, g.days])).toEqual([
        ['missing', '2025-07-01', '2025-07-01', 1],
        ['stale', '2025-07-02', '2025-07-03', 2],
        ['failed', '2025-07-08', '2025-07-08', 1],
        ['unfinished', '2025-07-10', '2025-07-10', 1],
      ]);
      expect(describeCoverageGap(r.gaps.find((g) => g.problem === 'stale')!)).toBe('batch_run_tracking stale 2025-07-02..2025-07-03 (2 trading days)');
      // The missing date is backfilled from there on; the others are retried.
      expect(coverageRemedies(r.gaps, { lastProcessedDate: '2025-07-10', targetDate: '2025-07-10' })).toEqual(['Missing dates: batchdesk run --start-date 2025-07-01', 'Stale, failed or unfinished dates: batchdesk run --retry-failed-phases']);
    } finally {
      db.close();
    }
  });
});
