/**
 * The one way the CLI reads a number a flag takes (SPEC.md k.1: a bad value is a usage error,
 * exit code 2, k.3). Only plain decimal spellings: a whole number is digits with an optional
 * sign; a decimal adds one optional point, and an exponent only for a flag whose values are
 * written that way (`--tolerance-ratio 1e-6`). JavaScript's Number() reads `0x10`, `0b101`,
 * `1e2`, ` 7 ` and `Infinity` too, spellings nobody means for `--days`. Then the flag's range
 * schema (the contract's, where it has one) decides. A refusal says what was given, what is
 * accepted in the words of the range ("a whole number from 1 to 36500") and an example.
 */
import type { z } from 'zod';
import { usageError } from '../core/api/errors';
import { numberRangeWords } from '../core/api/issue-words';
import { shownValue } from '../core/api/ascii-json';

export interface NumberFlag {
  /** As the command line writes it: `--days`. */
  readonly name: string;
  /** The values it takes: whole numbers or not (`.int()`), and their range. */
  readonly range: z.ZodNumber;
  /** A value a user would write, shown in a refusal: `30`. */
  readonly example: string;
  /** A decimal flag whose values are naturally written with an exponent (`1e-6`). */
  readonly exponent?: boolean;
}

const DIGITS = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const DECIMAL_WITH_EXPONENT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The spellings a flag takes, as a pattern and in words. */
function spelling(flag: NumberFlag): { readonly pattern: RegExp; readonly words: string } {
  if (flag.range.isInt) return { pattern: DIGITS, words: 'written in digits' };
  if (flag.exponent) return { pattern: DECIMAL_WITH_EXPONENT, words: 'written in digits with an optional decimal point and exponent' };
  return { pattern: DECIMAL, words: 'written in digits with an optional decimal point' };
}

/** What `flag` accepts, as its refusals and tests say it: `a whole number from 1 to 36500, written in digits, e.g. --days 30`. */
function acceptedWords(flag: NumberFlag): string {
  return `${numberRangeWords(flag.range)}, ${spelling(flag).words}, e.g. ${flag.name} ${flag.example}`;
}

/** The number `value` spells for `flag`; a usage error naming what is accepted when it spells none. Undefined stays undefined (the flag left out). */
export function readNumberFlag(flag: NumberFlag, value: string, command: string): number;
export function readNumberFlag(flag: NumberFlag, value: string | undefined, command: string): number | undefined;
export function readNumberFlag(flag: NumberFlag, value: string | undefined, command: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = spelling(flag).pattern.test(value) ? flag.range.safeParse(Number(value)) : null;
  if (parsed?.success) return parsed.data;
  throw usageError(`${flag.name} ${shownValue(value)}: expected ${acceptedWords(flag)} (see \`batchdesk ${command} --help\`)`);
}
