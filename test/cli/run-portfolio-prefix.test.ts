/**
 * `run --portfolio` takes a unique id prefix of 8 or more characters (as plan tables print).
 * The history row records the portfolio as resolved, in full, as run_start reports it: it kept
 * the prefix as typed, so the same run's two records disagreed and a resume depended on typing.
 */
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { backfilledDemo, copyTo, ENV, INDIVIDUAL } from '../support/safeguards';

let db = '';
beforeAll(async () => {
  db = copyTo(await backfilledDemo());
}, 240_000);

describe('a run of one portfolio named by its id prefix', () => {
  it('records the full id in its history row and options', async () => {
    const r = await runCli(['run', '--db', db, '--target-date', '2025-07-09', '--portfolio', INDIVIDUAL.slice(0, 8), '--quiet'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const d = new Database(db, { readonly: true });
    try {
      const row = d.prepare(`SELECT portfolio_id, json_extract(options, '$.portfolios') AS portfolios FROM batch_run_history ORDER BY started_at DESC LIMIT 1`).get() as { portfolio_id: string; portfolios: string };
      expect(row.portfolio_id).toBe(INDIVIDUAL);
      expect(JSON.parse(row.portfolios)).toEqual([INDIVIDUAL]);
    } finally {
      d.close();
    }
  });
});
