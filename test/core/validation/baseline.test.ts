import { describe, expect, it } from 'vitest';
import { BASELINE_SCHEMA, compareBaselines, type Baseline } from '../../../core/validation/baseline';

const base: Baseline = {
  schema: BASELINE_SCHEMA,
  created_at: '2025-07-01T00:00:00.000000Z',
  database: 'a.sqlite',
  app_version: '0.1.0',
  range: { start: '2025-07-01', end: '2025-07-01' },
  tracking: [{ run_date: '2025-07-01', status: 'success', phase_status: { marks: { status: 'success', portfolios: { p: { status: 'success' } } } }, metadata: { missing_price_count: 0, portfolios: { p: { analytics: { jobs_expected: 9, jobs_completed: 9 } } } }, legacy: {} }],
  outputs: [{ portfolio_id: 'p', date: '2025-07-01', snapshot: { total_value: 1000, daily_return: 0.01 }, row_counts: { position_marks: 3 }, hashes: { position_marks: 'aa' } }],
};

describe('baseline compare (SPEC.md i.7)', () => {
  it('identical baselines match completely', () => {
    const r = compareBaselines(base, structuredClone(base));
    expect(r).toMatchObject({ matched: true, match_share: 1 });
    // status 1 + phase statuses 2 (marks, marks/p) + metrics 6 (missing, fallback, model, p jobs expected/completed/failed)
    // + snapshot fields 2 + row counts 1 + hashes 1
    expect(r.compared_fields).toBe(13);
  });

  it('reports the exact fields that moved beyond tolerance, and nothing within it', () => {
    const b = structuredClone(base);
    b.outputs[0]!.snapshot['total_value'] = 1000.009; // within 0.01
    b.outputs[0]!.snapshot['daily_return'] = 0.0101; // beyond 1e-6
    b.outputs[0]!.hashes['position_marks'] = 'bb';
    b.tracking[0]!.status = 'partial';
    const r = compareBaselines(base, b);
    expect(r.matched).toBe(false);
    expect(r.differences.map((d) => `${d.kind}:${d.field}`)).toEqual(['status:status', 'snapshot:daily_return', 'hash:position_marks']);
    expect(r.differences[1]!.abs_diff).toBeCloseTo(0.0001, 12);
    expect(r.totals.snapshot).toBe(1);
  });

  it('compares a JSON column (sector_exposure) by its numbers: summation-order noise matches, a moved weight or another sector does not', () => {
    const withSectors = (json: string): Baseline => {
      const b = structuredClone(base);
      b.outputs[0]!.snapshot['sector_exposure'] = json;
      return b;
    };
    // The values a tester found after re-running one date's analytics: the same sum in another order.
    const a = withSectors('{"Technology":0.549421903546632,"Unclassified":0.450578096453368}');
    expect(compareBaselines(a, withSectors('{"Unclassified":0.45057809645336805,"Technology":0.549421903546632}')).matched).toBe(true);

    const moved = compareBaselines(a, withSectors('{"Technology":0.5494,"Unclassified":0.450578096453368}'));
    expect(moved.differences.map((d) => d.field)).toEqual(['sector_exposure']);
    expect(moved.differences[0]!.abs_diff).toBeCloseTo(0.000021903546632, 15);
    const other = compareBaselines(a, withSectors('{"Energy":0.549421903546632,"Unclassified":0.450578096453368}'));
    expect(other.differences.map((d) => d.field)).toEqual(['sector_exposure']);
    expect(other.differences[0]!.abs_diff).toBeCloseTo(0.549421903546632, 15);
    // A sector on one side only, with a weight of noise, counts as 0 on the other.
    expect(compareBaselines(a, withSectors('{"Technology":0.549421903546632,"Unclassified":0.450578096453368,"Utilities":1e-13}')).matched).toBe(true);
    expect(compareBaselines(a, withSectors('{"Technology":"x","Unclassified":0.450578096453368}')).differences[0]!.abs_diff).toBeUndefined();
  });
});
