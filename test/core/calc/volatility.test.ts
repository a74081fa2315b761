import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import * as ss from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { harComponents, harForecast } from '../../../core/calc/har';
import { portfolioReturnSeries, portfolioVolatility } from '../../../core/calc/portfolio-volatility';
import {
  positionVolatility,
  symbolReturnSeries,
  volatilityMetrics,
  volTrend,
  type ReturnSeries,
  type VolatilityMetrics,
} from '../../../core/calc/volatility';
import { expectAllClose, expectClose } from '../../support/calc-assert';
import { normalSeries, pricesFromReturns, seededRng } from '../../support/calc-random';

const A = Math.sqrt(252);

function metrics(r: ArrayLike<number>): VolatilityMetrics {
  const m = volatilityMetrics(r);
  if (!m.ok) throw new Error(m.reason);
  return m;
}

/** Returns whose volatility drifts from `from` to `to` (annualised) over n days. */
function driftingVol(n: number, from: number, to: number, seed: number): Float64Array {
  const z = normalSeries(seededRng(seed), n);
  return z.map((v, i) => (v * (from + ((to - from) * i) / (n - 1))) / A);
}

describe('HAR components and forecast (SPEC.md d.10)', () => {
  const r = normalSeries(seededRng(71), 120, 0.0003, 0.012);

  it('rolling components equal simple-statistics sample deviations × √252, rel 1e-12', () => {
    const c = harComponents(r);
    for (const i of [0, 3, 4, 19, 20, 57, 119]) {
      expectClose(c.rvDaily[i], Math.abs(r[i]!) * A, 1e-15);
      if (i < 4) expect(c.rvWeekly[i]).toBeNaN();
      else expectClose(c.rvWeekly[i], ss.sampleStandardDeviation(Array.from(r.slice(i - 4, i + 1))) * A, 1e-12);
      if (i < 20) expect(c.rvMonthly[i]).toBeNaN();
      else expectClose(c.rvMonthly[i], ss.sampleStandardDeviation(Array.from(r.slice(i - 20, i + 1))) * A, 1e-12);
    }
  });

  it('forecast equals an SVD fit on independently built training rows, rel 1e-9', () => {
    // Rows t = 21 … n − 1 (1-based): regressors at t, target rv_d(t + 1).
    const n = r.length;
    const sd = (from: number, to: number) => ss.sampleStandardDeviation(Array.from(r.slice(from, to + 1))) * A;
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 20; i <= n - 2; i++) {
      X.push([1, Math.abs(r[i]!) * A, sd(i - 4, i), sd(i - 20, i)]);
      y.push(Math.abs(r[i + 1]!) * A);
    }
    const b = new SingularValueDecomposition(new Matrix(X)).solve(Matrix.columnVector(y)).to1DArray();
    const last = [1, Math.abs(r[n - 1]!) * A, sd(n - 5, n - 1), sd(n - 21, n - 1)];
    const expected = last.reduce((acc, v, j) => acc + v * b[j]!, 0);
    const h = harForecast(harComponents(r));
    if (!h.ok) throw new Error(h.reason);
    expect(h.trainingRows).toBe(n - 21);
    expectAllClose(h.coefficients, b, 1e-9, 1e-12);
    expectClose(h.forecast, expected, 1e-9);
    const fitted = X.map((row) => row.reduce((acc, v, j) => acc + v * b[j]!, 0));
    const my = ss.mean(y);
    const sse = y.reduce((acc, v, i) => acc + (v - fitted[i]!) ** 2, 0);
    const sst = y.reduce((acc, v) => acc + (v - my) ** 2, 0);
    expectClose(h.rSquared, 1 - sse / sst, 1e-9);
  });

  it('needs 30 training rows: n = 50 gives 29 (none), n = 51 gives 30', () => {
    expect(harForecast(harComponents(r.subarray(0, 50)))).toEqual({ ok: false, reason: 'insufficient_training_rows' });
    expect(harForecast(harComponents(r.subarray(0, 51)))).toMatchObject({ ok: true, trainingRows: 30 });
  });
});

