/**
 * What a command's flag declarations promise (cli/command.ts FlagSpec), held for every command:
 * - `nonNegative`: `--flag -1` is refused with the allowed range, not with a hint to write
 *   `--flag=-1` that only leads to that refusal; flags that take negative numbers keep the hint;
 * - `required`: help marks the flag "(required)", and the command refuses to run without it
 *   (SPEC.md k.1: a usage error, exit code 2);
 * - a flag that takes one value (not `multiple`) given twice is a usage error naming it, never
 *   the last value kept in silence; the `multiple` ones (--portfolio, --phase, --symbols) repeat.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GLOBAL_FLAGS } from '../../cli/args';
import { COMMANDS } from '../../cli/commands';
import { runCli, tempDir } from '../support/cli';

const NOW = { BATCHDESK_NOW: '2025-07-10T23:00:00Z' };

/** Commands and the arguments that bring them to their flag checks, by `<command> --<flag>`. */
const NON_NEGATIVE: Record<string, readonly string[]> = {
  'run --chunk-days': ['run'],
  'run --max-missing-marks': ['run'],
  'run --implied-vol': ['run'],
  'run --seed': ['run'],
  'rebuild --chunk-days': ['rebuild', '--start-date', '2025-07-01'],
  'rebuild --monitor-days': ['rebuild', '--start-date', '2025-07-01'],
  'history --days': ['history'],
  'history compare --tolerance-money': ['history', 'compare', 'a.json', 'b.json'],
  'history compare --tolerance-ratio': ['history', 'compare', 'a.json', 'b.json'],
  'backup --keep': ['backup'],
  'serve --port': ['serve'],
  'seed-demo --seed': ['seed-demo'],
  'verify rowcounts --since-purge': ['verify', 'rowcounts'],
  'reconcile --threshold': ['reconcile'],
  'diagnose --threshold': ['diagnose'],
  'diagnose equity-cash --threshold': ['diagnose', 'equity-cash'],
};

const REQUIRED = ['history export-baseline --end-date', 'history export-baseline --out', 'history export-baseline --start-date', 'prices export --out', 'profiles export --out', 'rebuild --start-date', 'verify coverage --start-date'];

const declared = (pick: (f: (typeof COMMANDS)[number]['flags'][string]) => boolean | undefined): string[] =>
  COMMANDS.flatMap((c) => Object.entries(c.flags).filter(([, f]) => pick(f)).map(([name]) => `${c.name} --${name}`)).sort();

describe('a negative value for a flag that cannot be negative', () => {
  it('every non-negative flag is covered here', () => {
    expect(declared((f) => f.nonNegative)).toEqual(Object.keys(NON_NEGATIVE).sort());
  });

  for (const [key, args] of Object.entries(NON_NEGATIVE)) {
    const flag = key.slice(key.indexOf('--'));
    it(`${key} -1 says the allowed range, exit 2, and touches no database`, async () => {
      const db = join(tempDir(), 'none.db');
      const r = await runCli([...args, flag, '-1', '--db', db], NOW);
      expect(r.code, r.stderr).toBe(2);
      // The number flags' refusal (cli/number-flag.ts); verify's --since-purge still says zod's bound.
      expect(r.stderr).toMatch(new RegExp(`^error: ${flag} "-1": (expected an? (whole )?number (from|>=|>) \\d+.*, e\\.g\\. ${flag} \\S+|must be more than 0) \\(see \`batchdesk [a-z -]+ --help\`\\)$`));
      expect(r.stderr).not.toContain(`${flag}=`);
      expect(existsSync(db)).toBe(false);
    });
  }

  it('a flag that takes negative numbers (--risk-free-rate) still says how to write one', async () => {
    const r = await runCli(['run', '--risk-free-rate', '-0.1', '--db', join(tempDir(), 'none.db')], NOW);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --risk-free-rate "-0.1": a value that starts with "-" reads like a flag; if you mean it, write --risk-free-rate=-0.1 (see `batchdesk run --help`)');
  });
});

