/**
 * An exit code in words (SPEC.md k.3; the README's list): a run's result shows its code the
 * way the CLI would end, and this says what the code means next to it, with the check that
 * failed when the caller knows it.
 */
import { EXIT } from '../../core/api/errors';

const MEANINGS: Readonly<Record<number, string>> = {
  [EXIT.ok]: 'success',
  [EXIT.partial]: 'some dates failed or are partial',
  [EXIT.usage]: 'usage error',
  [EXIT.locked]: 'locked by another run',
  [EXIT.checkFailed]: 'a check failed or the gate is closed',
  [EXIT.data]: 'data or I/O error',
  [EXIT.cancelled]: 'cancelled',
};

/**
 * "exit code 4 (a check failed: ...)": the code and its meaning; for code 4, `check` names the
 * check that failed instead of the general "a check failed or the gate is closed".
 */
export function exitCodeText(code: number, check?: string): string {
  if (code === EXIT.checkFailed && check) return `exit code ${code} (a check failed: ${check})`;
  const meaning = MEANINGS[code];
  return meaning ? `exit code ${code} (${meaning})` : `exit code ${code}`;
}