describe('position volatility (SPEC.md d.10)', () => {
  it('realized, daily, weekly and monthly figures from their definitions, rel 1e-12', () => {
    const r = normalSeries(seededRng(72), 100, 0, 0.015);
    const m = metrics(r);
    const tail = (k: number) => Array.from(r.slice(100 - k));
    expectClose(m.realizedVol21d, ss.sampleStandardDeviation(tail(21)) * A, 1e-12);
    expectClose(m.realizedVol63d, ss.sampleStandardDeviation(tail(63)) * A, 1e-12);
    expectClose(m.volMonthly, m.realizedVol21d, 0);
    expectClose(m.volWeekly, ss.sampleStandardDeviation(tail(5)) * A, 1e-12);
    expectClose(m.volDaily, Math.abs(r[99]!) * A, 1e-15);
    expect(m.observations).toBe(100);
    expect(m.expectedVol21d).not.toBeNull();
    expect(m.volPercentile).toBeNull(); // n < 252
  });

  it('at least 63 returns; no closes at all is no_price_data', () => {
    const r = normalSeries(seededRng(73), 63);
    expect(volatilityMetrics(r.subarray(0, 62))).toEqual({ ok: false, reason: 'insufficient_observations', observations: 62 });
    expect(volatilityMetrics(r)).toMatchObject({ ok: true, observations: 63 });
    const none: ReturnSeries = { validCloses: 0, returns: new Float64Array(0), returnDays: new Int32Array(0) };
    expect(positionVolatility(none)).toEqual({ ok: false, reason: 'no_price_data', observations: 0 });
    const one: ReturnSeries = { validCloses: 1, returns: new Float64Array(0), returnDays: new Int32Array(0) };
    expect(positionVolatility(one)).toEqual({ ok: false, reason: 'insufficient_observations', observations: 0 });
  });

  it('symbol series: returns on consecutive valid closes, gaps skipped', () => {
    const p = new Float64Array([10, NaN, 11, 0, 12.1, 13.31]);
    const s = symbolReturnSeries(p, { from: 0, to: 5 });
    expect(s.validCloses).toBe(4);
    expectAllClose(s.returns, [0.1, 0.1, 0.1], 1e-14);
    expect(Array.from(s.returnDays)).toEqual([2, 4, 5]);
  });

  it('trend: rising volatility is increasing, falling is decreasing (hand-made rv_m lines)', () => {
    const up = Array.from({ length: 30 }, (_, i) => 0.1 + 0.01 * i);
    expect(volTrend(up, 60)).toEqual({ trend: 'increasing', strength: 1, slope: expect.closeTo(0.01, 12) });
    const down = up.slice().reverse();
    expect(volTrend(down, 60)).toMatchObject({ trend: 'decreasing', strength: 1 });
    const gentle = Array.from({ length: 21 }, (_, i) => 0.2 + 0.0005 * i); // slope below 0.001
    expect(volTrend(gentle, 60).trend).toBe('stable');
    expect(volTrend(up, 41)).toEqual({ trend: 'stable', strength: 0, slope: null });
    expect(volTrend(up.slice(0, 9), 60)).toEqual({ trend: 'stable', strength: 0, slope: null });
  });

  it('trend on generated returns follows the volatility drift', () => {
    expect(metrics(driftingVol(150, 0.1, 0.6, 74)).volTrend).toBe('increasing');
    expect(metrics(driftingVol(150, 0.6, 0.1, 75)).volTrend).toBe('decreasing');
  });

  it('percentile: needs n ≥ 252; the share of rv_m values strictly below the latest', () => {
    const calm = normalSeries(seededRng(76), 252, 0, 0.005);
    // A violent last month makes the latest rv_m the largest of the 232 values.
    for (let i = 231; i < 252; i++) calm[i] = (i % 2 === 0 ? 1 : -1) * 0.05;
    const m = metrics(calm);
    expectClose(m.volPercentile, 231 / 232, 1e-15);
    expect(metrics(calm.subarray(1)).volPercentile).toBeNull();
  });

  it('flat prices: every figure 0, forecast 0, stable trend, no NaN', () => {
    const m = metrics(new Float64Array(260));
    expect(m).toMatchObject({ realizedVol21d: 0, realizedVol63d: 0, volDaily: 0, volWeekly: 0, volTrend: 'stable' });
    expect(m.volTrendStrength).toBe(0);
    expect(m.expectedVol21d).toBe(0);
    expect(m.volPercentile).toBe(0);
  });
});