describe('required flags', () => {
  it('are the ones these commands cannot run without', () => {
    expect(declared((f) => f.required)).toEqual(REQUIRED);
  });

  it('are marked "(required)" in help, and only they are', async () => {
    for (const c of COMMANDS) {
      const help = (await runCli([...c.name.split(' '), '--help'])).stdout.split('\n');
      for (const [name, f] of Object.entries(c.flags)) {
        const line = help.find((l) => l.startsWith(`  --${name} `) || l === `  --${name}`);
        expect(line, `${c.name} --${name}`).toBeDefined();
        expect(line!.includes('(required)'), `${c.name} --${name}: ${line}`).toBe(f.required === true);
      }
    }
  });

  it('left out, or given empty, are a usage error naming each of them, before the database is opened', async () => {
    for (const c of COMMANDS.filter((x) => Object.values(x.flags).some((f) => f.required))) {
      const db = join(tempDir(), 'none.db');
      const needs = Object.entries(c.flags).filter(([, f]) => f.required).map(([name, f]) => `--${name} ${f.valueName}`);
      const r = await runCli([...c.name.split(' '), '--db', db], NOW);
      expect(r.code, c.name).toBe(2);
      expect(r.stderr).toBe(`error: \`batchdesk ${c.name}\` needs ${needs.join(' ')} (see \`batchdesk ${c.name} --help\`)`);
      expect(existsSync(db)).toBe(false);
    }
    const empty = await runCli(['profiles', 'export', '--out=', '--db', join(tempDir(), 'none.db')], NOW);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe('error: `batchdesk profiles export` needs --out FILE (see `batchdesk profiles export --help`)');
  });
});

describe('a flag that takes one value, given more than once', () => {
  it('is a usage error naming the flag and both values, for every command and such flag, before the database is opened', async () => {
    const single = COMMANDS.flatMap((c) => Object.entries({ ...GLOBAL_FLAGS, ...c.flags }).flatMap(([name, f]) => (f.type === 'string' && !f.multiple ? [[c.name, name] as const] : [])));
    expect(single.length).toBeGreaterThan(COMMANDS.length);
    for (const [command, name] of single) {
      const db = join(tempDir(), 'none.db');
      const args = [...command.split(' '), `--${name}`, 'a', `--${name}`, 'b', ...(name === 'db' ? [] : ['--db', db])];
      const r = await runCli(args, NOW);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe(`error: --${name} is given twice ("a", then "b") but takes one value; keep one (see \`batchdesk ${command} --help\`)`);
      expect(existsSync(db)).toBe(false);
    }
    const three = await runCli(['run', '--start-date', '2025-07-01', '--start-date=2025-07-02', '--db', join(tempDir(), 'none.db'), '--start-date', '2025-07-03'], NOW);
    expect(three.stderr).toBe('error: --start-date is given 3 times ("2025-07-01", then "2025-07-02", then "2025-07-03") but takes one value; keep one (see `batchdesk run --help`)');
    // Before the command too: `batchdesk --db A run --db B`.
    expect((await runCli(['--db', 'a.db', 'history', '--db', 'b.db'], NOW)).stderr).toBe('error: --db is given twice ("b.db", then "a.db") but takes one value; keep one (see `batchdesk history --help`)');
  });

  it('the flags meant to repeat keep working', async () => {
    const multiple = COMMANDS.flatMap((c) => Object.entries(c.flags).flatMap(([name, f]) => (f.multiple ? [`${c.name} --${name}`] : []))).sort();
    expect(multiple).toEqual(expect.arrayContaining(['prices export --symbols', 'purge --portfolio', 'rebuild --portfolio', 'run --phase', 'run --portfolio', 'reconcile --portfolio']));
    // k.2: --portfolio and --phase are repeatable wherever they are taken.
    expect(multiple.filter((m) => !/ --(portfolio|phase|symbols)$/.test(m))).toEqual([]);
    expect(COMMANDS.filter((c) => c.flags['portfolio'] && !c.flags['portfolio'].multiple).map((c) => c.name)).toEqual([]);
    const db = join(tempDir(), 'none.db');
    for (const args of [
      ['run', '--phase', 'market_data', '--phase', 'fundamentals', '--portfolio', 'p1', '--portfolio', 'p2'],
      ['prices', 'export', '--out', join(tempDir(), 'p.csv'), '--symbols', 'SPY', '--symbols', 'AAPL'],
      ['purge', '--portfolio', 'p1', '--portfolio', 'p2', '--dry-run'],
    ]) {
      const r = await runCli([...args, '--db', db], NOW);
      // Past the parser: the missing database is what stops them (exit 5).
      expect(r.stderr, args.join(' ')).toMatch(/^error: database .*none\.db does not exist/);
      expect(r.code).toBe(5);
    }
  });
});
