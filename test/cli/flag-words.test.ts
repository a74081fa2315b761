/**
 * The CLI's usage errors and help in the words of SPEC.md k.1: a misspelt flag gets the flag(s)
 * it most likely meant, written as the user typed it; conflicting flags are refused naming both;
 * a refusal says the flag and its value once; a command with subcommands names them; and
 * `history compare` prints money as money.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flagSuggestions } from '../../cli/args';
import { baselineOf } from '../support/baseline-document';
import { runCli, tempDir } from '../support/cli';

const NOW = { BATCHDESK_NOW: '2025-07-10T23:00:00Z' };
const db = join(tempDir(), 'none.sqlite');

async function refusal(args: readonly string[]): Promise<string> {
  const r = await runCli([...args, '--db', db], NOW);
  expect(r.code, r.stderr).toBe(2);
  return r.stderr;
}

describe('flagSuggestions', () => {
  const names = ['db', 'dry-run', 'start-date', 'tolerance-money', 'tolerance-ratio', 'portfolio'];
  it.each<[string, string[]]>([
    ['DRY-RUN', ['dry-run']],
    ['start', ['start-date']],
    ['tolerance', ['tolerance-money', 'tolerance-ratio']],
    ['portfoli', ['portfolio']],
    ['frobnicate', []],
    ['', []],
    // One letter shares nothing with `db`: no suggestion; one letter off it is a typo of it.
    ['x', []],
    ['dx', ['db']],
  ])('%s -> %j', (word, expected) => {
    expect(flagSuggestions(word, names)).toEqual(expected);
  });
});

describe('a misspelt flag names the flag(s) meant', () => {
  it.each<[string, string[], string]>([
    ['a flag cut short', ['run', '--target', '2025-07-10'], 'error: unknown flag --target for `batchdesk run`; did you mean --target-date? (see `batchdesk run --help`)'],
    ['a flag cut short, on rebuild', ['rebuild', '--start', '2025-07-01'], 'error: unknown flag --start for `batchdesk rebuild`; did you mean --start-date? (see `batchdesk rebuild --help`)'],
    ['the start of two flags', ['history', 'compare', 'a.json', 'b.json', '--tolerance', '0.1'], 'error: unknown flag --tolerance for `batchdesk history compare`; did you mean --tolerance-money or --tolerance-ratio? (see `batchdesk history compare --help`)'],
    ['a flag in capitals', ['run', '--DRY-RUN'], 'error: unknown flag --DRY-RUN for `batchdesk run`; did you mean --dry-run? (see `batchdesk run --help`)'],
    ['a short flag, as typed', ['run', '-n'], 'error: unknown flag -n for `batchdesk run`; flags are written in full, as --name (see `batchdesk run --help`)'],
    ['a long flag with one dash, as typed', ['run', '-dry-run'], 'error: unknown flag -dry-run for `batchdesk run`; did you mean --dry-run? (see `batchdesk run --help`)'],
    ['no name at all', ['run', '--=7'], 'error: unknown flag --=7 for `batchdesk run` (see `batchdesk run --help`)'],
  ])('%s', async (_, args, message) => {
    expect(await refusal(args)).toBe(message);
  });

  it('reads -h as --help, except as the value of the flag before it', async () => {
    for (const args of [['run', '-h'], ['diagnose', '-h'], ['run', '--resume', '-h']]) {
      const r = await runCli([...args, '--db', db], NOW);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: batchdesk ${args[0]} `));
    }
    expect(await refusal(['backup', '--out', '-h'])).toMatch(/^error: --out "-h": a value that starts with "-" reads like a flag/);
  });
});

describe('conflicting flags are a usage error naming both', () => {
  it('--quiet with --verbose', async () => {
    expect(await refusal(['history', '--quiet', '--verbose'])).toBe('error: --quiet and --verbose exclude each other: keep one (see `batchdesk history --help`)');
  });

  it('history --running with --days or --status, which it has nothing to select with', async () => {
    expect(await refusal(['history', '--running', '--days', '3'])).toBe(
      'error: --running cannot be combined with --days: it shows the run in flight now; leave it out, or drop --running for the runs and dates of a period (see `batchdesk history --help`)',
    );
    expect(await refusal(['history', '--running', '--days', '3', '--status', 'failed'])).toMatch(/^error: --running cannot be combined with --days or --status: .*leave them out/);
  });
});

describe('a refusal says the flag and its value once', () => {
  it.each<[string, string[], string]>([
    ['an inverted range', ['run', '--start-date', '2025-07-08', '--end-date', '2025-07-01'], 'error: --end-date 2025-07-01 is before --start-date 2025-07-08 (see `batchdesk run --help`)'],
    ['an inverted export range', ['prices', 'export', '--out', 'x.csv', '--start-date', '2025-07-08', '--end-date', '2025-07-01'], 'error: --end-date 2025-07-01 is before --start-date 2025-07-08 (see `batchdesk prices export --help`)'],
    ['a bare --resume with dates', ['run', '--resume', '--target-date', '2025-07-10'], 'error: --resume cannot be combined with dates or --retry-failed-phases (see `batchdesk run --help`)'],
    // g.11: the resumed plan's phases, portfolios and chunks are followed, so flags naming others are refused, not recorded and ignored.
    [
      '--resume with plan flags',
      ['run', '--resume', '--phase', 'marks', '--portfolio', 'ab46c3c0', '--with-prerequisites', '--chunk-days', '5'],
      "error: --resume continues the stopped run's plan (its dates, phases, portfolios and chunks) and cannot be combined with --phase, --portfolio, --with-prerequisites, --chunk-days; run without --resume to plan other phases or portfolios (see `batchdesk run --help`)",
    ],
    // `-` is standard input for an import; an export refused it not, and wrote a file named `-`.
    ['prices export to -', ['prices', 'export', '--out', '-'], "error: --out -: an export writes a file, not standard output; give the file's path, e.g. --out prices.csv"],
    ['profiles export to -', ['profiles', 'export', '--out', '-'], "error: --out -: an export writes a file, not standard output; give the file's path, e.g. --out profiles.csv"],
    ['--target-date with a range', ['run', '--target-date', '2025-07-10', '--start-date', '2025-07-01'], 'error: --target-date cannot be combined with --start-date/--end-date (see `batchdesk run --help`)'],
    ['a bad value, still echoed', ['run', '--market-data', 'pigeon'], 'error: --market-data "pigeon": expected one of "online", "offline" or "synthetic" (see `batchdesk run --help`)'],
  ])('%s', async (_, args, message) => {
    expect(await refusal(args)).toBe(message);
  });
});

describe('subcommands and accepted values are named', () => {
  it('an unknown subcommand of a command that also runs alone', async () => {
    expect(await refusal(['diagnose', 'bogus'])).toBe('error: unknown subcommand "bogus" of `diagnose`; one of: equity-cash, prices (see `batchdesk --help`)');
    expect(await refusal(['diagnose', 'price'])).toMatch(/one of: equity-cash, prices; did you mean `diagnose prices`\?/);
    expect(await refusal(['history', 'bogus'])).toMatch(/^error: unknown subcommand "bogus" of `history`; one of: export-baseline, compare /);
  });

  it('history --help lists the statuses --status takes', async () => {
    const r = await runCli(['history', '--help']);
    expect(r.stdout).toMatch(/--status S +only runs and dates with this status: running, completed, partial, failed, cancelled, interrupted, success, stale, imported\n/);
  });
});

describe('history compare in human form', () => {
  const baseline = (snapshot: Record<string, number>) => baselineOf({ outputs: [{ portfolio_id: 'p0000001', date: '2025-07-01', snapshot, row_counts: { position_marks: 9 }, hashes: {} }] });

  it('prints money fields as money and other numbers plainly', async () => {
    const dir = tempDir();
    const fa = join(dir, 'a.json');
    const fb = join(dir, 'b.json');
    writeFileSync(fa, JSON.stringify(baseline({ total_value: 950000, cash_value: -1234.5, daily_return: 0.1, num_positions: 9 })));
    writeFileSync(fb, JSON.stringify(baseline({ total_value: 951234.5, cash_value: -1234, daily_return: 0.1 + 1e-4, num_positions: 10 })));
    const r = await runCli(['history', 'compare', fa, fb]);
    expect(r.code).toBe(4);
    const row = (field: string) => r.stdout.split('\n').find((l) => l.includes(` ${field} `))?.trim().split(/ {2,}/).slice(4);
    expect(row('total_value')).toEqual(['950,000.00', '951,234.50', '1,234.50']);
    expect(row('cash_value')).toEqual(['-1,234.50', '-1,234.00', '0.50']);
    expect(row('daily_return')).toEqual(['0.1', '0.1001', '0.0001']);
    expect(row('num_positions')).toEqual(['9', '10', '1']);
  });
});
