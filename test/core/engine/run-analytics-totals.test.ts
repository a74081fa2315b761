/**
 * The run summary's analytics job counts (h.5) are this run's: a run that does not run the
 * analytics phase counts no job, though the tracking rows of its dates keep an earlier run's
 * counts (h.4), and the CLI says analytics did not run. A `--phase market_data,marks` re-run of
 * a backfilled date reported that earlier run's 37/37 jobs as its own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DateResult } from '../../../core/engine/run-summary';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import { openDatabase } from '../../../db/open-database';
import { SHORT_NOW } from '../../support/app/demo-fixture';
import { runCli } from '../../support/cli';
import { copyDb, runDemo, seedDemoDb } from '../../support/demo-db';

let demo = '';
beforeAll(async () => {
  demo = seedDemoDb(SHORT_NOW);
  const r = await runDemo(demo, SHORT_NOW, { startDate: '2025-06-30', endDate: '2025-07-02' });
  expect(r.exitCode).toBe(0);
}, 120_000);

describe('a run without the analytics phase', () => {
  it('counts no analytics job in its summary and date results, and the date keeps its earlier totals', async () => {
    const events: TelemetryEvent[] = [];
    const path = copyDb(demo);
    const r = await runDemo(path, SHORT_NOW, { targetDate: '2025-07-01', phases: ['market_data', 'marks'] }, { sinks: [{ name: 'test', handle: (e) => events.push(e) }] });
    if (r.kind !== 'run') throw new Error(`expected a run, got ${r.kind}`);
    expect(r.exitCode).toBe(0);
    expect(r.summary.phases['analytics']!.runs).toBe(0);
    expect(r.summary.analytics).toEqual({ jobs_expected: 0, jobs_completed: 0, jobs_failed: 0, jobs_skipped: 0, guard_skips: 0 });
    const dateResult = events.find((e) => e.event === 'date_result')!.payload as { analytics_jobs_expected: number; analytics_jobs_completed: number; model_count: number };
    expect(dateResult).toMatchObject({ analytics_jobs_expected: 0, analytics_jobs_completed: 0 });
    // marks ran: its model marks (the hedge fund's options) are this run's.
    expect(dateResult.model_count).toBeGreaterThan(0);
    expect((r.summary.results as DateResult[]).map((x) => x.date)).toEqual(['2025-07-01']);
    const db = openDatabase(path, { readonly: true });
    const meta = JSON.parse((db.prepare(`SELECT metadata FROM batch_run_tracking WHERE run_date = '2025-07-01'`).get() as { metadata: string }).metadata) as { analytics_totals: { jobs_expected: number } };
    db.close();
    expect(meta.analytics_totals.jobs_expected).toBeGreaterThan(0);
  });

  it('a run with it counts its jobs; the CLI says when analytics did not run', async () => {
    const full = await runDemo(copyDb(demo), SHORT_NOW, { targetDate: '2025-07-01', phases: ['analytics'] });
    if (full.kind !== 'run') throw new Error(`expected a run, got ${full.kind}`);
    expect(full.summary.analytics.jobs_expected).toBeGreaterThan(0);
    expect(full.summary.analytics.jobs_completed).toBe(full.summary.analytics.jobs_expected);

    const cli = await runCli(['run', '--db', copyDb(demo), '--target-date', '2025-07-01', '--phase', 'market_data,marks'], { BATCHDESK_NOW: SHORT_NOW });
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stderr).toContain('Analytics jobs: not run (the analytics phase did not run)\n');
  });
});
