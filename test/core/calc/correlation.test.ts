import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import * as ss from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { selectCorrelationSymbols, type CorrelationLot } from '../../../core/calc/correlation-candidates';
import { sampleCorrelationMatrix } from '../../../core/calc/correlation-matrix';
import { correlationSignificance, effectivePositions, overallCorrelation } from '../../../core/calc/correlation-metrics';
import { minCorrelationObservations, positionCorrelations } from '../../../core/calc/position-correlations';
import { repairCorrelationMatrix } from '../../../core/calc/psd-repair';
import { countValidCloses } from '../../../core/calc/returns';
import { matrixAt, squareMatrix, type SquareMatrix } from '../../../core/calc/square-matrix';
import { symmetricEigen } from '../../../core/calc/symmetric-eigen';
import { expectAllClose, expectClose } from '../../support/calc-assert';
import { normalSeries, pricesFromReturns, seededRng } from '../../support/calc-random';
import { matrixRows } from '../../support/matrix-rows';

const sq = (rows: number[][]): SquareMatrix => squareMatrix(rows.length, Float64Array.from(rows.flat()));

function minEigenvalueOf(m: SquareMatrix): number {
  // Independent check with ml-matrix's EVD (Householder tridiagonalisation + QL).
  return Math.min(...new EigenvalueDecomposition(new Matrix(matrixRows(m)), { assumeSymmetric: true }).realEigenvalues);
}

describe('symmetric eigen-decomposition (cyclic Jacobi)', () => {
  it('hand-computed 2 × 2: [[2, 1], [1, 2]] has eigenvalues 1 and 3', () => {
    const e = symmetricEigen(sq([[2, 1], [1, 2]]));
    expectAllClose(e.values, [1, 3], 1e-15);
    expect(e.converged).toBe(true);
    // Eigenvector of 1 is ±(1, −1)/√2.
    expectClose(Math.abs(e.vectors.data[0]!), Math.SQRT1_2, 1e-15);
  });

  it('matches ml-matrix EVD on random symmetric matrices; V Λ Vᵀ = A; VᵀV = I (abs 1e-12)', () => {
    const rng = seededRng(81);
    for (const n of [3, 8, 20]) {
      const raw = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal()));
      const rows = raw.map((r, i) => r.map((_, j) => (raw[i]![j]! + raw[j]![i]!) / 2));
      const e = symmetricEigen(sq(rows));
      const ref = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true }).realEigenvalues.sort((a, b) => a - b);
      expectAllClose(e.values, ref, 0, 1e-12);
      const V = new Matrix(matrixRows(e.vectors));
      const rebuilt = V.mmul(Matrix.diag(Array.from(e.values))).mmul(V.transpose()).to2DArray();
      expectAllClose(rebuilt.flat(), rows.flat(), 0, 1e-12);
      expectAllClose(V.transpose().mmul(V).to2DArray().flat(), Matrix.eye(n).to2DArray().flat(), 0, 1e-12);
    }
  });

  it('non-finite input does not throw', () => {
    const e = symmetricEigen(sq([[1, NaN], [NaN, 1]]));
    expect(e.converged).toBe(false);
    expect(Number.isNaN(e.values[0]!)).toBe(true);
  });
});

describe('PSD repair (SPEC.md d.11 step 8)', () => {
  it('repairs an indefinite "correlation" matrix into a PSD one with unit diagonal (invariant)', () => {
    // ρ12 = 0.9, ρ23 = 0.9, ρ13 = −0.9 cannot all hold: smallest eigenvalue is 1 − 1.8 = −0.8.
    const bad = sq([
      [1, 0.9, -0.9],
      [0.9, 1, 0.9],
      [-0.9, 0.9, 1],
    ]);
    const r = repairCorrelationMatrix(bad);
    expect(r.repaired).toBe(true);
    expectClose(r.minEigenvalue, -0.8, 1e-13);
    for (let i = 0; i < 3; i++) {
      expect(matrixAt(r.matrix, i, i)).toBe(1);
      for (let j = 0; j < 3; j++) {
        expect(matrixAt(r.matrix, i, j)).toBe(matrixAt(r.matrix, j, i));
        expect(Math.abs(matrixAt(r.matrix, i, j))).toBeLessThanOrEqual(1);
      }
    }
    expect(minEigenvalueOf(r.matrix)).toBeGreaterThan(-1e-12);
  });

  it('a valid correlation matrix is returned unchanged', () => {
    const good = sq([
      [1, 0.3],
      [0.3, 1],
    ]);
    const r = repairCorrelationMatrix(good);
    expect(r.repaired).toBe(false);
    expect(r.matrix).toBe(good);
    expectClose(r.minEigenvalue, 0.7, 1e-15);
  });

  it('random indefinite symmetric matrices with unit diagonal all come out PSD', () => {
    const rng = seededRng(82);
    for (let trial = 0; trial < 10; trial++) {
      const n = 6;
      const rows = Array.from({ length: n }, () => new Array<number>(n).fill(0));
      for (let i = 0; i < n; i++) {
        rows[i]![i] = 1;
        for (let j = i + 1; j < n; j++) rows[i]![j] = rows[j]![i] = 2 * rng.next() - 1;
      }
      const r = repairCorrelationMatrix(sq(rows));
      expect(minEigenvalueOf(r.matrix)).toBeGreaterThan(-1e-12);
      for (let i = 0; i < n; i++) expect(matrixAt(r.matrix, i, i)).toBe(1);
    }
  });
});

