/**
 * Which stopped runs the Run screen counts as resumable (its Resume button is off when none is):
 * a cancelled or interrupted run no resume has continued, and not a rebuild's own run, which
 * `run --resume` refuses (the rebuild is run again, j.5).
 */
import { describe, expect, it } from 'vitest';
import { resumableRuns } from '../../../renderer/features/run/run-screen';

const run = (id: string, status: string, mode: string, options: unknown = {}) => ({ id, status, mode, options });

describe('resumableRuns', () => {
  it('keeps stopped runs that no resume continued, and leaves out a rebuild\'s run', () => {
    const runs = [
      run('a', 'cancelled', 'normal'),
      run('b', 'interrupted', 'retry'),
      run('c', 'interrupted', 'rebuild'),
      run('d', 'cancelled', 'rebuild'),
      run('e', 'completed', 'normal'),
      run('f', 'interrupted', 'normal'),
      run('g', 'completed', 'resume', { resumed_run_id: 'f' }),
    ];
    expect(resumableRuns(runs).map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('finds none when only a rebuild\'s runs stopped', () => {
    expect(resumableRuns([run('c', 'interrupted', 'rebuild')])).toEqual([]);
  });
});
