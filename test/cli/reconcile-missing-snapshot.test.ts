/**
 * reconcile names a tracked portfolio-date whose snapshot is gone (deleted by hand, or lost):
 * it left that portfolio out without a word ("0 / 4 flagged"), and the next date's break was
 * blamed on its P&L. Each such portfolio-date is a break (exit 4) with the commands that redo
 * it; the contract gives the list to the app.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../host/dispatcher';
import { testHostContext } from '../support/app/host-context';
import { runCli } from '../support/cli';
import { backfilledDemo, copyTo, ENV, execOn, FAMILY_GROWTH, SAFE_NOW } from '../support/safeguards';

let db = '';
beforeAll(async () => {
  db = copyTo(await backfilledDemo());
  execOn(db, (d) => d.prepare(`DELETE FROM portfolio_snapshots WHERE portfolio_id = ? AND snapshot_date = '2025-07-08'`).run(FAMILY_GROWTH));
}, 240_000);

describe('reconcile over a tracked date whose snapshot is gone', () => {
  it('names it with the commands that redo it, and exits 4', async () => {
    const r = await runCli(['reconcile', '--db', db, '--date', '2025-07-08'], ENV);
    expect(r.stdout).toContain('Tracked portfolio-dates without a snapshot: 1 (nothing there can be reconciled, and the next date rolls forward from an older snapshot)');
    expect(r.stdout).toContain(
      `  2025-07-08  Demo Family Office Public Growth: run it again with \`batchdesk run --target-date 2025-07-08 --portfolio ${FAMILY_GROWTH} --db ${db}\`, then \`batchdesk run --retry-failed-phases --db ${db}\` for the later dates it makes stale`,
    );
    expect(r.code).toBe(4);
  });

  it('is not reported for a date outside the range, and the contract lists it', async () => {
    const other = await runCli(['reconcile', '--db', db, '--date', '2025-07-07'], ENV);
    expect(other.stdout).not.toContain('without a snapshot');
    const out = await dispatch('reconcile', { startDate: '2025-07-07', endDate: '2025-07-09' }, testHostContext(db, SAFE_NOW, { reader: false }));
    if (!out.ok) throw new Error(out.error.message);
    expect((out.output as { missingSnapshots: unknown[] }).missingSnapshots).toEqual([{ portfolioId: FAMILY_GROWTH, portfolioName: 'Demo Family Office Public Growth', date: '2025-07-08' }]);
  });
});
