/**
 * `run`'s human progress on stderr (SPEC.md k.1, issue 3 item 6): a banner, a prefetch line,
 * a line per date (date, portfolios, jobs, missing prices, the portfolios' part of the date's
 * duration), failed phases, and on a
 * terminal a progress bar with an ETA. Events go through the real telemetry sink (validated
 * payloads, strict); the expected lines are written out by hand from the events.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTelemetry, type Telemetry } from '../../../core/telemetry/record-metric';
import { progressSink } from '../../../cli/telemetry/progress-sink';
import type { EventLevel } from '../../../core/api/telemetry-events';

function setup(options: { tty: boolean; quiet?: boolean; level?: EventLevel; commandSuffix?: string }): { lines: string[]; telemetry: Telemetry; tick: (ms: number) => void } {
  let now = 0;
  const lines: string[] = [];
  const sink = progressSink((l) => lines.push(l), { tty: options.tty, level: options.level ?? (options.quiet ? 'error' : 'info'), now: () => now, ...(options.commandSuffix ? { commandSuffix: options.commandSuffix } : {}) });
  const telemetry = createTelemetry({ clock: { now: () => Date.parse('2026-11-27T23:00:00Z') + now }, sinks: [sink], strict: true, runId: 'r1' });
  return { lines, telemetry, tick: (ms) => (now += ms) };
}

function runStart(t: Telemetry, dates: number, extra: { mode?: 'normal' | 'resume'; options?: Record<string, unknown>; phases?: string[] } = {}): void {
  t.recordMetric('run_start', {
    batch_run_id: 'batch_20261127_230000_abcd',
    mode: extra.mode ?? 'normal',
    triggered_by: 'cli',
    database: 'demo.db',
    target_date: '2026-11-27',
    first_date: '2026-11-24',
    last_date: '2026-11-25',
    date_count: dates,
    chunk_days: 7,
    chunk_count: 1,
    phases: (extra.phases ?? ['market_data', 'marks']) as never,
    portfolio_scope: 'all',
    options: extra.options ?? {},
    app_version: '0.1.0',
  });
}

function dateResult(t: Telemetry, date: string, ms: number): void {
  t.recordMetric('date_result', {
    date,
    status: 'success',
    duration_ms: ms,
    portfolios_total: 5,
    portfolios_succeeded: 5,
    portfolios_failed: 0,
    portfolios_skipped: 0,
    phases: { market_data: 'success', marks: 'success' },
    symbol_coverage_pct: 100,
    missing_price_count: 2,
    fallback_count: 1,
    model_count: 0,
    analytics_jobs_expected: 31,
    analytics_jobs_completed: 30,
    errors: [],
  });
}

afterEach(() => vi.restoreAllMocks());

describe('progress on stderr', () => {
  it('prints the banner, the prefetch plan, market data, failed phases and a line per date, in ASCII', () => {
    const { lines, telemetry } = setup({ tty: false });
    runStart(telemetry, 2);
    telemetry.metric('fetch_plan', 54, { date: '2026-11-24', tags: { symbols: 54, fetch_mode: 'incremental', chunk_index: 0, chunk_count: 1, last_date: '2026-11-25' } });
    telemetry.recordMetric('phase_result', {
      date: '2026-11-24',
      phase: 'market_data',
      portfolio_id: null,
      status: 'success',
      critical: true,
      duration_ms: 19,
      reason: null,
      error: null,
      metrics: { symbols_with_exact_close: 53, symbols_requested: 54, symbols_missing: 0 },
      missing_price_count: 0,
      fallback_count: 1,
    });
    telemetry.recordMetric('phase_result', {
      date: '2026-11-24',
      phase: 'snapshots',
      portfolio_id: '1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe',
      status: 'failed',
      critical: true,
      duration_ms: 3,
      reason: 'exception',
      error: 'disk I/O error',
      metrics: {},
    });
    dateResult(telemetry, '2026-11-24', 985);
    expect(lines.join('\n').split('\n')).toEqual([
      '============================================================',
      'batchdesk run  batch_20261127_230000_abcd',
      'Database: demo.db   Target date: 2026-11-27',
      'Dates: 2026-11-24 .. 2026-11-25 (2 trading days, 1 chunk)',
      '============================================================',
      // k.1: the chunk, its dates, then what its prefetch asks for.
      '[chunk 1/1] 2026-11-24 .. 2026-11-25  prefetch: 54 symbols, 54 ranges to fetch (incremental)',
      '2026-11-24  market_data  ok  53/54 symbols  fallback 1  missing 0  19ms',
      '2026-11-24  snapshots    1d8ddd95  failed (exception): disk I/O error',
      // The portfolios' part of the date: 985 ms less market_data's 19 ms.
      '2026-11-24  portfolios 5/5 ok  jobs 30/31  fallback 1  missing 1  966ms',
    ]);
    expect(lines.join('\n')).toMatch(/^[\x20-\x7e\n]*$/);
  });

  it('a run of date phases only says no portfolio phase was planned, not "portfolios 0/5"', () => {
    const { lines, telemetry } = setup({ tty: false });
    runStart(telemetry, 1, { phases: ['market_data'] });
    telemetry.recordMetric('date_result', {
      date: '2026-11-24',
      status: 'success',
      duration_ms: 40,
      portfolios_total: 5,
      portfolios_succeeded: 0,
      portfolios_failed: 0,
      portfolios_skipped: 0,
      phases: { market_data: 'success' },
      symbol_coverage_pct: 100,
      missing_price_count: 0,
      fallback_count: 0,
      model_count: 0,
      analytics_jobs_expected: 0,
      analytics_jobs_completed: 0,
      errors: [],
    });
    expect(lines.at(-1)).toBe('2026-11-24  date phases ok (no portfolio phase planned)  fallback 0  missing 0  40ms');
  });

  it('names the date --target-date asked for beside the latest settled one (as the dry run does); a resume, the settled one', () => {
    const asked = setup({ tty: false });
    runStart(asked.telemetry, 1, { options: { targetDate: '2026-11-24' } });
    expect(asked.lines.join('\n')).toContain('Database: demo.db   Target date: 2026-11-24 (as asked; the latest settled trading day is 2026-11-27)\n');
    const resumed = setup({ tty: false });
    runStart(resumed.telemetry, 1, { mode: 'resume', options: { targetDate: '2026-11-24' } });
    expect(resumed.lines.join('\n')).toContain('Database: demo.db   Target date: 2026-11-27\n');
  });

  it('says the date --target-date asked for is the latest settled one instead of naming it twice', () => {
    const { lines, telemetry } = setup({ tty: false });
    runStart(telemetry, 1, { options: { targetDate: '2026-11-27' } });
    expect(lines.join('\n')).toContain('Database: demo.db   Target date: 2026-11-27 (as asked; the latest settled trading day)\n');
  });

  it('names a single date in the singular', () => {
    const { lines, telemetry } = setup({ tty: false });
    runStart(telemetry, 1);
    expect(lines.join('\n')).toContain('(1 trading day, 1 chunk)');
  });

  it('on a terminal, draws a progress bar with the dates done and an ETA from the elapsed time', () => {
    const writes: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (writes.push(String(chunk)), true));
    const { telemetry, tick } = setup({ tty: true });
    runStart(telemetry, 4);
    tick(3000);
    dateResult(telemetry, '2026-11-24', 3000);
    // 1 of 4 dates in 3 s: 9 s to go.
    expect(writes.at(-1)).toBe(`\r[${'#'.repeat(8)}${'.'.repeat(22)}] 1/4 dates  ETA 9.0s`);
    telemetry.recordMetric('run_result', { status: 'completed', exit_code: 0, dates_planned: 4, dates_succeeded: 4, dates_partial: 0, dates_failed: 0, dates_skipped: 0, duration_ms: 12000, cancelled: false, guard_status: 'pass' });
    expect(writes.at(-1)).toBe('\r\x1b[2K'); // the bar is cleared before the summary
  });

  it('prints nothing with --quiet', () => {
    const { lines, telemetry } = setup({ tty: false, quiet: true });
    runStart(telemetry, 1);
    dateResult(telemetry, '2026-11-24', 10);
    expect(lines).toEqual([]);
  });
  it('at level warn (BATCHDESK_LOG_LEVEL=warn) prints only the lines of warn- and error-level events; a stale warning names the whole retry command', () => {
    const { lines, telemetry } = setup({ tty: false, level: 'warn', commandSuffix: ' --db /tmp/x.sqlite' });
    runStart(telemetry, 1);
    dateResult(telemetry, '2026-11-24', 10);
    telemetry.metric('stale_marked', 3, { portfolioId: 'p1234567-x', tags: { from: '2026-11-25', to: '2026-11-27', after: '2026-11-24', target_date: '2026-11-27' }, level: 'warn' });
    expect(lines).toEqual(['warning: 3 later date(s) of p1234567 are now stale (from 2026-11-25); `batchdesk run --retry-failed-phases --db /tmp/x.sqlite` recomputes them']);
  });

  it('says what happened to a flagged close: a jump is kept (or the stored close stays), an invalid close is rejected', () => {
    const { lines, telemetry } = setup({ tty: false });
    const flag = (date: string, value: number, tags: Record<string, unknown>) => telemetry.metric('price_validation_flag', value, { date, tags: { symbol: 'AAPL', provider: 'csv', ...tags }, source: 'market_data', level: 'warn' });
    flag('2025-08-04', 400, { flag: 'jump', reference: 200, stored_close_kept: false });
    flag('2025-08-05', 401, { flag: 'jump', reference: 200, stored_close_kept: true });
    flag('2025-08-06', -12.5, { flag: 'invalid', why: 'invalid close -12.5', stored_close_kept: false });
    flag('2025-08-07', 0, { flag: 'invalid', why: 'invalid close 0', stored_close_kept: true });
    // A row read from a CSV file names its file and line (an invalid close's reason carries them).
    flag('2025-08-08', 402, { flag: 'jump', reference: 200, stored_close_kept: false, file: 'AAPL.csv', line: 9 });
    flag('2025-08-11', 0, { flag: 'invalid', why: 'invalid close 0 (AAPL.csv line 10)', stored_close_kept: false, file: 'AAPL.csv', line: 10 });
    expect(lines).toEqual([
      'warning: AAPL on 2025-08-04 from csv: the close moved beyond the jump threshold; kept and listed as a suspect price',
      'warning: AAPL on 2025-08-05 from csv: the close moved beyond the jump threshold; the stored close stays',
      'warning: AAPL on 2025-08-06 from csv: invalid close -12.5; rejected, not stored',
      'warning: AAPL on 2025-08-07 from csv: invalid close 0; rejected, not stored (the stored close stays)',
      'warning: AAPL on 2025-08-08 from csv (AAPL.csv line 9): the close moved beyond the jump threshold; kept and listed as a suspect price',
      'warning: AAPL on 2025-08-11 from csv: invalid close 0 (AAPL.csv line 10); rejected, not stored',
    ]);
  });
});
