/**
 * Daily factor-ETF returns for every trading day of the calendar (SPEC.md e.9):
 * f_i = mu + L z_i, where z_i holds normals 8i .. 8i+7 of the stream 'factors' and i is the
 * trading-day index from the calendar's first trading day (2000-01-03, index 0).
 *
 * Indexing draws by trading-day index from that fixed epoch makes every path independent of
 * the requested range: a sub-range is the same days of a longer range. f_i is the simple
 * return from trading day i - 1 to trading day i (f_0 is drawn but never used by a price).
 */
import { FACTOR_COUNT, type FactorModel } from './factor-model';
import { RandomStream } from './prng';

/** Row-major (day, factor) matrix of daily simple returns, `days` rows. */
export function generateFactorReturns(seed: number, model: FactorModel, days: number): Float64Array {
  const n = FACTOR_COUNT;
  const rng = new RandomStream(seed, 'factors');
  const l = model.cholesky;
  const out = new Float64Array(days * n);
  const z = new Float64Array(n);
  for (let t = 0; t < days; t++) {
    for (let k = 0; k < n; k++) z[k] = rng.normal();
    for (let i = 0; i < n; i++) {
      let s = model.mu[i]!;
      for (let k = 0; k <= i; k++) s += l[i * n + k]! * z[k]!;
      out[t * n + i] = s;
    }
  }
  return out;
}
