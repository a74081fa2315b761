/**
 * resolvePortfolioIds (core/engine/portfolio-scope.ts): `--portfolio` values name known
 * portfolios by id or by a unique prefix of at least 8 characters; anything else is a usage
 * error (exit code 2) listing the known portfolios, each as its id and its name.
 */
import { describe, expect, it } from 'vitest';
import { BatchdeskError } from '../../../core/api/errors';
import { resolvePortfolioIds } from '../../../core/engine/portfolio-scope';

const KNOWN = [
  { id: 'ab46c3c0-ed71-6f5b-b3f3-d36fa65e210c', name: 'Private Opportunities' },
  { id: 'ab46c3c0-ffff-0000-0000-000000000000', name: 'Caf\u00e9, Growth' },
  { id: 'fcd71196-e93e-f000-5a74-31a9eead3118', name: 'Hedge Fund Style' },
];

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BatchdeskError);
    expect((err as BatchdeskError).exitCode).toBe(2);
    return (err as Error).message;
  }
  throw new Error('no error');
}

describe('resolvePortfolioIds', () => {
  it('keeps every portfolio for no value', () => {
    expect(resolvePortfolioIds(KNOWN, [])).toEqual([]);
  });

  it('matches ids and prefixes in any case (ids are lowercase UUIDs); an exact id wins over a case-folded one', () => {
    expect(resolvePortfolioIds(KNOWN, ['FCD71196', 'AB46C3C0-ED71-6F5B-B3F3-D36FA65E210C'])).toEqual(['fcd71196-e93e-f000-5a74-31a9eead3118', 'ab46c3c0-ed71-6f5b-b3f3-d36fa65e210c']);
    expect(usage(() => resolvePortfolioIds(KNOWN, ['AB46C3C0']))).toMatch(/is ambiguous/);
    expect(usage(() => resolvePortfolioIds(KNOWN, ['FCD7']))).toMatch(/unknown portfolio "FCD7"/);
    expect(resolvePortfolioIds([{ id: 'Mixed-Case-Id', name: 'a' }, { id: 'mixed-case-id', name: 'b' }], ['Mixed-Case-Id'])).toEqual(['Mixed-Case-Id']);
  });

  it('takes full ids and unique prefixes of 8 or more characters, in order, without repeats', () => {
    expect(resolvePortfolioIds(KNOWN, ['fcd71196', 'ab46c3c0-ed71', 'fcd71196-e93e-f000-5a74-31a9eead3118'])).toEqual(['fcd71196-e93e-f000-5a74-31a9eead3118', 'ab46c3c0-ed71-6f5b-b3f3-d36fa65e210c']);
  });

  it('refuses an unknown value, a prefix shorter than 8 characters, and lists the known ids with their names (by name, quoted, ASCII)', () => {
    expect(usage(() => resolvePortfolioIds(KNOWN, ['nope', 'fcd7']))).toBe(
      'unknown portfolio "nope", "fcd7"; known ids: ab46c3c0-ffff-0000-0000-000000000000  "Caf\\u00e9, Growth", fcd71196-e93e-f000-5a74-31a9eead3118  "Hedge Fund Style", ab46c3c0-ed71-6f5b-b3f3-d36fa65e210c  "Private Opportunities" (an id or its first 8 or more characters)',
    );
    expect(usage(() => resolvePortfolioIds([], ['x']))).toMatch(/known ids: none/);
  });

  it('refuses a prefix that starts two ids, naming both with their names', () => {
    expect(usage(() => resolvePortfolioIds(KNOWN, ['ab46c3c0']))).toBe(
      'portfolio "ab46c3c0" is ambiguous: it starts ab46c3c0-ffff-0000-0000-000000000000  "Caf\\u00e9, Growth", ab46c3c0-ed71-6f5b-b3f3-d36fa65e210c  "Private Opportunities"; give more of the id',
    );
  });
});
