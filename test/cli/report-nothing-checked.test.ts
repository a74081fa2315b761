/**
 * On a date nothing was processed for, the report commands say that nothing was checked and
 * exit 4 alike (SPEC.md i.2, i.4, k.3): the guard does not print "pass", and `diagnose
 * equity-cash` neither reports "0 flagged" with exit 0 nor shows the portfolio's current equity
 * for a date that is not its latest.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { copyTo, ENV, SAFE_NOW } from '../support/safeguards';

let seeded = '';
beforeAll(() => {
  seeded = seedDemoDb(SAFE_NOW);
}, 120_000);

describe('a date that was never processed', () => {
  it('verify guard says "not checked", not "pass", and exits 4', async () => {
    const r = await runCli(['verify', 'guard', '--db', copyTo(seeded), '--date', '2025-07-09'], ENV);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('Guard: not checked');
    expect(r.stdout).not.toContain('Guard: pass');
    expect(r.stdout).toContain('Result: no processed portfolio-date in this range, so nothing was checked');
  });

  it('diagnose equity-cash says nothing was checked, exits 4 and shows no current equity', async () => {
    const db = copyTo(seeded);
    const r = await runCli(['diagnose', 'equity-cash', '--db', db, '--date', '2025-07-09'], ENV);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('Flagged portfolios: 0 / 5');
    expect(r.stdout).toContain('Result: no snapshot on 2025-07-09, so nothing was checked; the latest processed date is none');
    expect(r.stdout).not.toContain('portfolio now');
    const json = await runCli(['diagnose', 'equity-cash', '--db', db, '--date', '2025-07-09', '--json'], ENV);
    expect(json.code).toBe(4);
    const out = JSON.parse(json.stdout) as { checked: number; lines: { portfolioEquity: number | null }[] };
    expect(out.checked).toBe(0);
    expect(out.lines.every((l) => l.portfolioEquity === null)).toBe(true);
  });
});
