/**
 * g.8: a re-run that rewrites exactly the rows it replaced makes nothing stale, also for a
 * portfolio that holds no lot on the date (m.22). Its marks phase writes no row there, and "no
 * row before, no row now" is no change. Before, such a portfolio read as changed on every
 * re-run: its snapshot (marks only) or its later dates became stale, and so did the dates. A
 * re-run that does change a portfolio's marks still makes its later dates stale, and only its own.
 */
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import { DEMO_PORTFOLIOS, SHORT_NOW } from '../../support/app/demo-fixture';
import { backfilledWithClosedPortfolio, copyDb, runDemo } from '../../support/demo-db';

/** The portfolio whose only lot (AAPL) closed fully on CLOSED_ON. */
const P = DEMO_PORTFOLIOS.individual;
const CLOSED_ON = '2025-07-03';
const D = '2025-07-09' as IsoDate;

type PhaseStatus = Record<string, { status?: string; portfolios?: Record<string, { status: string }> }>;

/** Every stale thing in the tracking rows: "DATE" for a stale date, "DATE phase portfolio" for a stale entry. */
function staleCells(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare(`SELECT run_date, status, phase_status FROM batch_run_tracking ORDER BY run_date`).all() as { run_date: string; status: string; phase_status: string }[];
    return rows.flatMap((r) => {
      const phases = JSON.parse(r.phase_status) as PhaseStatus;
      const cells = Object.entries(phases).flatMap(([phase, e]) =>
        Object.entries(e?.portfolios ?? {})
          .filter(([, p]) => p.status === 'stale')
          .map(([pid]) => `${r.run_date} ${phase} ${pid}`),
      );
      return r.status === 'stale' ? [r.run_date, ...cells] : cells;
    });
  } finally {
    db.close();
  }
}

let backfilled = '';

beforeAll(async () => {
  backfilled = await backfilledWithClosedPortfolio(SHORT_NOW, P, CLOSED_ON);
  if (staleCells(backfilled).length !== 0) throw new Error('the backfill left stale cells');
}, 180_000);

describe('an unchanged re-run with a portfolio that holds no lot on the date (g.8)', () => {
  it('a marks-only re-run of the date marks nothing stale', async () => {
    const path = copyDb(backfilled);
    const r = await runDemo(path, SHORT_NOW, { targetDate: D, phases: ['marks'] });
    expect(r.exitCode).toBe(0);
    expect(staleCells(path)).toEqual([]);
  }, 120_000);

  it('a full re-run of the date marks nothing stale', async () => {
    const path = copyDb(backfilled);
    const r = await runDemo(path, SHORT_NOW, { targetDate: D });
    expect(r.exitCode).toBe(0);
    expect(staleCells(path)).toEqual([]);
  }, 120_000);

  it('a re-run that changes a holder’s marks makes only the holder’s later dates stale', async () => {
    const path = copyDb(backfilled);
    const db = new Database(path);
    expect(db.prepare(`UPDATE market_data_cache SET close = close * 1.01 WHERE symbol = 'ASML' AND date = ?`).run(D).changes).toBe(1);
    db.close();
    await runDemo(path, SHORT_NOW, { targetDate: D, phases: ['marks'] });
    const stale = staleCells(path);
    expect(stale).toContain(`${D} snapshots ${DEMO_PORTFOLIOS.publicGrowth}`);
    expect(stale).toContain('2025-07-10');
    expect(stale.filter((c) => c.includes(P))).toEqual([]);
  }, 120_000);
});
