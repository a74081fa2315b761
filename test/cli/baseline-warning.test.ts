/**
 * g.4/g.8: a plan that processes a date before a portfolio's first snapshot says it makes that
 * date the new baseline and every later date of the portfolio stale. It said "re-running ...
 * makes later snapshots stale if its marks or snapshot change", of a date never run, for a
 * staleness that does not depend on any value.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { backfilledDemo, copyTo, ENV, execOn, INDIVIDUAL } from '../support/safeguards';

describe('a date before a portfolio\'s first snapshot', () => {
  it('is planned as a new baseline, with every later date going stale; a re-run keeps its own warning', async () => {
    const db = copyTo(await backfilledDemo());
    // A lot entered before the demo's first date gives the portfolio a date before its baseline.
    execOn(db, (d) => {
      const cols = (d.prepare(`PRAGMA table_info(positions)`).all() as { name: string }[]).map((c) => c.name);
      const pick = cols.map((c) => (c === 'id' ? `'b9000000-0000-4000-8000-000000000001'` : c === 'entry_date' ? `'2025-06-25'` : `"${c}"`)).join(', ');
      d.prepare(`INSERT INTO positions (${cols.map((c) => `"${c}"`).join(', ')}) SELECT ${pick} FROM positions WHERE portfolio_id = ? AND investment_class = 'PUBLIC' LIMIT 1`).run(INDIVIDUAL);
    });
    const plan = await runCli(['run', '--db', db, '--target-date', '2025-06-27', '--dry-run', '--summary-json'], ENV);
    expect(plan.code, plan.stderr).toBe(0);
    const warnings = (JSON.parse(plan.stdout) as { warnings: string[] }).warnings;
    expect(warnings).toContainEqual(
      `2025-06-27 comes before the first snapshot of Demo Individual Investor Portfolio (${INDIVIDUAL.slice(0, 8)}): processing it makes it the new baseline, and every later date of that portfolio stale`,
    );
    expect(warnings.filter((w) => w.startsWith('re-running'))).toEqual([]);

    const rerun = await runCli(['run', '--db', db, '--target-date', '2025-07-01', '--portfolio', INDIVIDUAL, '--dry-run', '--summary-json'], ENV);
    expect((JSON.parse(rerun.stdout) as { warnings: string[] }).warnings).toContainEqual(
      `re-running 2025-07-01 makes later snapshots of Demo Individual Investor Portfolio (${INDIVIDUAL.slice(0, 8)}) stale if its marks or snapshot change, unless they are re-run too`,
    );
  });
});
