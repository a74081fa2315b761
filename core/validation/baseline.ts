/**
 * Baselines (SPEC.md i.7, m.12): the archived tracking summaries and key derived values of a
 * date range, and their field-by-field comparison with tolerances.
 *
 * A baseline holds, per tracked date, the status, phase statuses and metadata; per
 * portfolio-date, the snapshot's fields, the row count of every derived table and a
 * canonical SHA-256 per table (m.12: rows by natural key, money to cents, ratios to 1e-9,
 * ids, run ids, timestamps and durations left out). Two identical backfills therefore
 * compare equal, and a change to one price shows up as the exact fields it moved.
 */
import { z } from 'zod';
import { isMoneyColumn, isVolatileName } from './canonical-form';
import { DEFAULT_TOLERANCES, type Tolerances } from './row-diff';

export const BASELINE_SCHEMA = 'batchdesk.baseline/1';

const scalar = z.union([z.string(), z.number(), z.null()]);

export const baselineTrackingSchema = z.object({
  run_date: z.string(),
  status: z.string().nullable(),
  phase_status: z.record(z.string(), z.unknown()).nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  legacy: z.record(z.string(), scalar),
});

export const baselineOutputSchema = z.object({
  portfolio_id: z.string(),
  portfolio_name: z.string().optional(),
  date: z.string(),
  snapshot: z.record(z.string(), scalar),
  row_counts: z.record(z.string(), z.number().int()),
  hashes: z.record(z.string(), z.string()),
});

export const baselineSchema = z.object({
  schema: z.literal(BASELINE_SCHEMA),
  created_at: z.string(),
  database: z.string(),
  app_version: z.string(),
  range: z.object({ start: z.string(), end: z.string() }),
  tracking: z.array(baselineTrackingSchema),
  outputs: z.array(baselineOutputSchema),
});

export type Baseline = z.infer<typeof baselineSchema>;
export type BaselineOutput = z.infer<typeof baselineOutputSchema>;

export type DifferenceKind = 'date' | 'status' | 'phase_status' | 'metric' | 'output' | 'snapshot' | 'row_count' | 'hash';

export interface BaselineDifference {
  readonly date: string;
  readonly portfolio_id: string | null;
  readonly kind: DifferenceKind;
  readonly field: string;
  readonly a: unknown;
  readonly b: unknown;
  /** For numeric fields. */
  readonly abs_diff?: number;
}

export interface BaselineComparison {
  readonly matched: boolean;
  readonly compared_fields: number;
  readonly matching_fields: number;
  /** matching / compared (1 when nothing was compared). */
  readonly match_share: number;
  readonly totals: Readonly<Record<DifferenceKind, number>>;
  readonly differences: readonly BaselineDifference[];
}

/**
 * The differences a human report lists: at most `perKind` of each kind, in comparison order
 * (tracking by date, then outputs by date), so one plentiful kind cannot crowd out the others.
 */
export function differenceSample(diffs: readonly BaselineDifference[], perKind: number): BaselineDifference[] {
  const seen = new Map<DifferenceKind, number>();
  return diffs.filter((d) => {
    const n = seen.get(d.kind) ?? 0;
    seen.set(d.kind, n + 1);
    return n < perKind;
  });
}

/** Phase statuses of a tracking row: phase → status, and phase/portfolio → status. */
export function phaseStatuses(ps: Record<string, unknown> | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!ps) return out;
  for (const [phase, v] of Object.entries(ps)) {
    if (phase === 'schema' || v === null || typeof v !== 'object') continue;
    const entry = v as { status?: unknown; portfolios?: Record<string, { status?: unknown }> };
    if (typeof entry.status === 'string') out[phase] = entry.status;
    for (const [pid, pe] of Object.entries(entry.portfolios ?? {})) if (typeof pe?.status === 'string') out[`${phase}/${pid}`] = pe.status;
  }
  return out;
}

/** The metrics compared per date: missing prices, fallbacks, and analytics jobs per portfolio. */
export function trackingMetrics(meta: Record<string, unknown> | null): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  if (!meta) return out;
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  out['missing_price_count'] = num(meta['missing_price_count']);
  out['fallback_count'] = num(meta['fallback_count']);
  out['model_count'] = num(meta['model_count']);
  const portfolios = (meta['portfolios'] ?? {}) as Record<string, { analytics?: { jobs_expected?: unknown; jobs_completed?: unknown; jobs_failed?: unknown } }>;
  for (const [pid, p] of Object.entries(portfolios)) {
    if (!p?.analytics) continue;
    out[`${pid}/jobs_expected`] = num(p.analytics.jobs_expected);
    out[`${pid}/jobs_completed`] = num(p.analytics.jobs_completed);
    out[`${pid}/jobs_failed`] = num(p.analytics.jobs_failed);
  }
  return out;
}

function numericDiff(field: string, a: unknown, b: unknown, tol: Tolerances): { equal: boolean; abs?: number } {
  const limit = (isMoneyColumn(field) ? tol.money : tol.ratio) + 1e-12;
  if (typeof a === 'number' && typeof b === 'number') {
    const d = Math.abs(a - b);
    return { equal: d <= limit, abs: d };
  }
  if (a === b) return { equal: true };
  // A JSON column (sector_exposure): the same keys and shape, its numbers within the tolerance,
  // so a different summation order (last-digit noise) is no difference.
  const ja = jsonObject(a);
  const jb = jsonObject(b);
  if (ja !== undefined && jb !== undefined) {
    const d = largestNumberDiff(ja, jb);
    return d === null ? { equal: false } : { equal: d <= limit, abs: d };
  }
  return { equal: JSON.stringify(a) === JSON.stringify(b) };
}

