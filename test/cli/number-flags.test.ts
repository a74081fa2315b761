/**
 * Every number flag of every command is read one way (cli/number-flag.ts; SPEC.md k.1, k.3):
 * plain decimal spellings only (digits and a sign for a whole number; one decimal point for a
 * decimal; an exponent only for --tolerance-ratio), then the flag's range. A refusal is a usage
 * error (exit 2) saying what was given, what is accepted and an example, and touches no
 * database. JavaScript's Number() would read `0x10`, `0b101`, `1e2`, ` 7 ` and `Infinity`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { COMMANDS } from '../../cli/commands';
import { readNumberFlag } from '../../cli/number-flag';
import { asciiJson } from '../../core/api/ascii-json';
import { numberRangeWords } from '../../core/api/issue-words';
import { runCli, tempDir } from '../support/cli';

const NOW = { BATCHDESK_NOW: '2025-07-10T23:00:00Z' };

interface NumberFlagRow {
  /** The command's words and the arguments that bring it to its number checks. */
  readonly args: readonly string[];
  /** The command its help names. */
  readonly help: string;
  readonly accepts: string;
  /** Spellings the flag takes (in range). */
  readonly good: readonly string[];
  /** Spellings or values it refuses, beyond the ones every number flag refuses. */
  readonly bad: readonly string[];
}

const WHOLE = 'written in digits';
const DECIMAL = 'written in digits with an optional decimal point';

const ROWS: Record<string, NumberFlagRow> = {
  'run --chunk-days': { args: ['run'], help: 'run', accepts: `a whole number from 0 to 36500, ${WHOLE}, e.g. --chunk-days 7`, good: ['0', '7', '+7', '007', '36500'], bad: ['36501', '-1', '1.5', '1.0', '1e2'] },
  'run --seed': { args: ['run'], help: 'run', accepts: `a whole number from 0 to 4294967295, ${WHOLE}, e.g. --seed 42`, good: ['0', '42', '4294967295'], bad: ['4294967296', '-1', '4.2e1'] },
  'run --max-missing-marks': { args: ['run'], help: 'run', accepts: `a number from 0 to 1, ${DECIMAL}, e.g. --max-missing-marks 0.05`, good: ['0', '0.05', '.05', '1', '1.'], bad: ['1.5', '5e-2', '-0.1'] },
  'run --implied-vol': { args: ['run'], help: 'run', accepts: `a number > 0 and <= 5, ${DECIMAL}, e.g. --implied-vol 0.30`, good: ['0.3', '5', '+0.25'], bad: ['0', '5.01', '3e-1'] },
  'run --risk-free-rate': { args: ['run'], help: 'run', accepts: `a number from -0.5 to 1, ${DECIMAL}, e.g. --risk-free-rate 0.04`, good: ['0.04', '-0.5', '-.01', '1'], bad: ['-0.51', '1.01', '4e-2'] },
  'rebuild --chunk-days': { args: ['rebuild', '--start-date', '2025-07-01'], help: 'rebuild', accepts: `a whole number from 0 to 36500, ${WHOLE}, e.g. --chunk-days 7`, good: ['0', '7', '36500'], bad: ['36501', '-1', '7.5'] },
  'rebuild --monitor-days': { args: ['rebuild', '--start-date', '2025-07-01'], help: 'rebuild', accepts: `a whole number from 0 to 60, ${WHOLE}, e.g. --monitor-days 3`, good: ['0', '3', '60'], bad: ['61', '-1', '3e0'] },
  // The contract's bound (getHistory: at most 36,500 days); --days 1e6 once printed a year before 0.
  'history --days': { args: ['history'], help: 'history', accepts: `a whole number from 1 to 36500, ${WHOLE}, e.g. --days 30`, good: ['1', '30', '36500'], bad: ['0', '36501', '1000000', '1e6', '1e2', '-1'] },
  'history compare --tolerance-money': { args: ['history', 'compare', 'a.json', 'b.json'], help: 'history compare', accepts: `a number >= 0, ${DECIMAL}, e.g. --tolerance-money 0.01`, good: ['0', '0.01', '250'], bad: ['-0.01', '1e-2'] },
  'history compare --tolerance-ratio': {
    args: ['history', 'compare', 'a.json', 'b.json'],
    help: 'history compare',
    accepts: `a number >= 0, written in digits with an optional decimal point and exponent, e.g. --tolerance-ratio 1e-6`,
    good: ['1e-6', '1E-6', '2.5e-7', '1e+2', '0.000001', '0'],
    bad: ['-1e-6', '1e', 'e-6', '1e-6.5', '1e400'],
  },
  'backup --keep': { args: ['backup'], help: 'backup', accepts: `a whole number from 1 to 10000, ${WHOLE}, e.g. --keep 10`, good: ['1', '10', '500'], bad: ['0', '-1', '2.0'] },
  'serve --port': { args: ['serve'], help: 'serve', accepts: `a whole number from 0 to 65535, ${WHOLE}, e.g. --port 8765`, good: ['0', '8765', '65535'], bad: ['65536', '-1', '80.0'] },
  'seed-demo --seed': { args: ['seed-demo', '--end-date', '2030-01-02'], help: 'seed-demo', accepts: `a whole number from 0 to 4294967295, ${WHOLE}, e.g. --seed 42`, good: ['0', '42', '4294967295'], bad: ['4294967296', '-1', '1e3'] },
  'reconcile --threshold': { args: ['reconcile'], help: 'reconcile', accepts: `a number > 0, ${DECIMAL}, e.g. --threshold 1.00`, good: ['1', '1.00', '0.5', '2500'], bad: ['0', '-1', '1e3'] },
  'diagnose --threshold': { args: ['diagnose'], help: 'diagnose equity-cash', accepts: `a number > 0, ${DECIMAL}, e.g. --threshold 1.00`, good: ['1', '0.25'], bad: ['0', '1e3'] },
  'verify rowcounts --since-purge': { args: ['verify', 'rowcounts'], help: 'verify rowcounts', accepts: `a whole number > 0, ${WHOLE}, e.g. --since-purge 3`, good: ['1', '42'], bad: ['0', '-3', '2.0'] },
  'diagnose equity-cash --threshold': { args: ['diagnose', 'equity-cash'], help: 'diagnose equity-cash', accepts: `a number > 0, ${DECIMAL}, e.g. --threshold 1.00`, good: ['1', '0.25'], bad: ['0', '1e3'] },
};

