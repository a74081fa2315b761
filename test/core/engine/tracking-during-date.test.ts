/**
 * The date's tracking row while its portfolios run (SPEC.md h.4): written at the date's start
 * (market_data running: the legacy phase_1_status reads `in_progress`), again after the
 * date-scoped phases, then finished in the date's transaction. A reader on another connection
 * (the app, `history --running`) and the row a kill leaves behind therefore show the outcome of
 * market_data and fundamentals while the portfolio phases run, and the date as not complete.
 */
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { SHORT_NOW } from '../../support/app/demo-fixture';
import { copyDb, runDemo, seedDemoDb } from '../../support/demo-db';

let seeded = '';
beforeAll(() => {
  seeded = seedDemoDb(SHORT_NOW);
}, 60_000);

/**
 * A run of 2025-07-01 on a copy of the demo that reads the date's tracking row (`columns`) from
 * another connection when `phase` first starts: the row as any reader then sees it committed.
 */
async function trackingRowAt<R>(phase: 'market_data' | 'marks', columns: string): Promise<{ path: string; row: R }> {
  const path = copyDb(seeded);
  const seen: R[] = [];
  const r = await runDemo(path, SHORT_NOW, { targetDate: '2025-07-01' }, {
    hooks: {
      beforePhase: (p, date) => {
        if (p !== phase || seen.length > 0) return;
        const reader = new Database(path, { readonly: true });
        try {
          seen.push(reader.prepare(`SELECT ${columns} FROM batch_run_tracking WHERE run_date = ?`).get(date) as R);
        } finally {
          reader.close();
        }
      },
    },
  });
  expect(r.exitCode).toBe(0);
  expect(seen).toHaveLength(1);
  return { path, row: seen[0]! };
}

describe('the tracking row during a date', () => {
  it('holds the date phases’ outcome, not complete, when the first portfolio phase starts', async () => {
    const { row } = await trackingRowAt<{ status: string; completed_at: string | null; phase_1_status: string | null; phase_status: string }>('marks', 'status, completed_at, phase_1_status, phase_status');
    expect(row).toMatchObject({ status: 'running', completed_at: null, phase_1_status: 'success' });
    const phases = JSON.parse(row.phase_status) as Record<string, { status?: string }>;
    expect(phases['market_data']?.status).toBe('success');
    expect(phases['fundamentals']?.status).toBe('success');
    expect(phases['marks']).toBeUndefined();
  }, 60_000);

  it('says market_data is running (phase_1_status in_progress) while it runs', async () => {
    const { path, row } = await trackingRowAt<{ phase_1_status: string | null; phase_status: string }>('market_data', 'phase_1_status, phase_status');
    expect([row.phase_1_status, (JSON.parse(row.phase_status) as Record<string, { status?: string }>)['market_data']?.status]).toEqual(['in_progress', 'running']);
    const done = new Database(path, { readonly: true });
    expect(done.prepare(`SELECT phase_1_status FROM batch_run_tracking WHERE run_date = '2025-07-01'`).get()).toEqual({ phase_1_status: 'success' });
    done.close();
  }, 60_000);
});