/** The object or array a JSON text holds; undefined for anything else. */
function jsonObject(v: unknown): object | undefined {
  if (typeof v !== 'string' || !/^\s*[[{]/.test(v)) return undefined;
  try {
    const parsed: unknown = JSON.parse(v);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The largest difference between the numbers of two JSON values of the same shape; null when their shapes, keys or other values differ. */
function largestNumberDiff(a: unknown, b: unknown): number | null {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a === b ? 0 : null;
  if (Array.isArray(a) !== Array.isArray(b)) return null;
  if (Array.isArray(a) && (a as unknown[]).length !== (b as unknown[]).length) return null;
  // A key on one side only counts as 0 when the other side's value is a number (a sector whose
  // weight is noise on one side); any other missing key is a difference.
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let largest = 0;
  for (const k of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
    const x = k in ra ? ra[k] : typeof rb[k] === 'number' ? 0 : undefined;
    const y = k in rb ? rb[k] : typeof ra[k] === 'number' ? 0 : undefined;
    if (x === undefined || y === undefined) return null;
    const d = largestNumberDiff(x, y);
    if (d === null) return null;
    largest = Math.max(largest, d);
  }
  return largest;
}

/** Compares baseline B with baseline A (A is the reference), per date and portfolio. */
export function compareBaselines(a: Baseline, b: Baseline, tol: Tolerances = DEFAULT_TOLERANCES): BaselineComparison {
  const diffs: BaselineDifference[] = [];
  let compared = 0;
  let matching = 0;
  const check = (equal: boolean, d: Omit<BaselineDifference, 'abs_diff'> & { abs_diff?: number }) => {
    compared++;
    if (equal) matching++;
    else diffs.push(d);
  };
  const ta = new Map(a.tracking.map((t) => [t.run_date, t]));
  const tb = new Map(b.tracking.map((t) => [t.run_date, t]));
  for (const date of [...new Set([...ta.keys(), ...tb.keys()])].sort()) {
    const x = ta.get(date);
    const y = tb.get(date);
    if (!x || !y) {
      check(false, { date, portfolio_id: null, kind: 'date', field: 'tracking', a: x ? 'present' : 'absent', b: y ? 'present' : 'absent' });
      continue;
    }
    check(x.status === y.status, { date, portfolio_id: null, kind: 'status', field: 'status', a: x.status, b: y.status });
    const pa = phaseStatuses(x.phase_status);
    const pb = phaseStatuses(y.phase_status);
    for (const k of [...new Set([...Object.keys(pa), ...Object.keys(pb)])].sort()) {
      const [phase, pid] = k.split('/');
      check(pa[k] === pb[k], { date, portfolio_id: pid ?? null, kind: 'phase_status', field: phase!, a: pa[k] ?? null, b: pb[k] ?? null });
    }
    const ma = trackingMetrics(x.metadata);
    const mb = trackingMetrics(y.metadata);
    for (const k of [...new Set([...Object.keys(ma), ...Object.keys(mb)])].sort()) {
      const [first, second] = k.split('/');
      const field = second ?? first!;
      check((ma[k] ?? null) === (mb[k] ?? null), { date, portfolio_id: second ? first! : null, kind: 'metric', field, a: ma[k] ?? null, b: mb[k] ?? null });
    }
  }
  const key = (o: BaselineOutput) => `${o.date}|${o.portfolio_id}`;
  const oa = new Map(a.outputs.map((o) => [key(o), o]));
  const ob = new Map(b.outputs.map((o) => [key(o), o]));
  for (const k of [...new Set([...oa.keys(), ...ob.keys()])].sort()) {
    const x = oa.get(k);
    const y = ob.get(k);
    const [date, pid] = k.split('|') as [string, string];
    if (!x || !y) {
      check(false, { date, portfolio_id: pid, kind: 'output', field: 'snapshot', a: x ? 'present' : 'absent', b: y ? 'present' : 'absent' });
      continue;
    }
    for (const f of [...new Set([...Object.keys(x.snapshot), ...Object.keys(y.snapshot)])].sort()) {
      if (isVolatileName(f)) continue;
      const r = numericDiff(f, x.snapshot[f] ?? null, y.snapshot[f] ?? null, tol);
      check(r.equal, { date, portfolio_id: pid, kind: 'snapshot', field: f, a: x.snapshot[f] ?? null, b: y.snapshot[f] ?? null, ...(r.abs !== undefined ? { abs_diff: r.abs } : {}) });
    }
    for (const t of [...new Set([...Object.keys(x.row_counts), ...Object.keys(y.row_counts)])].sort()) {
      check((x.row_counts[t] ?? 0) === (y.row_counts[t] ?? 0), { date, portfolio_id: pid, kind: 'row_count', field: t, a: x.row_counts[t] ?? 0, b: y.row_counts[t] ?? 0 });
    }
    for (const t of [...new Set([...Object.keys(x.hashes), ...Object.keys(y.hashes)])].sort()) {
      check(x.hashes[t] === y.hashes[t], { date, portfolio_id: pid, kind: 'hash', field: t, a: x.hashes[t] ?? null, b: y.hashes[t] ?? null });
    }
  }
  const totals: Record<DifferenceKind, number> = { date: 0, status: 0, phase_status: 0, metric: 0, output: 0, snapshot: 0, row_count: 0, hash: 0 };
  for (const d of diffs) totals[d.kind]++;
  return { matched: diffs.length === 0, compared_fields: compared, matching_fields: matching, match_share: compared ? matching / compared : 1, totals, differences: diffs };
}
