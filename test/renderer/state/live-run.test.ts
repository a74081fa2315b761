/**
 * The live view's state (SPEC.md h.7): how telemetry batches build the date x phase grid,
 * the aggregate of portfolio phases (h.4), counters, progress with an ETA, the log, and how
 * stored tracking rows lie under the live ones.
 */
import { describe, expect, it } from 'vitest';
import type { TrackingRow } from '../../../core/api/commands/view-commands';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import { aggregateStatus, applyBatch, cellClass, countTrackedDates, elapsedOf, EMPTY_LIVE, gridView, LOG_CAPACITY, progressOf, seedFromTracking, withDatabaseReplaced, withNotRunDates, withPlannedDates, withStart } from '../../../renderer/state/live-run';
import { dateResultEvent, metricEvent, phaseResultEvent, phaseStartEvent, runStartEvent } from '../../support/telemetry/event-builders';
import { logText } from '../../../renderer/features/telemetry/log-words';

const batch = (events: TelemetryEvent[], counts: Record<string, number> = {}) => ({ events, counts, coalesced: 0 });

const runStart = (seq: number, dates = 3) => runStartEvent(seq, { dates });

const runResultEvent = (seq: number, cancelled: boolean): TelemetryEvent =>
  ({ ...runStart(seq), event: 'run_result', payload: { status: cancelled ? 'cancelled' : 'completed', exit_code: cancelled ? 130 : 0, dates_planned: 3, dates_succeeded: 1, dates_partial: 0, dates_failed: 0, dates_skipped: 2, duration_ms: 100, cancelled, guard_status: null } }) as TelemetryEvent;

describe('cell classes', () => {
  it('maps raw statuses onto the six display classes', () => {
    expect(['success', 'not_applicable', 'imported'].map(cellClass)).toEqual(['ok', 'ok', 'ok']);
    expect(['partial', 'stale'].map(cellClass)).toEqual(['warning', 'warning']);
    expect(['failed', 'rolled_back'].map(cellClass)).toEqual(['failed', 'failed']);
    expect(cellClass('skipped')).toBe('skipped');
    expect(cellClass('running')).toBe('running');
    expect(cellClass(undefined)).toBe('pending');
  });

  it('aggregates portfolio phases as SPEC.md h.4 says', () => {
    const p = (status: string) => ({ status, reason: null, error: null, durationMs: 1, metrics: null });
    expect(aggregateStatus([p('success'), p('success')])).toBe('success');
    expect(aggregateStatus([p('success'), p('failed')])).toBe('partial');
    expect(aggregateStatus([p('failed'), p('failed')])).toBe('failed');
    expect(aggregateStatus([p('skipped'), p('skipped')])).toBe('skipped');
    expect(aggregateStatus([p('success'), p('running')])).toBe('running');
    expect(aggregateStatus([p('stale'), p('success')])).toBe('stale');
    expect(aggregateStatus([p('success'), p('not_applicable')])).toBe('success');
  });
});

