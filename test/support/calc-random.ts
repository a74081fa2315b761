/**
 * Deterministic random data for the tests and the calc micro-benchmark (the pg import fuzz
 * cases and the Yahoo test doubles draw from it too):
 * mulberry32 (a small, well-known 32-bit generator), standard normal draws by Box–Muller, and
 * price paths built from returns. Same seed, same numbers, on every machine.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal. */
  normal(): number;
}

export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    normal(): number {
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
}

/** n i.i.d. normal draws with the given mean and standard deviation. */
export function normalSeries(rng: Rng, n: number, mu = 0, sigma = 1): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = mu + sigma * rng.normal();
  return out;
}

/** Prices p_0 = start, p_t = p_(t−1) (1 + r_t): length returns.length + 1. */
export function pricesFromReturns(returns: ArrayLike<number>, start = 100): Float64Array {
  const out = new Float64Array(returns.length + 1);
  out[0] = start;
  for (let i = 0; i < returns.length; i++) out[i + 1] = out[i]! * (1 + returns[i]!);
  return out;
}
