/**
 * The run summary's "Next:" line (cli/commands/run.ts nextStepLine): only a run that left failed
 * or partial dates gets one; closes lacking with no fallback send the user to `diagnose prices`
 * on the first such date and to `prices import`, any other failure to the retry once fixed.
 * The CLI words over a real run: test/cli/run-missing-prices-line.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { nextStepLine } from '../../cli/commands/run';
import { upToDateSummary, type DateResult, type RunSummary } from '../../core/engine/run-summary';

const DB = ' --db /tmp/p.sqlite';

function summary(status: string, results: Partial<DateResult>[], mode = 'normal'): RunSummary {
  const base = upToDateSummary({ mode, database: 'p.sqlite', targetDate: '2025-07-10', options: {}, marketDataMode: 'offline', warnings: [], message: '' });
  const full = results.map((r): DateResult => ({ date: '2025-07-01', status: 'success', duration_seconds: 0, missing_price_count: 0, fallback_count: 0, missing_symbols: [], portfolios: [], errors: [], ...r }));
  return { ...base, status, run_id: 'r', batch_run_id: 'b', started_at: 's', completed_at: 'c', results: full } as RunSummary;
}

describe('the next step after a run', () => {
  it('is none after a clean, cancelled or monitor-only run', () => {
    expect(nextStepLine(summary('completed', [{}]), DB)).toBeNull();
    expect(nextStepLine(summary('cancelled', [{ status: 'partial' }]), DB)).toBeNull();
    expect(nextStepLine(summary('partial', [{ status: 'partial' }], 'monitor'), DB)).toBeNull();
  });

  it('names diagnose prices on the first date that lacked a close no fallback covered', () => {
    const s = summary('partial', [
      { date: '2025-07-01', status: 'partial', missing_price_count: 1, fallback_count: 1 },
      { date: '2025-07-02', status: 'partial', missing_price_count: 2, fallback_count: 1 },
    ]);
    expect(nextStepLine(s, DB)).toBe(
      'Next: `batchdesk diagnose prices --date 2025-07-02 --db /tmp/p.sqlite` lists the closes 2025-07-02 lacks; add them with `batchdesk prices import FILE --db /tmp/p.sqlite`, then `batchdesk run --retry-failed-phases --db /tmp/p.sqlite` redoes the failed and partial dates and the later dates they made stale',
    );
  });

  it('names the retry alone when no close was lacking', () => {
    expect(nextStepLine(summary('failed', [{ status: 'failed' }]), DB)).toBe(
      'Next: once the cause is fixed, `batchdesk run --retry-failed-phases --db /tmp/p.sqlite` redoes the failed and partial dates and the later dates they made stale',
    );
  });
});
