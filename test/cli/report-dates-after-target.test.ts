/**
 * A report date after the target date is a usage error (SPEC.md k.3: exit code 2), worded as
 * `run` and `diagnose prices` word it, for every report that takes dates: one date, and either
 * end of a range (as `run --end-date` and `verify coverage --end-date`). It is not "nothing was
 * checked" (exit code 4), which is for settled dates that were not processed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { tableContents } from '../support/db-content';
import { seedDemoDb } from '../support/demo-db';
import { copyTo, ENV, SAFE_NOW } from '../support/safeguards';

/** The target date of SAFE_NOW, and the next trading day. */
const TARGET = '2025-07-10';
const AFTER = '2025-07-11';

let db = '';
let before: Record<string, string>;
beforeAll(() => {
  expect(SAFE_NOW.startsWith(TARGET)).toBe(true);
  db = copyTo(seedDemoDb(SAFE_NOW));
  before = tableContents(db);
}, 120_000);

const REFUSED: [string[], string][] = [
  [['diagnose', '--date', AFTER], '--date'],
  [['diagnose', 'equity-cash', '--date', AFTER], '--date'],
  [['diagnose', 'prices', '--date', AFTER], '--date'],
  [['verify', 'views', '--date', AFTER], '--date'],
  [['verify', 'guard', '--date', AFTER], '--date'],
  [['reconcile', '--date', AFTER], '--date'],
  [['reconcile', '--start-date', '2025-07-01', '--end-date', AFTER], '--end-date'],
  [['reconcile', '--start-date', AFTER], '--start-date'],
  [['verify', 'guard', '--start-date', '2025-07-01', '--end-date', AFTER], '--end-date'],
  [['verify', 'guard', '--start-date', AFTER], '--start-date'],
  [['verify', 'coverage', '--start-date', '2025-07-01', '--end-date', AFTER], '--end-date'],
];

describe('report dates after the target date', () => {
  for (const [args, flag] of REFUSED) {
    it(`${args.join(' ')}: a usage error naming ${flag}, nothing changed`, async () => {
      const r = await runCli([...args, '--db', db], ENV);
      expect(r.code, r.stdout).toBe(2);
      expect(r.stderr).toBe(`error: ${flag} ${AFTER}: its close is not settled yet (the target date, the latest settled trading day, is ${TARGET})`);
      expect(r.stdout).toBe('');
      expect(tableContents(db)).toEqual(before);
    });
  }

  it('the target date itself is checked: not processed yet, so nothing was checked (exit 4)', async () => {
    for (const args of [['diagnose', 'equity-cash', '--date', TARGET], ['verify', 'views', '--date', TARGET], ['verify', 'guard', '--date', TARGET], ['reconcile', '--start-date', '2025-07-01', '--end-date', TARGET]]) {
      const r = await runCli([...args, '--db', db], ENV);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(4);
      expect(r.stdout).toMatch(/nothing was (checked|reconciled)|no view was checked/);
    }
  });
});
