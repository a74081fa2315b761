/**
 * The unknown- and ambiguous-`--portfolio` errors list each portfolio as its id and its name
 * (tester: the error was the CLI's only list of portfolio ids, and it gave five UUIDs without
 * names). By name, the names quoted and in ASCII as an error echoes a value; the run (core's
 * planner) and the maintenance and report commands (the database's resolver) say it alike.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { ENV, SAFE_NOW, execOn } from '../support/safeguards';

const DEMO_LIST = [
  'ab46c3c0-ed71-6f5b-b3f3-d36fa65e210c  "Demo Family Office Private Opportunities"',
  '9381dd8d-db58-9843-f5e4-4eea0ae62e9a  "Demo Family Office Public Growth"',
  'fcd71196-e93e-f000-5a74-31a9eead3118  "Demo Hedge Fund Style Investor Portfolio"',
  'e23ab931-a033-edfe-ed4f-9d02474780b4  "Demo High Net Worth Investor Portfolio"',
  '1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe  "Demo Individual Investor Portfolio"',
].join(', ');

describe('--portfolio errors name the portfolios', () => {
  const db = seedDemoDb(SAFE_NOW);

  it.each([
    ['run', ['run']],
    ['purge', ['purge', '--from', '2025-07-08', '--yes']],
    // A database never run: the unknown id is named before "nothing to check" could hide it.
    ['verify guard', ['verify', 'guard']],
  ])('an unknown id on %s lists every id with its name, by name (exit 2)', async (_command, args) => {
    const r = await runCli([...args, '--db', db, '--portfolio', 'nope'], ENV);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe(`error: unknown portfolio "nope"; known ids: ${DEMO_LIST} (an id or its first 8 or more characters)`);
  });

  it('an ambiguous prefix names the portfolios it starts, a non-ASCII name escaped', async () => {
    const copy = seedDemoDb(SAFE_NOW);
    execOn(copy, (d) =>
      d
        .prepare(`INSERT INTO portfolios (id, user_id, name, account_name, created_at) SELECT ?, user_id, ?, 'second account', created_at FROM portfolios WHERE id = ?`)
        .run('ab46c3c0-0000-4000-8000-000000000000', 'Caf\u00e9 Fund', 'ab46c3c0-ed71-6f5b-b3f3-d36fa65e210c'),
    );
    const r = await runCli(['run', '--db', copy, '--portfolio', 'AB46C3C0'], ENV);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe(
      'error: portfolio "AB46C3C0" is ambiguous: it starts ab46c3c0-0000-4000-8000-000000000000  "Caf\\u00e9 Fund", ab46c3c0-ed71-6f5b-b3f3-d36fa65e210c  "Demo Family Office Private Opportunities"; give more of the id',
    );
  });
});