/** Spellings no number flag takes: other bases, separators, padding, words for infinity and not-a-number, a full-width digit. */
const NEVER = ['0x10', '0b101', '0o7', ' 7 ', '7 ', '1_000', '1,5', '1.2.3', '.', '+', '- 1', 'Infinity', '-Infinity', 'NaN', 'abc', '\uff17'];

/**
 * The flags whose value is a number, by their declaration: N, X, T or FRACTION, and `verify
 * rowcounts --since-purge ID`, a maintenance_log id.
 */
const numberFlags = (): string[] =>
  COMMANDS.flatMap((c) => Object.entries(c.flags).filter(([name, f]) => ['N', 'X', 'T', 'FRACTION'].includes(f.valueName ?? '') || (c.name === 'verify rowcounts' && name === 'since-purge')).map(([name]) => `${c.name} --${name}`)).sort();

describe('number flags', () => {
  it('every number flag of every command is in the table', () => {
    expect(numberFlags()).toEqual(Object.keys(ROWS).sort());
  });

  for (const [key, row] of Object.entries(ROWS)) {
    const flag = key.slice(key.indexOf('--'));
    it(`${key} refuses other spellings and values out of range with what it accepts (exit 2, no database)`, async () => {
      const db = join(tempDir(), 'none.db');
      for (const value of [...NEVER, ...row.bad]) {
        const r = await runCli([...row.args, `${flag}=${value}`, '--db', db], NOW);
        expect(r.code, `${key} ${JSON.stringify(value)}: ${r.stderr}`).toBe(2);
        expect(r.stderr).toBe(`error: ${flag} ${asciiJson(value)}: expected ${row.accepts} (see \`batchdesk ${row.help} --help\`)`);
      }
      expect(existsSync(db)).toBe(false);
    });

    it(`${key} takes ${row.good.join(', ')}`, async () => {
      const db = join(tempDir(), 'none.db');
      for (const value of row.good) {
        // Past the number check the command stops on something else: the missing database or
        // baseline files, the confirmation rebuild needs, seed-demo's unsettled --end-date.
        const r = await runCli([...row.args, `${flag}=${value}`, '--db', db], NOW);
        expect(r.stderr, `${key} ${value}`).not.toContain(`${flag} ${JSON.stringify(value)}`);
        expect(r.stderr).toMatch(/^error: (database .* does not exist|baseline file .* not found|Rebuild .* pass --yes to confirm|--end-date 2030-01-02: its close is not settled yet)/);
      }
      expect(existsSync(db)).toBe(false);
    });
  }
});

describe('readNumberFlag', () => {
  const days = { name: '--days', range: z.number().int().min(1).max(36_500), example: '30' };
  const rate = { name: '--risk-free-rate', range: z.number().min(-0.5).max(1), example: '0.04' };
  const ratio = { name: '--tolerance-ratio', range: z.number().min(0), example: '1e-6', exponent: true };

  it.each<[string, string, number]>([
    ['days', '7', 7],
    ['days', '+7', 7],
    ['days', '007', 7],
    ['rate', '-0.25', -0.25],
    ['rate', '.5', 0.5],
    ['rate', '1.', 1],
    ['ratio', '1e-6', 1e-6],
    ['ratio', '2.5E+1', 25],
  ])('reads %s %j as %d', (which, value, expected) => {
    const flag = { days, rate, ratio }[which]!;
    expect(readNumberFlag(flag, value, 'cmd')).toBe(expected);
  });

  it('leaves a flag left out undefined', () => {
    expect(readNumberFlag(days, undefined, 'cmd')).toBeUndefined();
  });

  it('refuses as a usage error', () => {
    expect(() => readNumberFlag(days, '1e2', 'history')).toThrow(expect.objectContaining({ code: 'usage', message: '--days "1e2": expected a whole number from 1 to 36500, written in digits, e.g. --days 30 (see `batchdesk history --help`)' }));
  });
});

describe('numberRangeWords', () => {
  it.each<[string, z.ZodType<number>]>([
    ['a whole number from 1 to 36500', z.number().int().min(1).max(36_500)],
    ['a number from -0.5 to 1', z.number().min(-0.5).max(1)],
    ['a number > 0 and <= 5', z.number().positive().max(5)],
    ['a whole number >= 1', z.number().int().min(1)],
    ['a number > 0', z.number().positive()],
    ['a number < 1', z.number().lt(1)],
    ['a whole number', z.number().int()],
  ])('%s', (words, schema) => {
    expect(numberRangeWords(schema)).toBe(words);
  });
});
