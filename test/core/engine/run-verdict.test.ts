/**
 * How a run ends (SPEC.md g.6 run status; k.3 and m.16 exit codes): every row below is
 * hand-derived from those sections, first matching rule wins.
 */
import { describe, expect, it } from 'vitest';
import { runVerdict, type RunEnding } from '../../../core/engine/run-summary';

const dates = (...statuses: string[]) => statuses.map((status) => ({ status }));
const normal: Omit<RunEnding, 'results'> = { cancelled: false, fatal: false, monitorClean: null, guardStatus: 'pass' };

describe('runVerdict', () => {
  it.each([
    ['every date succeeded', { ...normal, results: dates('success', 'success') }, 'completed', 0],
    ['a partial date', { ...normal, results: dates('success', 'partial') }, 'partial', 1],
    ['a failed date among successes', { ...normal, results: dates('failed', 'success') }, 'partial', 1],
    ['every date failed', { ...normal, results: dates('failed', 'failed') }, 'failed', 1],
    ['the guard failed after clean dates', { ...normal, results: dates('success'), guardStatus: 'fail' }, 'completed', 4],
    ['no guard ran', { ...normal, results: dates('success'), guardStatus: null }, 'completed', 0],
    ['a failed date outranks the guard', { ...normal, results: dates('failed'), guardStatus: 'fail' }, 'failed', 1],
    ['cancelled, even with failed dates', { ...normal, results: dates('failed'), cancelled: true }, 'cancelled', 130],
    ['cancelled before any date', { ...normal, results: [], cancelled: true }, 'cancelled', 130],
    ['a fatal error', { ...normal, results: dates('success'), fatal: true }, 'failed', 5],
    ['monitor-only, rows match', { ...normal, results: dates('success'), monitorClean: true }, 'completed', 0],
    ['monitor-only, rows differ', { ...normal, results: dates('success'), monitorClean: false }, 'completed', 4],
    // m.16: a failed or partial date (1) outranks a failed check (4), in a monitor-only run too.
    ['monitor-only, a partial date whose rows match', { ...normal, results: dates('partial'), monitorClean: true }, 'partial', 1],
    ['monitor-only, a failed date', { ...normal, results: dates('failed'), monitorClean: false }, 'failed', 1],
    ['nothing processed', { ...normal, results: [] }, 'partial', 0],
  ] as const)('%s', (_, ending, status, exitCode) => {
    const v = runVerdict(ending);
    expect(v.status).toBe(status);
    expect(v.exitCode).toBe(exitCode);
  });

  it('counts each date status', () => {
    expect(runVerdict({ ...normal, results: dates('success', 'partial', 'failed', 'success', 'stale') }).counts).toEqual({ success: 2, partial: 1, failed: 1 });
  });
});