describe('sample correlation matrix and metrics (SPEC.md d.11 steps 7, 9, 11)', () => {
  it('equals simple-statistics sampleCorrelation for every pair, rel 1e-12', () => {
    const rng = seededRng(83);
    const cols = [normalSeries(rng, 40), normalSeries(rng, 40), normalSeries(rng, 40)];
    cols[2] = cols[2]!.map((v, i) => v + 0.8 * cols[0]![i]!);
    const c = sampleCorrelationMatrix(cols, 40);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        expectClose(matrixAt(c.matrix, i, j), ss.sampleCorrelation(Array.from(cols[i]!), Array.from(cols[j]!)), 1e-12, 1e-15);
      }
    }
    expect(c.zeroVarianceColumns).toEqual([]);
  });

  it('a flat column correlates 0 with the others and is reported', () => {
    const c = sampleCorrelationMatrix([[1, 2, 3, 5], [0.2, 0.2, 0.2, 0.2], [3, 1, 2, 2]], 4);
    expect(c.zeroVarianceColumns).toEqual([1]);
    expect(matrixAt(c.matrix, 0, 1)).toBe(0);
    expect(matrixAt(c.matrix, 1, 1)).toBe(1);
  });

  it('overall correlation and effective positions, hand-computed', () => {
    // Pairs 0.5, 0 (skipped), −0.3: overall = (0.5 + 0.3) / 2 = 0.4.
    // Σ ρ = 3 + 2 (0.5 + 0 − 0.3) = 3.4 → effective = 9 / 3.4.
    const c = sq([
      [1, 0.5, 0],
      [0.5, 1, -0.3],
      [0, -0.3, 1],
    ]);
    expectClose(overallCorrelation(c), 0.4, 1e-15);
    expectClose(effectivePositions(c), 9 / 3.4, 1e-15);
    expect(overallCorrelation(sq([[1, 0], [0, 1]]))).toBeNull();
    expect(effectivePositions(sq([[1, -1], [-1, 1]]))).toBeNull();
  });

  it('significance: closed forms for m = 3 (Cauchy) and m = 4 (where 1 − p = |ρ|)', () => {
    // m = 3, ρ = 0.5: t = 1/√3, p = 1 − 2 atan(t)/π = 2/3 → significance 1/3.
    expectClose(correlationSignificance(0.5, 3), 1 / 3, 1e-13);
    // m = 4 (ν = 2): p = 1 − |t| / √(2 + t²) and t² = 2ρ²/(1 − ρ²), so 1 − p = |ρ|.
    for (const rho of [-0.8, -0.2, 0.1, 0.6, 0.95]) expectClose(correlationSignificance(rho, 4), Math.abs(rho), 1e-13);
    expect(correlationSignificance(0.3, 30, true)).toBe(1);
    expect(correlationSignificance(1, 30)).toBe(1);
    expect(correlationSignificance(-1, 30)).toBe(1);
    expect(correlationSignificance(0.3, 2)).toBeNull();
    expect(correlationSignificance(NaN, 30)).toBeNull();
  });

  it('significance keeps its relative accuracy for a correlation near 0 (no 1 − p cancellation); rel 1e-12', () => {
    // References: mpmath 1.3.0 at 50 digits, 1 − p = betainc(1/2, ν/2, 0, y, regularized=True)
    // with ν = m − 2, t² = ρ²ν/(1 − ρ²), y = t²/(ν + t²). The first is a pair of the demo
    // backfill (2026-11-27, Individual); with 1 − p, the second came out as 0.
    const cases: [number, number, number][] = [
      [-4.8299333422782154e-5, 62, 0.00029726743609887070737],
      [1e-9, 90, 7.4635875738268349102e-9],
      [0.003, 31, 0.012779078837384574341],
      [0.25, 62, 0.94996695634854255117],
    ];
    for (const [rho, m, want] of cases) expectClose(correlationSignificance(rho, m), want, 1e-12, 0);
  });
});

