/**
 * `batchdesk run` bad input (issue 3, SPEC.md k.3, m.5, m.22): a clear message, exit code 2 and
 * no change to the database. Also --dry-run writes nothing.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { liveProcess, sqlOn, writeLiveLock } from '../reliability/bad-input-harness';
import { runCli, tempDir } from '../support/cli';
import { tableContents } from '../support/db-content';

const NOW = '2025-09-30T23:00:00Z';

describe('run: bad input and dry runs', () => {
  const dir = tempDir();
  const db = join(dir, 'demo.db');
  let before: Record<string, string>;
  beforeAll(async () => {
    expect((await runCli(['seed-demo', '--db', db], { BATCHDESK_NOW: NOW })).code).toBe(0);
    before = tableContents(db);
  });

  const cases: [string, string[], RegExp][] = [
    ['unknown phase', ['--phase', 'markz'], /^error: --phase "markz": expected one of "market_data", "fundamentals", "marks", "snapshots", "sector_tags" or "analytics" \(see `batchdesk run --help`\)$/],
    ['end before start', ['--start-date', '2025-08-10', '--end-date', '2025-08-01'], /before --start-date/],
    ['a date that does not parse', ['--start-date', '2025-13-01'], /--start-date.*YYYY-MM-DD/],
    ['a non-trading --target-date', ['--target-date', '2025-07-04'], /not a trading day.*2025-07-03/],
    ['a date after the target date', ['--target-date', '2025-10-01'], /not settled yet \(the target date, the latest settled trading day, is 2025-09-30\)/],
    ['an unknown portfolio', ['--portfolio', 'nope'], /unknown portfolio "nope"/],
    ['a misspelt flag', ['--chunk-day', '7'], /unknown flag --chunk-day.*did you mean --chunk-days/],
    ['target date with a range', ['--target-date', '2025-07-01', '--start-date', '2025-07-01'], /cannot be combined/],
    // The chunk size cannot be negative: the range, not a hint to write --chunk-days=-3.
    ['a negative chunk size', ['--chunk-days', '-3'], /^error: --chunk-days "-3": expected a whole number from 0 to 36500, written in digits, e\.g\. --chunk-days 7 \(see `batchdesk run --help`\)$/],
    ['a negative chunk size written with =', ['--chunk-days=-3'], /--chunk-days "-3": expected a whole number from 0 to 36500/],
    ['a chunk size that is not a number', ['--chunk-days', 'abc'], /--chunk-days "abc": expected a whole number from 0 to 36500/],
    ['a fractional chunk size', ['--chunk-days', '1.5'], /--chunk-days "1\.5": expected a whole number from 0 to 36500/],
    ['a guard threshold above 1', ['--max-missing-marks', '1.5'], /--max-missing-marks "1\.5": expected a number from 0 to 1, written in digits with an optional decimal point, e\.g\. --max-missing-marks 0\.05 \(see/],
    ['an unknown market-data mode', ['--market-data', 'carrier-pigeon'], /^error: --market-data "carrier-pigeon": expected one of "online", "offline" or "synthetic" \(see/],
    ['a missing prerequisite', ['--phase', 'snapshots', '--target-date', '2025-07-01'], /prerequisites.*snapshots needs marks/],
    // e.1: only online and offline read a CSV folder.
    ['--csv-dir with --market-data synthetic', ['--market-data', 'synthetic', '--csv-dir', '.'], /^error: --csv-dir \. is read only by --market-data online \(the folder, then Yahoo\) or offline \(the folder only\); with --market-data synthetic the synthetic generator answers every request and the folder would never be read\. Leave out --csv-dir, or choose --market-data offline or online$/],
    ["--csv-dir on a database whose market_data.mode is synthetic (the demo's)", ['--csv-dir', '.'], /--csv-dir \. is read only by .*with this database's market_data\.mode \(synthetic\)/],
    ['--csv-dir with --market-data synthetic in a dry run', ['--market-data', 'synthetic', '--csv-dir', '.', '--dry-run'], /--csv-dir \. is read only by --market-data online/],
    ['a one-value flag given twice', ['--start-date', '2025-07-01', '--start-date', '2025-07-02'], /^error: --start-date is given twice \("2025-07-01", then "2025-07-02"\) but takes one value; keep one/],
    // A retry checks the dates it is given as a run does (it answered "Nothing to retry", exit 0).
    ['a retry of a non-trading --target-date', ['--retry-failed-phases', '--target-date', '2025-07-04'], /--target-date 2025-07-04 is not a trading day; the previous trading day is 2025-07-03/],
    ['a retry of a date after the target date', ['--retry-failed-phases', '--target-date', '2025-10-04'], /not settled yet/],
    ['a retry of a range ending after the target date', ['--retry-failed-phases', '--start-date', '2025-09-20', '--end-date', '2025-10-15'], /--end-date 2025-10-15: its close is not settled yet/],
  ];
  for (const [name, args, message] of cases) {
    it(`refuses ${name} with exit 2 and changes nothing`, async () => {
      const r = await runCli(['run', '--db', db, ...args], { BATCHDESK_NOW: NOW });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
      expect(tableContents(db)).toEqual(before);
    });
  }

  it('rebuild refuses --csv-dir with --market-data synthetic before its backup and purge (exit 2)', async () => {
    const r = await runCli(['rebuild', '--db', db, '--start-date', '2025-07-01', '--yes', '--market-data', 'synthetic', '--csv-dir', dir, '--log-file', join(dir, 'logs', 'r.jsonl')], { BATCHDESK_NOW: NOW });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`error: --csv-dir ${dir} is read only by --market-data online (the folder, then Yahoo) or offline (the folder only); with --market-data synthetic`);
    expect(tableContents(db)).toEqual(before);
    expect(existsSync(join(dir, 'backups'))).toBe(false);
    expect(existsSync(join(dir, 'logs'))).toBe(false);
  });

  it('rebuild refuses --market-data online over synthetic prices before its backup and purge (exit 2; it purged, then its backfill refused)', async () => {
    const r = await runCli(['rebuild', '--db', db, '--start-date', '2025-07-01', '--yes', '--market-data', 'online', '--log-file', join(dir, 'logs', 'r.jsonl')], { BATCHDESK_NOW: NOW });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe('error: cannot rebuild: this database holds synthetic prices; an online run would mix them with real ones. Use --market-data synthetic (or offline).');
    expect(tableContents(db)).toEqual(before);
    expect(existsSync(join(dir, 'backups'))).toBe(false);
    expect(existsSync(join(dir, 'logs'))).toBe(false);
  });

  it('a required flag left out is named plainly (verify coverage without --start-date), exit 2', async () => {
    const r = await runCli(['verify', 'coverage', '--db', db], { BATCHDESK_NOW: NOW });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: `batchdesk verify coverage` needs --start-date YYYY-MM-DD (see `batchdesk verify coverage --help`)');
    expect(tableContents(db)).toEqual(before);
  });

  it("a report's --date on a weekend or holiday is a usage error naming the previous trading day", async () => {
    // 2025-07-05 is a Saturday and 2025-07-04 a holiday (NYSE calendar).
    for (const args of [['diagnose', 'prices'], ['diagnose', 'equity-cash'], ['verify', 'views'], ['reconcile']]) {
      const r = await runCli([...args, '--db', db, '--date', '2025-07-05'], { BATCHDESK_NOW: NOW });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--date 2025-07-05 is not a trading day; the previous trading day is 2025-07-03/);
    }
  });

  it('verify views on a date nothing was processed on fails and says so, instead of passing with nothing checked', async () => {
    const r = await runCli(['verify', 'views', '--db', db, '--date', '2025-07-01'], { BATCHDESK_NOW: NOW });
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/Result: no portfolio has a snapshot on 2025-07-01, so no view was checked; the latest processed date is none/);
  });

  it('verify guard over dates nothing was processed on fails and says so, and leaves the gate as it was', async () => {
    const r = await runCli(['verify', 'guard', '--db', db, '--start-date', '2025-07-01', '--end-date', '2025-07-03'], { BATCHDESK_NOW: NOW });
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/0 portfolio-date\(s\)[\s\S]*Gate: open\nResult: no processed portfolio-date in this range, so nothing was checked; the latest processed date is none/);
    expect(tableContents(db)).toEqual(before);
  });

  it('reconcile over dates without a complete snapshot fails and says so, instead of passing with nothing checked', async () => {
    const r = await runCli(['reconcile', '--db', db, '--date', '2025-07-01'], { BATCHDESK_NOW: NOW });
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/Flagged portfolio-dates: 0 \/ 0\nResult: no complete snapshot in this range, so nothing was reconciled; the latest processed date is none/);
    expect(tableContents(db)).toEqual(before);
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    const r = await runCli(['run', '--db', db, '--dry-run'], { BATCHDESK_NOW: NOW });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Dates: 65 in 1 chunk/);
    expect(r.stdout).toMatch(/2025-06-30\s+1d8ddd95\s+run\s+market_data,fundamentals,marks,snapshots,sector_tags,analytics\s+new_portfolio/);
    expect(r.stdout).toMatch(/Dry run: nothing was written/);
    expect(tableContents(db)).toEqual(before);
    const json = await runCli(['run', '--db', db, '--dry-run', '--summary-json', '--chunk-days', '7'], { BATCHDESK_NOW: NOW });
    const plan = JSON.parse(json.stdout) as { schema: string; dates: unknown[]; chunks: unknown[] };
    expect(plan.schema).toBe('batchdesk.run-plan/1');
    expect(plan.dates.length).toBe(65);
    expect(plan.chunks.length).toBe(14);
    expect(tableContents(db)).toEqual(before);
  });

  it('--dry-run warns of what would refuse the run: a live lock, a closed gate, synthetic prices on an online run (g.4)', async () => {
    const copy = join(tempDir(), 'held.db');
    copyFileSync(db, copy);
    const holder = liveProcess();
    try {
      writeLiveLock(copy, holder.pid!, NOW);
      sqlOn(copy, `INSERT INTO settings (key, value, updated_at) VALUES ('gate', json('{"state":"closed","since":"2025-09-29T22:00:00.000Z","findings":[]}'), '2025-09-29T22:00:00.000Z')`);
      const held = tableContents(copy);
      const r = await runCli(['run', '--db', copy, '--dry-run', '--market-data', 'online', '--summary-json'], { BATCHDESK_NOW: NOW });
      expect(r.code, r.stderr).toBe(0);
      const warnings = (JSON.parse(r.stdout) as { warnings: string[] }).warnings;
      expect(warnings).toEqual([
        expect.stringMatching(/^a run now would be refused: the database is locked by another run \(cli pid \d+ on /),
        expect.stringMatching(/^a run now would be refused: the regression gate is closed since 2025-09-29T22:00:00.000Z/),
        expect.stringMatching(/^a run now would be refused: this database holds synthetic prices; an online run would mix them/),
      ]);
      // The same refusals by code, for a program (the app disables Start on `locked`).
      expect((JSON.parse(r.stdout) as { refused_by: string[] }).refused_by).toEqual(['locked', 'gate_closed', 'usage']);
      const text = await runCli(['run', '--db', copy, '--dry-run'], { BATCHDESK_NOW: NOW });
      expect(text.stdout).toMatch(/\nwarning: a run now would be refused: the regression gate is closed/);
      expect(tableContents(copy)).toEqual(held);
    } finally {
      holder.kill();
    }
  });

  it('--dry-run warns when a range starts after a date without snapshots: its dates would fail (g.3)', async () => {
    const copy = join(tempDir(), 'gap.db');
    copyFileSync(db, copy);
    expect((await runCli(['run', '--db', copy, '--start-date', '2025-06-30', '--end-date', '2025-07-08', '--no-guard', '--quiet'], { BATCHDESK_NOW: NOW })).code).toBe(0);
    const r = await runCli(['run', '--db', copy, '--start-date', '2025-07-10', '--end-date', '2025-07-11', '--dry-run', '--summary-json'], { BATCHDESK_NOW: NOW });
    expect(r.code, r.stderr).toBe(0);
    // One line for the gap, naming every portfolio it blocks and where to start instead.
    expect((JSON.parse(r.stdout) as { warnings: string[] }).warnings).toEqual([
      expect.stringMatching(/^Demo .*, Demo .* have no snapshot for 2025-07-09 \(the latest before 2025-07-10 is 2025-07-08\): the planned dates from 2025-07-10 would fail \(previous_day_missing\); start at 2025-07-09 instead$/),
    ]);
    // A range that starts where the chain ends is not warned about.
    const ok = await runCli(['run', '--db', copy, '--start-date', '2025-07-09', '--end-date', '2025-07-11', '--dry-run', '--summary-json'], { BATCHDESK_NOW: NOW });
    expect((JSON.parse(ok.stdout) as { warnings: string[] }).warnings).toEqual([]);
  });

  it('refuses a database path in a folder that does not exist with exit 5 and creates nothing', async () => {
    const r = await runCli(['run', '--db', join(dir, 'missing', 'x.db')], { BATCHDESK_NOW: NOW });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/does not exist/);
  });
});