describe('portfolio volatility (SPEC.md d.10)', () => {
  const series = (returns: number[], days: number[]): ReturnSeries => ({
    validCloses: returns.length + 1,
    returns: Float64Array.from(returns),
    returnDays: Int32Array.from(days),
  });

  it('hand-computed union of dates with missing returns as 0', () => {
    // Weights 60/100 and 40/100. A has days 1, 2, 3; B has 2, 3, 4.
    const res = portfolioReturnSeries([
      { marketValue: 60, costValue: 0, series: series([0.01, 0.02, -0.01], [1, 2, 3]) },
      { marketValue: 40, costValue: 0, series: series([0.05, 0.0, 0.03], [2, 3, 4]) },
    ]);
    if (!res.ok) throw new Error(res.reason);
    expect(Array.from(res.returnDays)).toEqual([1, 2, 3, 4]);
    expectAllClose(res.returns, [0.006, 0.012 + 0.02, -0.006, 0.012], 1e-15, 1e-17);
    expectAllClose(res.weights, [0.6, 0.4], 1e-15);
    expect(res.basis).toBe('market_value');
  });

  it('signed weights: shorts subtract in the denominator', () => {
    const res = portfolioReturnSeries([
      { marketValue: 100, costValue: 0, series: series([0.01], [1]) },
      { marketValue: -50, costValue: 0, series: series([0.02], [1]) },
    ]);
    if (!res.ok) throw new Error(res.reason);
    expectAllClose(res.weights, [2, -1], 1e-15);
    expectClose(res.returns[0], 0, 0, 1e-17);
  });

  it('net value near zero, no lots, no returns', () => {
    const s = series([0.01], [1]);
    expect(
      portfolioReturnSeries([
        { marketValue: 100, costValue: 0, series: s },
        { marketValue: -99.5, costValue: 0, series: s },
      ]),
    ).toEqual({ ok: false, reason: 'net_value_near_zero' });
    expect(portfolioReturnSeries([{ marketValue: 0, costValue: 0, series: s }])).toEqual({
      ok: false,
      reason: 'net_value_near_zero',
    });
    expect(portfolioReturnSeries([])).toEqual({ ok: false, reason: 'no_positions' });
    const empty = series([], []);
    expect(portfolioReturnSeries([{ marketValue: 5, costValue: 0, series: empty }])).toEqual({
      ok: false,
      reason: 'no_price_data',
    });
  });

  it('lots without a mark are left out; when none has a mark, quantity × entry price is used', () => {
    const a = series([0.01], [1]);
    const b = series([0.03], [2]);
    const partial = portfolioReturnSeries([
      { marketValue: 50, costValue: 10, series: a },
      { marketValue: null, costValue: 10, series: b },
    ]);
    if (!partial.ok) throw new Error(partial.reason);
    expect(Array.from(partial.returnDays)).toEqual([1]);
    const cost = portfolioReturnSeries([
      { marketValue: null, costValue: 30, series: a },
      { marketValue: null, costValue: 10, series: b },
    ]);
    if (!cost.ok) throw new Error(cost.reason);
    expect(cost.basis).toBe('cost');
    expectAllClose(cost.returns, [0.0075, 0.0075], 1e-15);
  });

  it('a one-lot portfolio has the volatility of its position (invariant)', () => {
    const prices = pricesFromReturns(normalSeries(seededRng(77), 200, 0, 0.01));
    const s = symbolReturnSeries(prices, { from: 0, to: 200 });
    const pos = positionVolatility(s);
    const port = portfolioVolatility([{ marketValue: 1234, costValue: 0, series: s }]);
    expect(port).toEqual(pos);
  });

  it('fewer than 63 portfolio returns: insufficient_observations', () => {
    const s = series(Array.from({ length: 62 }, () => 0.01), Array.from({ length: 62 }, (_, i) => i));
    expect(portfolioVolatility([{ marketValue: 1, costValue: 0, series: s }])).toEqual({
      ok: false,
      reason: 'insufficient_observations',
      observations: 62,
    });
  });
});