describe('position correlations (SPEC.md d.11 steps 5–11)', () => {
  const rng = seededRng(84);
  const m = normalSeries(rng, 63, 0, 0.01);
  const mk = (load: number, seed: number) => {
    const e = normalSeries(seededRng(seed), 63, 0, 0.01);
    return pricesFromReturns(m.map((v, i) => load * v + e[i]!), 50);
  };
  const a = mk(1, 1);
  const b = mk(0.5, 2);
  const c = mk(-0.7, 3);
  b[10] = NaN;
  c[20] = 0;

  it('matches a naive log-return alignment with simple-statistics correlations, rel 1e-12', () => {
    const res = positionCorrelations(['A', 'B', 'C'], [a, b, c], { from: 0, to: 63 });
    if (!res.ok) throw new Error(res.reason);
    const keep = Array.from({ length: 64 }, (_, d) => d).filter((d) => [a, b, c].every((s) => s[d]! > 0));
    const lr = [a, b, c].map((s) => keep.slice(1).map((d, i) => Math.log(s[d]! / s[keep[i]!]!)));
    expect(res.observations).toBe(keep.length - 1);
    expect(res.repaired).toBe(false);
    expect(res.pairs.length).toBe(9);
    for (const p of res.pairs) {
      const i = ['A', 'B', 'C'].indexOf(p.symbolA);
      const j = ['A', 'B', 'C'].indexOf(p.symbolB);
      expectClose(p.correlation, i === j ? 1 : ss.sampleCorrelation(lr[i]!, lr[j]!), 1e-12);
      expect(p.dataPoints).toBe(res.observations);
      if (i === j) expect(p.significance).toBe(1);
    }
    expect(res.overallCorrelation).not.toBeNull();
    expect(res.effectivePositions).not.toBeNull();
  });

  it('m below max(20, 90 div 3) = 30: insufficient_observations; one symbol: too_few_symbols', () => {
    expect(minCorrelationObservations(90)).toBe(30);
    expect(minCorrelationObservations(30)).toBe(20);
    const clean = [mk(1, 5), mk(1, 6)];
    expect(positionCorrelations(['A', 'B'], clean, { from: 0, to: 29 })).toEqual({
      ok: false,
      reason: 'insufficient_observations',
      observations: 29,
    });
    expect(positionCorrelations(['A', 'B'], clean, { from: 0, to: 30 })).toMatchObject({ ok: true, observations: 30 });
    expect(positionCorrelations(['A'], [a], { from: 0, to: 63 })).toEqual({ ok: false, reason: 'too_few_symbols', observations: 0 });
  });

  it('a flat symbol has correlation 0 with the others and is listed', () => {
    const flat = new Float64Array(64).fill(20);
    const res = positionCorrelations(['A', 'F'], [mk(1, 7), flat], { from: 0, to: 63 });
    if (!res.ok) throw new Error(res.reason);
    expect(res.zeroVarianceSymbols).toEqual(['F']);
    expect(res.pairs[1]!.correlation).toBe(0);
    expect(res.overallCorrelation).toBeNull();
    expectClose(res.effectivePositions, 2, 1e-15);
  });
});

describe('correlation candidates (SPEC.md d.11 steps 1–4)', () => {
  const lot = (id: string, symbol: string, mv: number | null, extra: Partial<CorrelationLot> = {}): CorrelationLot => ({
    lotId: id,
    symbol,
    investmentClass: 'PUBLIC',
    priceSource: 'exact',
    marketValue: mv,
    ...extra,
  });

  it('hand-made book: value and weight thresholds, short history, distinct symbols', () => {
    // Gross 2,000,000: weight 1 % = 20,000.
    const lots = [
      lot('1', 'AAPL', 50_000),
      lot('2', 'AAPL', -30_000), // short, |MV| counts
      lot('3', 'MSFT', 25_000, { priceSource: 'fallback' }),
      lot('4', 'TINY', 9_999), // below 10,000
      lot('5', 'SMALL', 15_000), // ≥ 10,000 but 0.75 % < 1 %
      lot('6', 'NEWCO', 40_000), // short history
      lot('7', 'OPT', 90_000, { investmentClass: 'OPTIONS' }), // not a candidate
      lot('8', 'GONE', 90_000, { priceSource: 'missing', marketValue: null }), // not a candidate
      lot('9', 'PE', 90_000, { investmentClass: 'PRIVATE', priceSource: 'entry' }), // not a candidate
    ];
    const closes: Record<string, number> = { AAPL: 62, MSFT: 31, NEWCO: 30 };
    const r = selectCorrelationSymbols(lots, 2_000_000, (s) => closes[s] ?? 0);
    expect(r.ok).toBe(true);
    expect(r.candidates.map((l) => l.lotId)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(r.symbols).toEqual(['AAPL', 'MSFT']);
    expect(r.included.map((l) => l.lotId)).toEqual(['1', '2', '3']);
    expect(r.excluded.map((e) => [e.lot.lotId, e.reason])).toEqual([
      ['4', 'below_min_value'],
      ['5', 'below_min_weight'],
      ['6', 'short_history'],
    ]);
    expect(r.shortHistorySymbols).toEqual(['NEWCO']);
  });

  it('zero gross exposure and fewer than two symbols are not applicable', () => {
    expect(selectCorrelationSymbols([lot('1', 'A', 50_000)], 0, () => 60)).toMatchObject({ ok: false, reason: 'zero_portfolio_value' });
    expect(selectCorrelationSymbols([lot('1', 'A', 50_000), lot('2', 'A', 50_000)], 100_000, () => 60)).toMatchObject({
      ok: false,
      reason: 'fewer_than_two_symbols',
      symbols: ['A'],
    });
  });

  it('valid closes are counted on the inclusive window', () => {
    expect(countValidCloses([1, NaN, 0, 2, -1, 3], 0, 5)).toBe(3);
    expect(countValidCloses([1, 2, 3], 1, 10)).toBe(2);
  });
});