describe('applyBatch', () => {
  it('builds the grid live: running cells, per-portfolio results, date results and the run result', () => {
    let s = applyBatch(EMPTY_LIVE, batch([runStart(1), phaseStartEvent('2025-07-01', 'market_data', null, 2)]), 0);
    expect(s.phase).toBe('running');
    expect(s.rows['2025-07-01']!.cells.market_data!.status).toBe('running');
    expect(s.current).toMatchObject({ date: '2025-07-01', phase: 'market_data' });
    s = applyBatch(
      s,
      batch([
        phaseResultEvent('2025-07-01', 'market_data', null, 'success', 3),
        phaseStartEvent('2025-07-01', 'marks', 'p1', 4),
        phaseResultEvent('2025-07-01', 'marks', 'p1', 'success', 5),
        phaseResultEvent('2025-07-01', 'marks', 'p2', 'failed', 6, { reason: 'exception', error: 'boom' }),
      ]),
      0,
    );
    const marks = s.rows['2025-07-01']!.cells.marks!;
    // 2 of the date's 5 portfolios (phase_start's portfolio_count) are done: still in progress.
    expect(marks.status).toBe('running');
    expect(marks.portfolios['p2']).toMatchObject({ status: 'failed', reason: 'exception', error: 'boom' });
    expect(s.counters.failedPhases).toBe(1);
    s = applyBatch(s, batch([dateResultEvent('2025-07-01', 'partial', 7)]), 0);
    expect(s.rows['2025-07-01']!.cells.marks!.status).toBe('partial');
    expect(s.rows['2025-07-01']).toMatchObject({ status: 'partial', complete: true, live: true, jobsExpected: 9 });
    expect(s.datesDone).toBe(1);
    const end: TelemetryEvent = { ...runStart(8), event: 'run_result', payload: { status: 'partial', exit_code: 1, dates_planned: 3, dates_succeeded: 0, dates_partial: 1, dates_failed: 0, dates_skipped: 0, duration_ms: 100, cancelled: false, guard_status: null } } as TelemetryEvent;
    s = applyBatch(s, batch([end]), 0);
    expect(s.phase).toBe('finished');
    expect(s.current).toBeNull();
    expect(s.log.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(logText(s.log[5]!.origin)).toContain('reason=exception (unexpected error) error=boom');
  });

  it('counts coalesced provider requests from the batch counts', () => {
    const s = applyBatch(EMPTY_LIVE, batch([metricEvent('provider_request', 1, 9), metricEvent('provider_retry', 1, 10)], { 'metric:provider_request': 40, 'metric:provider_retry': 3 }), 0);
    expect(s.counters.providerRequests).toBe(40);
    expect(s.counters.retries).toBe(3);
  });

  it('price flags and bad CSV rows read as the CLI says them, with the file, line and message tags', () => {
    const metric = (seq: number, name: string, value: number, tags: Record<string, unknown>, date: string | null = '2025-07-03'): TelemetryEvent => {
      const e = metricEvent(name, value, seq);
      return { ...e, payload: { ...(e.payload as object), date, tags } } as TelemetryEvent;
    };
    const s = applyBatch(
      EMPTY_LIVE,
      batch([
        metric(1, 'price_validation_flag', 412.5, { symbol: 'AAPL', flag: 'jump', provider: 'csv', reference: 201.1, stored_close_kept: false, file: 'prices/aapl.csv', line: 14 }),
        metric(2, 'price_validation_flag', 188.2, { symbol: 'MSFT', flag: 'jump', provider: 'csv', reference: 401.3, stored_close_kept: true, file: 'prices/msft.csv', line: 9 }),
        metric(3, 'price_validation_flag', -3, { symbol: 'NVDA', flag: 'invalid', provider: 'csv', why: 'prices/nvda.csv line 4: a close must be positive', stored_close_kept: false, file: 'prices/nvda.csv', line: 4 }),
        metric(4, 'csv_bad_row', 7, { symbol: 'AAPL', file: 'prices/aapl.csv', line: 7, column: 'date', message: '2025-07-06 is not a trading day; the row is dropped' }, null),
      ]),
      0,
    );
    expect(s.log.map((l) => logText(l.origin))).toEqual([
      'price_validation_flag: AAPL on 2025-07-03 from csv (prices/aapl.csv line 14): the close moved beyond the jump threshold; kept and listed as a suspect price',
      'price_validation_flag: MSFT on 2025-07-03 from csv (prices/msft.csv line 9): the close moved beyond the jump threshold; the stored close stays',
      'price_validation_flag: NVDA on 2025-07-03 from csv: prices/nvda.csv line 4: a close must be positive; rejected, not stored',
      'csv_bad_row: bad CSV row skipped: prices/aapl.csv line 7 column date: 2025-07-06 is not a trading day; the row is dropped',
    ]);
  });

  it('progress and ETA come from the planned dates and the mean date duration', () => {
    let s = applyBatch(EMPTY_LIVE, batch([runStart(1, 4)]), 0);
    expect(progressOf(s)).toMatchObject({ fraction: 0, etaMs: null, planned: 4 });
    s = applyBatch(s, batch([dateResultEvent('2025-07-01', 'success', 2), dateResultEvent('2025-07-02', 'success', 3)]), 0);
    // date_result durations are 100 ms each; 2 dates left
    expect(progressOf(s)).toEqual({ fraction: 0.5, done: 2, planned: 4, etaMs: 200 });
  });

  it('keeps at most LOG_CAPACITY log lines, the newest', () => {
    let s = EMPTY_LIVE;
    for (let i = 0; i < 5; i++) s = applyBatch(s, batch(Array.from({ length: 600 }, (_, k) => dateResultEvent('2025-07-01', 'success', i * 600 + k + 1))), 0);
    expect(s.log).toHaveLength(LOG_CAPACITY);
    expect(s.log[s.log.length - 1]!.seq).toBe(3000);
  });
});

/** An event at `ts`; `runId` null: a maintenance operation's, which numbers its events from 1 with no run id. */
const at = (e: TelemetryEvent, ts: string, runId: string | null = 'run-1'): TelemetryEvent => ({ ...e, ts, run_id: runId });

/** A maintenance operation's step events (`purge_step`, `restore_step`), numbered from 1 as each operation numbers them. */
const steps = (name: string, ts: string, count = 4): TelemetryEvent[] => Array.from({ length: count }, (_, i) => at({ ...metricEvent(name, i + 1, i + 1), payload: { name, value: i + 1, unit: null, date: null, portfolio_id: null, tags: {} } } as TelemetryEvent, ts, null));

describe("the run's duration and the log's lines around maintenance", () => {
  it('runs from the run_start to the run_result: a purge or a restore done afterwards does not stretch it', () => {
    let s = applyBatch(EMPTY_LIVE, batch([at(runStart(1), '2026-11-27T23:00:54.000000Z'), at(dateResultEvent('2025-07-01', 'success', 2), '2026-11-27T23:00:55.000000Z')]), 0);
    // While it runs: up to its latest event; an event of no run meanwhile is not its.
    expect(elapsedOf(s)).toBe(1000);
    s = applyBatch(s, batch([at(metricEvent('gate_changed', null, 1), '2026-11-27T23:00:55.500000Z', null)]), 0);
    expect(elapsedOf(s)).toBe(1000);
    s = applyBatch(s, batch([at(runResultEvent(3, false), '2026-11-27T23:00:56.000000Z')]), 0);
    expect(elapsedOf(s)).toBe(2000);
    // Thirteen minutes later: a purge's steps, then a late event of the finished run.
    s = applyBatch(s, batch(steps('purge_step', '2026-11-27T23:14:37.000000Z')), 0);
    expect(s.phase).toBe('finished');
    expect(elapsedOf(s)).toBe(2000);
    s = applyBatch(s, batch([at(metricEvent('guard_result', null, 4), '2026-11-27T23:14:40.000000Z')]), 0);
    expect(elapsedOf(s)).toBe(2000);
  });

  it("gives every line its own key: a purge's and a restore's steps, numbered alike with no run id, stay apart after the restore", () => {
    let s = applyBatch(EMPTY_LIVE, batch([runStart(1), dateResultEvent('2025-07-01', 'success', 2), runResultEvent(3, false)]), 0);
    s = applyBatch(s, batch(steps('purge_step', '2026-11-27T23:06:00.000000Z')), 0);
    s = applyBatch(s, batch([...steps('restore_step', '2026-11-27T23:06:32.000000Z'), at(metricEvent('database_replaced', null, 1), '2026-11-27T23:06:33.000000Z', null)]), 0);
    s = withDatabaseReplaced(s);
    // The run's lines went with it; the nine lines of no run stay, each under its own key.
    expect(s.log.map((l) => (l.origin.event === 'metric' ? l.origin.payload.name : l.event))).toEqual([...Array(4).fill('purge_step'), ...Array(4).fill('restore_step'), 'database_replaced']);
    expect(new Set(s.log.map((l) => l.key)).size).toBe(9);
    s = applyBatch(s, batch([runStartEvent(1, { runId: 'run-2' }), ...steps('purge_step', '2026-11-27T23:07:00.000000Z', 1)]), 0);
    expect(new Set(s.log.map((l) => l.key)).size).toBe(11);
  });
});

describe('tracking rows under the live state', () => {
  const row = (date: string, status: string, complete = true, runId = 'r'): TrackingRow => ({
    date: date as TrackingRow['date'],
    status,
    complete,
    startedAt: null,
    completedAt: complete ? 'x' : null,
    runId,
    batchRunId: 'b',
    mode: 'normal',
    phases: { market_data: { status: 'failed', startedAt: null, durationMs: 1, reason: 'benchmark_missing', error: 'SPY has no close', portfolios: null } },
    missingPriceCount: 2,
    fallbackCount: 1,
    modelCount: 0,
    coveragePct: 90,
    usableCoveragePct: 95,
    jobsExpected: 0,
    jobsCompleted: 0,
    errors: [],
  });

  it('seeds stored rows, keeps the row the live run is working on, and lists planned dates as pending', () => {
    let s = applyBatch(EMPTY_LIVE, batch([runStart(1), phaseStartEvent('2025-07-02', 'marks', 'p1', 2)]), 0);
    s = seedFromTracking(s, [row('2025-07-01', 'failed'), row('2025-07-02', 'running', false)]);
    expect(s.rows['2025-07-01']!.cells.market_data).toMatchObject({ status: 'failed', reason: 'benchmark_missing' });
    expect(s.rows['2025-07-02']!.cells.marks!.status).toBe('running');
    s = withPlannedDates(s, ['2025-07-01', '2025-07-02', '2025-07-03']);
    expect(gridView(s).dates).toEqual(['2025-07-01', '2025-07-02', '2025-07-03']);
  });

  it('after the run, a date without a tracking row (purged) has no row, whatever the events said (m.1)', () => {
    const events = [runStart(1), dateResultEvent('2025-07-01', 'success', 2), dateResultEvent('2025-07-02', 'success', 3), dateResultEvent('2025-07-03', 'success', 4)];
    const finished = applyBatch(EMPTY_LIVE, batch([...events, runResultEvent(5, false)]), 0);
    expect(Object.keys(finished.rows)).toEqual(['2025-07-01', '2025-07-02', '2025-07-03']);
    // 07-02 and 07-03 were purged: only 07-01 keeps a tracking row.
    const s = seedFromTracking(finished, [row('2025-07-01', 'success', true, 'run-1')]);
    expect(gridView(s).dates).toEqual(['2025-07-01']);
    expect(s.rows['2025-07-01']).toMatchObject({ status: 'success', live: false });
    // A stored row that is gone on the next read leaves the grid too.
    expect(seedFromTracking(s, []).rows).toEqual({});
    // While the run runs, the dates it is working on keep their live rows.
    const running = applyBatch(EMPTY_LIVE, batch([runStart(1), phaseStartEvent('2025-07-02', 'marks', 'p1', 2)]), 0);
    expect(seedFromTracking(running, []).rows['2025-07-02']!.cells.marks!.status).toBe('running');
  });

  it('once the run is over, its unfinished row is the date its cancel stopped', () => {
    const cancelled = applyBatch(EMPTY_LIVE, batch([runStart(1), dateResultEvent('2025-07-01', 'success', 2), dateResultEvent('2025-07-02', 'cancelled', 3), runResultEvent(4, true)]), 0);
    const s = seedFromTracking(cancelled, [row('2025-07-01', 'success', true, 'run-1'), row('2025-07-02', 'running', false, 'run-1'), row('2025-07-06', 'running', false, 'other-run')]);
    expect(s.rows['2025-07-02']!.status).toBe('cancelled');
    expect(cellClass(s.rows['2025-07-02']!.status)).toBe('skipped');
    // Another process's unfinished date is still running.
    expect(s.rows['2025-07-06']!.status).toBe('running');
  });

  it("an unfinished date that the host shows with its run's end (cancelled by the CLI, interrupted) reads so, not as running", () => {
    const s = seedFromTracking(EMPTY_LIVE, [row('2025-07-02', 'cancelled', false, 'cli-run'), row('2025-07-03', 'interrupted', false, 'gone-run')]);
    expect([s.rows['2025-07-02']!.status, s.rows['2025-07-03']!.status]).toEqual(['cancelled', 'interrupted']);
    expect([cellClass(s.rows['2025-07-02']!.status), cellClass(s.rows['2025-07-03']!.status)]).toEqual(['skipped', 'failed']);
  });

  it("shows a cancelled run's dates it did not run as not run; a run's end leaves nothing pending", () => {
    let s = withPlannedDates(applyBatch(EMPTY_LIVE, batch([runStart(1)]), 0), ['2025-07-01', '2025-07-02', '2025-07-03']);
    s = applyBatch(s, batch([dateResultEvent('2025-07-01', 'success', 2), runResultEvent(3, true)]), 0);
    expect(s.plannedDates).toEqual([]);
    s = withNotRunDates(seedFromTracking(s, [row('2025-07-01', 'success', true, 'run-1')]), ['2025-07-02', '2025-07-03']);
    const view = gridView(s);
    expect(view.dates).toEqual(['2025-07-01', '2025-07-02', '2025-07-03']);
    expect(view.rows['2025-07-03']).toMatchObject({ status: 'cancelled', cells: {}, complete: false });
    expect(view.rows['2025-07-01']).toBe(s.rows['2025-07-01']);
    // A date that has a row shows its row; the next run starts with no not-run dates and no start outcome.
    expect(gridView(withNotRunDates(s, ['2025-07-01'])).rows).toBe(s.rows);
    const next = applyBatch(withStart(s, { state: 'starting' }), batch([runStartEvent(10, { runId: 'run-2' })]), 0);
    expect(next.notRunDates).toEqual([]);
    expect(next.start).toBeNull();
  });

  it('after a reload, counts the run\'s finished dates whose events left the ring from their tracking rows', () => {
    // The ring kept the run start and only the last date's events; 07-01 and 07-02 were finished by this run.
    let s = applyBatch(EMPTY_LIVE, batch([runStart(1), phaseStartEvent('2025-07-03', 'market_data', null, 900), dateResultEvent('2025-07-03', 'success', 901)]), 0);
    expect(s.datesDone).toBe(1);
    const rows = [row('2025-07-01', 'failed', true, 'run-1'), row('2025-07-02', 'failed', true, 'run-1'), row('2025-07-03', 'success', true, 'run-1'), row('2025-06-30', 'failed', true, 'older-run'), row('2025-07-04', 'running', false, 'run-1')];
    s = countTrackedDates(s, rows);
    expect(s.datesDone).toBe(3); // 07-03 is not counted twice, the older run's and the unfinished date not at all
    expect(s.counters).toMatchObject({ missingPrices: 4, fallbacks: 2, modelMarks: 0, failedPhases: 2 });
    expect(countTrackedDates(s, [])).toBe(s);
    expect(countTrackedDates(EMPTY_LIVE, rows)).toBe(EMPTY_LIVE); // no run, nothing to count
  });
});
