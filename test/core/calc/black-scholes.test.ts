import { describe, expect, it } from 'vitest';
import { blackScholes, yearFraction, type BlackScholesInput, type BlackScholesResult } from '../../../core/calc/black-scholes';
import { expectClose } from '../../support/calc-assert';

function bs(input: BlackScholesInput): BlackScholesResult {
  const r = blackScholes(input);
  if (!r.ok) throw new Error(r.reason);
  return r;
}

describe('Black-Scholes (SPEC.md d.2.3, d.2.4)', () => {
  it("Hull's example (Options, Futures and Other Derivatives, 'Black-Scholes-Merton' chapter): S 42, K 40, r 0.1, σ 0.2, T 0.5", () => {
    // Textbook: d1 = 0.7693, d2 = 0.6278, call = 4.76, put = 0.81 (printed to the digits shown).
    const call = bs({ spot: 42, strike: 40, rate: 0.1, vol: 0.2, timeYears: 0.5, right: 'call' });
    const put = bs({ spot: 42, strike: 40, rate: 0.1, vol: 0.2, timeYears: 0.5, right: 'put' });
    expectClose(call.d1, 0.7693, 0, 5e-5);
    expectClose(call.d2, 0.6278, 0, 5e-5);
    expectClose(call.price, 4.76, 0, 0.005);
    expectClose(put.price, 0.81, 0, 0.005);
  });

  it("Hull's Greek letters example: S 49, K 50, r 0.05, σ 0.2, T = 20 weeks (0.3846 y)", () => {
    // Textbook: call 2.40, delta 0.522, gamma 0.066, theta −4.31 per year, vega 12.1 per unit σ.
    const c = bs({ spot: 49, strike: 50, rate: 0.05, vol: 0.2, timeYears: 0.3846, right: 'call' });
    expectClose(c.price, 2.4, 0, 0.005);
    expectClose(c.delta, 0.522, 0, 5e-4);
    expectClose(c.gamma, 0.066, 0, 5e-4);
    expectClose(c.theta * 365, -4.31, 0, 0.005);
    expectClose(c.vega * 100, 12.1, 0, 0.05);
  });

  it('put-call parity C − P = S − K e^(−rT) (invariant), rel 1e-12', () => {
    for (const [spot, strike, t, vol] of [
      [100, 100, 1, 0.3],
      [42, 40, 0.5, 0.2],
      [10, 25, 0.02, 0.6],
      [250, 180, 2.5, 0.15],
    ] as const) {
      const base = { spot, strike, timeYears: t, vol, rate: 0.04 };
      const c = bs({ ...base, right: 'call' });
      const p = bs({ ...base, right: 'put' });
      expectClose(c.price - p.price, spot - strike * Math.exp(-0.04 * t), 1e-12, 1e-12);
      expectClose(c.delta - p.delta, 1, 1e-14);
      expectClose(c.gamma, p.gamma, 1e-15);
      expectClose(c.vega, p.vega, 1e-15);
    }
  });

  it('Greeks equal central finite differences of the price (second, independent derivation)', () => {
    const base = { spot: 87, strike: 95, timeYears: 0.7, vol: 0.35, rate: 0.04 } as const;
    for (const right of ['call', 'put'] as const) {
      const p = (o: Partial<BlackScholesInput>) => bs({ ...base, right, ...o }).price;
      const g = bs({ ...base, right });
      const h = 1e-3;
      expectClose(g.delta, (p({ spot: base.spot + h }) - p({ spot: base.spot - h })) / (2 * h), 1e-7, 1e-9);
      expectClose(
        g.gamma,
        (p({ spot: base.spot + 0.05 }) - 2 * p({}) + p({ spot: base.spot - 0.05 })) / 0.0025,
        1e-5,
      );
      const dt = 1e-5;
      const dPdT = (p({ timeYears: base.timeYears + dt }) - p({ timeYears: base.timeYears - dt })) / (2 * dt);
      expectClose(g.theta, -dPdT / 365, 1e-6, 1e-10);
      const dv = 1e-5;
      expectClose(g.vega, (p({ vol: base.vol + dv }) - p({ vol: base.vol - dv })) / (2 * dv) / 100, 1e-7);
    }
  });

  it('T = 0: intrinsic value and the stated Greeks at expiry', () => {
    const at = (spot: number, right: 'call' | 'put') => bs({ spot, strike: 50, timeYears: 0, vol: 0.3, rate: 0.04, right });
    expect(at(60, 'call')).toMatchObject({ price: 10, delta: 1, gamma: 0, theta: 0, vega: 0, d1: null });
    expect(at(40, 'call')).toMatchObject({ price: 0, delta: 0 });
    expect(at(50, 'call')).toMatchObject({ price: 0, delta: 0.5 });
    expect(at(40, 'put')).toMatchObject({ price: 10, delta: -1, gamma: 0, theta: 0, vega: 0 });
    expect(at(60, 'put')).toMatchObject({ price: 0, delta: 0 });
    expect(at(50, 'put')).toMatchObject({ price: 0, delta: -0.5 });
  });

  it('near expiry the price tends to intrinsic value', () => {
    const c = bs({ spot: 60, strike: 50, timeYears: 1 / 365 / 24, vol: 0.3, rate: 0.04, right: 'call' });
    expectClose(c.price, 10, 1e-4);
  });

  it('invalid inputs return model_inputs_invalid', () => {
    const ok = { spot: 50, strike: 50, timeYears: 0.5, vol: 0.3, rate: 0.04, right: 'call' } as const;
    for (const bad of [{ spot: 0 }, { spot: -1 }, { strike: 0 }, { vol: 0 }, { vol: -0.2 }, { timeYears: -0.1 }, { spot: NaN }, { rate: NaN }, { vol: Infinity }]) {
      expect(blackScholes({ ...ok, ...bad })).toEqual({ ok: false, reason: 'model_inputs_invalid' });
    }
  });

  it('year fraction: calendar days / 365, floored at 0', () => {
    expect(yearFraction(73)).toBe(0.2);
    expect(yearFraction(-3)).toBe(0);
  });
});
