/**
 * The shape of an expected failure of a calculation (ARCHITECTURE.md habit 4): a value with a stable
 * snake_case reason code, never an exception. Successful results carry `ok: true` plus their numbers.
 *
 * Bugs (arrays of different lengths, a negative size) still throw: they are programming errors, not data.
 */
export interface CalcFailure<R extends string> {
  readonly ok: false;
  readonly reason: R;
}

export function calcFailure<R extends string>(reason: R): CalcFailure<R> {
  return { ok: false, reason };
}
