/**
 * `run --summary-json` (SPEC.md h.5) has one shape, also when there is nothing to run (g.2):
 * the keys of a run's summary, nothing counted, no run ids or times, `status: "up_to_date"` and
 * the reason in `message`. A script reading `dates.planned` works either way.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli';
import { execOn, INDIVIDUAL } from '../support/safeguards';

const NOW = '2025-09-30T23:00:00Z';
const CORE = 'market_data,fundamentals,marks,snapshots,sector_tags';

describe('run --summary-json with nothing to run', () => {
  const db = join(tempDir(), 'demo.db');
  beforeAll(async () => {
    expect((await runCli(['seed-demo', '--db', db], { BATCHDESK_NOW: NOW })).code).toBe(0);
  });

  it('has the keys of a run summary, with zero counts and the reason', async () => {
    const ran = await runCli(['run', '--db', db, '--target-date', '2025-07-01', '--phase', CORE, '--summary-json', '--quiet'], { BATCHDESK_NOW: NOW });
    expect(ran.code, ran.stderr).toBe(0);
    const summary = JSON.parse(ran.stdout) as Record<string, unknown>;

    const none = await runCli(['run', '--db', db, '--retry-failed-phases', '--summary-json', '--quiet'], { BATCHDESK_NOW: NOW });
    expect(none.code, none.stderr).toBe(0);
    const doc = JSON.parse(none.stdout) as Record<string, Record<string, unknown>> & { message: string };

    expect(Object.keys(doc).sort()).toEqual([...Object.keys(summary), 'message'].sort());
    expect(doc).toMatchObject({ schema: 'batchdesk.run-summary/1', status: 'up_to_date', exit_code: 0, run_id: null, batch_run_id: null, started_at: null, completed_at: null, mode: 'retry', database: 'demo.db', target_date: '2025-09-30' });
    expect(doc.message).toMatch(/^Nothing to retry as of 2025-09-30/);
    expect(doc['dates']).toEqual({ planned: 0, processed: 0, success: 0, partial: 0, failed: 0, skipped: 0, not_run_dates: [], not_run_reason: null, first: null, last: null });
    expect(Object.keys(doc['phases'])).toEqual(Object.keys(summary['phases'] as object));
    expect(doc['phases']['marks']).toEqual({ runs: 0, success: 0, failed: 0, skipped: 0, not_applicable: 0, stale: 0, duration_seconds: 0 });
    expect(Object.keys(doc['market_data']).sort()).toEqual(Object.keys(summary['market_data'] as object).sort());
    expect(doc['analytics']).toEqual({ jobs_expected: 0, jobs_completed: 0, jobs_failed: 0, jobs_skipped: 0, guard_skips: 0 });
    // h.5 spells the options' keys as the rest of the document does.
    expect(doc['options']).toMatchObject({ retry_failed_phases: true });
    expect(summary['options']).toMatchObject({ target_date: '2025-07-01', chunk_days: 0, with_prerequisites: false });
    for (const d of [doc, summary]) expect(Object.keys(d['options'] as object).filter((k) => /[A-Z]/.test(k))).toEqual([]);
  }, 60_000);
});

describe('run --summary-json after a rewrite of an earlier date (g.8)', () => {
  const db = join(tempDir(), 'demo.db');
  beforeAll(async () => {
    expect((await runCli(['seed-demo', '--db', db], { BATCHDESK_NOW: NOW })).code).toBe(0);
    const first = await runCli(['run', '--db', db, '--start-date', '2025-07-01', '--end-date', '2025-07-03', '--phase', CORE, '--quiet'], { BATCHDESK_NOW: NOW });
    expect(first.code, first.stderr).toBe(0);
  }, 60_000);

  const rerunJuly1 = async () => {
    const r = await runCli(['run', '--db', db, '--target-date', '2025-07-01', '--phase', 'marks,snapshots', '--summary-json'], { BATCHDESK_NOW: NOW });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { phases: Record<string, { runs: number; stale: number }> };
    return { stderr: r.stderr, runsAndStale: Object.fromEntries(Object.entries(doc.phases).map(([p, t]) => [p, [t.runs, t.stale]])) };
  };

  it('a rewrite that changes nothing leaves the later dates as they were', async () => {
    const again = await rerunJuly1();
    expect(again.runsAndStale).toEqual({ market_data: [0, 0], fundamentals: [0, 0], marks: [5, 0], snapshots: [5, 0], sector_tags: [0, 0], analytics: [0, 0] });
    expect(again.stderr).not.toMatch(/now stale/);
    expect(trackingStatuses(db, '2025-07-02')).toEqual(new Set(['success']));
  }, 60_000);

  it("counts in phases.*.stale the later dates' entries a changed rewrite marked stale, for the portfolios it changed", async () => {
    // One close of 2025-07-01 moves: the marks and snapshots of the portfolios holding it change.
    const holders = execOn(db, (d) => {
      const symbol = (d.prepare(`SELECT symbol FROM positions WHERE portfolio_id = ? AND investment_class = 'PUBLIC' ORDER BY symbol LIMIT 1`).get(INDIVIDUAL) as { symbol: string }).symbol;
      d.prepare(`UPDATE market_data_cache SET close = close * 1.10 WHERE symbol = ? AND date = '2025-07-01'`).run(symbol);
      return (d.prepare(`SELECT count(DISTINCT portfolio_id) AS n FROM positions WHERE symbol = ? AND entry_date <= '2025-07-01'`).get(symbol) as { n: number }).n;
    });
    expect(holders).toBeGreaterThan(0);
    expect(holders).toBeLessThan(5);
    const again = await rerunJuly1();
    // Their 2025-07-02 and 2025-07-03 become stale; the other portfolios' do not.
    expect(again.runsAndStale).toEqual({ market_data: [0, 0], fundamentals: [0, 0], marks: [5, 2 * holders], snapshots: [5, 2 * holders], sector_tags: [0, 0], analytics: [0, 0] });
    expect(again.stderr.match(/later date\(s\) of \w+ are now stale/g)).toHaveLength(holders);
    expect(trackingStatuses(db, '2025-07-03')).toEqual(new Set(['success', 'stale']));
  }, 60_000);
});

/** The statuses of a date's marks and snapshots entries, over its portfolios, in tracking. */
function trackingStatuses(db: string, date: string): Set<string> {
  const row = execOn(db, (d) => d.prepare(`SELECT phase_status FROM batch_run_tracking WHERE run_date = ?`).get(date) as { phase_status: string });
  const phases = JSON.parse(row.phase_status) as Record<string, { portfolios?: Record<string, { status: string }> }>;
  return new Set(['marks', 'snapshots'].flatMap((p) => Object.values(phases[p]?.portfolios ?? {}).map((e) => e.status)));
}
