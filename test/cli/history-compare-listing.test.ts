/**
 * `history compare` in human form lists a sample of every kind of difference (a plentiful kind
 * does not crowd out the others) and says how many it left out; --json lists them all.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Baseline } from '../../core/validation/baseline';
import { baselineOf } from '../support/baseline-document';
import { runCli, tempDir } from '../support/cli';

const portfolios = Array.from({ length: 300 }, (_, i) => `p${String(i).padStart(7, '0')}`);

function baseline(jobs: number, nav: number, hash: string): Baseline {
  return baselineOf({
    range: { start: '2025-07-01', end: '2025-07-02' },
    tracking: [{ run_date: '2025-07-01', status: 'success', phase_status: null, metadata: { portfolios: Object.fromEntries(portfolios.map((p) => [p, { analytics: { jobs_expected: jobs, jobs_completed: jobs, jobs_failed: 0 } }])) }, legacy: {} }],
    outputs: portfolios.slice(0, 80).map((p) => ({ portfolio_id: p, date: '2025-07-02', snapshot: { total_value: nav }, row_counts: {}, hashes: { position_marks: hash } })),
  });
}

describe('history compare listing', () => {
  it('lists every kind of difference and notes how many are not listed', async () => {
    const dir = tempDir();
    const fa = join(dir, 'a.json');
    const fb = join(dir, 'b.json');
    writeFileSync(fa, JSON.stringify(baseline(9, 1000, 'aa')));
    writeFileSync(fb, JSON.stringify(baseline(8, 1100, 'bb')));
    const json = await runCli(['history', 'compare', fa, fb, '--json']);
    expect(json.code).toBe(4);
    const all = JSON.parse(json.stdout) as { totals: Record<string, number>; differences: unknown[] };
    expect(all.totals).toMatchObject({ metric: 600, snapshot: 80, hash: 80 });
    expect(all.differences).toHaveLength(760);

    const text = await runCli(['history', 'compare', fa, fb]);
    expect(text.code).toBe(4);
    const rows = text.stdout.split('\n').filter((l) => /^2025-07-0\d /.test(l));
    const kinds = (k: string) => rows.filter((l) => l.split(/\s+/)[2] === k).length;
    expect([kinds('metric'), kinds('snapshot'), kinds('hash')]).toEqual([50, 50, 50]);
    expect(text.stdout).toContain('... 610 more differences (the first 50 of each kind are listed): --json lists them all');
    expect(text.stdout).toContain('Totals: date 0, status 0, phase_status 0, metric 600, output 0, snapshot 80, row_count 0, hash 80');
  });

  it('adds no note when every difference is listed', async () => {
    const dir = tempDir();
    const fa = join(dir, 'a.json');
    const fb = join(dir, 'b.json');
    const a = baseline(9, 1000, 'aa');
    const b = baseline(9, 1000, 'aa');
    b.outputs[0]!.hashes['position_marks'] = 'bb';
    writeFileSync(fa, JSON.stringify(a));
    writeFileSync(fb, JSON.stringify(b));
    const text = await runCli(['history', 'compare', fa, fb]);
    expect(text.code).toBe(4);
    expect(text.stdout).toMatch(/2025-07-02 +p0000000 +hash +position_marks/);
    expect(text.stdout).not.toContain('more differences');
  });

  it('`db` as A is a usage error that says to give the baseline file first', async () => {
    const dir = tempDir();
    const fa = join(dir, 'a.json');
    writeFileSync(fa, JSON.stringify(baseline(9, 1000, 'aa')));
    const r = await runCli(['history', 'compare', 'db', fa], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`\`db\` is taken as B only`);
    expect(r.stderr).toContain(`batchdesk history compare ${fa} db`);
    // Twice `db`: the example names a file, not the same refused command.
    const both = await runCli(['history', 'compare', 'db', 'db'], {});
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('e.g. batchdesk history compare before.json db');
  });
});
