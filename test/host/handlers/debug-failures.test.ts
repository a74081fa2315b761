/**
 * Why a monitor-only debug run failed, on the real host handlers: on the demo run through
 * 2025-07-08 only, debugging 07-10 fails its snapshots (07-09 has none, so the portfolio-date
 * is blocked). debugDate returns each failed phase with its reason, as the CLI prints them;
 * the blocked one included, which the run-level error list leaves out (g.3). Its monitor report
 * counts the blocked portfolio-date as failed, apart from the date-level rows, with the marks
 * it computed before the failure (its marks card shows them).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../host/dispatcher';
import type { HostContext } from '../../../host/handler-types';
import type { CommandOutput } from '../../../core/api/contract';
import type { MonitorReport } from '../../../core/engine/monitor-recorder';
import { runFailures } from '../../../host/handlers/debug-handlers';
import { DEMO_PORTFOLIOS, SHORT_NOW } from '../../support/app/demo-fixture';
import { testHostContext } from '../../support/app/host-context';
import { runDemo, seedDemoDb } from '../../support/demo-db';

let ctx: HostContext;
beforeAll(async () => {
  const db = seedDemoDb(SHORT_NOW);
  await runDemo(db, SHORT_NOW, { startDate: '2025-06-30', endDate: '2025-07-08' });
  ctx = testHostContext(db, SHORT_NOW);
}, 120_000);

const growth = DEMO_PORTFOLIOS.publicGrowth.slice(0, 8);
const BLOCKED_REASON = `2025-07-10 snapshots[${growth}]: Demo Family Office Public Growth has no snapshot for 2025-07-09 (latest before 2025-07-10: 2025-07-08); blocked by 2025-07-09: run the dates from it in order (batchdesk run --start-date 2025-07-09 --end-date 2025-07-10 --portfolio ${DEMO_PORTFOLIOS.publicGrowth})`;

describe('a failed monitor-only debug run', () => {
  it('returns each failed phase with its reason', async () => {
    const r = await dispatch('debugDate', { date: '2025-07-10', portfolios: [DEMO_PORTFOLIOS.publicGrowth] }, ctx);
    if (!r.ok) throw new Error(r.error.message);
    const out = r.output as CommandOutput<'debugDate'>;
    expect(out).toMatchObject({ state: 'failed', exitCode: 1, monitor: { clean: false } });
    expect(out.failures).toContain(BLOCKED_REASON);
    expect(out.failures).toContain(`2025-07-10 marks[${growth}]: rolled back: snapshots failed`);
  }, 60_000);

  it('counts the blocked portfolio-date as failed, apart from the date-level rows, with the marks it computed', async () => {
    const r = await dispatch('debugDate', { date: '2025-07-10', portfolios: [DEMO_PORTFOLIOS.publicGrowth] }, ctx);
    if (!r.ok) throw new Error(r.error.message);
    const out = r.output as CommandOutput<'debugDate'>;
    const monitor = out.monitor as MonitorReport;
    expect(monitor.date_level).toEqual({ compared: 1, same: 0, different: 0, new: 1, failed: 0, not_run: 0 });
    expect(monitor.portfolio_dates).toEqual({ compared: 1, same: 0, different: 0, new: 0, failed: 1, not_run: 0 });
    const entry = monitor.entries.find((e) => e.portfolio_id === DEMO_PORTFOLIOS.publicGrowth)!;
    expect(entry.status).toBe('failed');
    // The rows computed before snapshots failed: the ones the marks card shows as added.
    const marksDoc = out.documents.find((d) => d.portfolioId === DEMO_PORTFOLIOS.publicGrowth && d.phase === 'marks')!.document as { differences: { table: string; added: string[] }[] };
    const shown = marksDoc.differences.find((d) => d.table === 'position_marks')!.added.length;
    expect(shown).toBeGreaterThan(0);
    expect(entry.tables.find((t) => t.table === 'position_marks')).toMatchObject({ stored_rows: 0, computed_rows: shown, added: shown });
  }, 60_000);

  it('traces the phase that failed with the inputs it read, so the debugger sees why', async () => {
    const r = await dispatch('debugDate', { date: '2025-07-10', portfolios: [DEMO_PORTFOLIOS.publicGrowth] }, ctx);
    if (!r.ok) throw new Error(r.error.message);
    const out = r.output as CommandOutput<'debugDate'>;
    const doc = out.documents.find((d) => d.portfolioId === DEMO_PORTFOLIOS.publicGrowth && d.phase === 'snapshots')?.document as
      | { inputs: { outcome: { status: string; reason: string }; previous_snapshot: unknown; marks: unknown[] } }
      | undefined;
    expect(doc?.inputs.outcome).toMatchObject({ status: 'failed' });
    expect(doc!.inputs.previous_snapshot).toMatchObject({ snapshotDate: '2025-07-08' });
    expect(doc!.inputs.marks.length).toBeGreaterThan(0);
  }, 60_000);

  it('a completed run has no failures', async () => {
    const r = await dispatch('debugDate', { date: '2025-07-08', portfolios: [DEMO_PORTFOLIOS.publicGrowth] }, ctx);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.output).toMatchObject({ state: 'completed', failures: [] });
  }, 60_000);
});

describe('runFailures', () => {
  it("lists each date's errors, then a run-level error no date carries, once", () => {
    const summary = { results: [{ date: '2025-07-10', errors: ['market_data: coverage 40%'] }], errors: ['2025-07-10 market_data: coverage 40%', 'fatal: disk full'] };
    expect(runFailures(summary)).toEqual(['2025-07-10 market_data: coverage 40%', 'fatal: disk full']);
    expect(runFailures({ message: 'Nothing to run.' })).toEqual([]);
  });
});
