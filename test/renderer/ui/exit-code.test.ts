/**
 * Exit codes in words (SPEC.md k.3, the README's list), as the app shows them next to a code:
 * every code the CLI ends with says what it means, and code 4 names the failed check when the
 * caller knows it.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeText } from '../../../renderer/ui/exit-code';

describe('exitCodeText', () => {
  it('says what each exit code of the README means', () => {
    expect([0, 1, 2, 3, 4, 5, 130].map((c) => exitCodeText(c))).toEqual([
      'exit code 0 (success)',
      'exit code 1 (some dates failed or are partial)',
      'exit code 2 (usage error)',
      'exit code 3 (locked by another run)',
      'exit code 4 (a check failed or the gate is closed)',
      'exit code 5 (data or I/O error)',
      'exit code 130 (cancelled)',
    ]);
  });

  it('names the check that failed for code 4 when it is known, and only for code 4', () => {
    expect(exitCodeText(4, 'the guard failed')).toBe('exit code 4 (a check failed: the guard failed)');
    expect(exitCodeText(1, 'the guard failed')).toBe('exit code 1 (some dates failed or are partial)');
  });

  it('an unknown code is shown as it is', () => {
    expect(exitCodeText(9)).toBe('exit code 9');
  });
});
