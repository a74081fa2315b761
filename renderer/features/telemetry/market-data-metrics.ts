/**
 * The market-data cell's price coverage (SPEC.md c.5), said once: of the symbols the date needs,
 * how many had an exact close, a fallback close, and no usable price, and which symbols used a
 * fallback apart from those with none. The phase's metrics say it several ways (the counts
 * `symbols_with_fallback` and `symbols_missing`; `missing_price_count` and `fallback_count`,
 * which count every row of the Missing prices screen, fallbacks too; `missing_symbols`, those
 * rows' first 20 symbols, fallbacks among them), so listed as they are they contradict each
 * other ("Symbols missing 0", "Missing price count 1", "Missing symbols AAPL" for one fallback).
 */
type Json = Record<string, unknown>;

/** The market-data metrics' figures of the price coverage. */
export interface PriceCoverage {
  readonly requested: number;
  readonly exact: number;
  readonly fallback: number;
  /** Symbols with no usable close (neither exact nor a fallback). */
  readonly missing: number;
  readonly coveragePct: number | null;
  readonly usableCoveragePct: number | null;
  /** The Missing prices rows' symbols (fallbacks and those with no usable price), at most the first 20. */
  readonly listed: readonly string[];
}

/** The metrics the coverage says, so the list of the other metrics leaves them out. */
const COVERAGE_KEYS = new Set(['symbols_requested', 'symbols_with_exact_close', 'symbols_with_fallback', 'symbols_missing', 'coverage_pct', 'usable_coverage_pct', 'missing_price_count', 'fallback_count', 'missing_symbols']);

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The price coverage of a market-data cell's metrics; null for metrics without it (an older engine's, a failed phase's). */
export function priceCoverageOf(metrics: Json | null): PriceCoverage | null {
  const requested = num(metrics?.['symbols_requested']);
  const exact = num(metrics?.['symbols_with_exact_close']);
  if (!metrics || requested === null || exact === null) return null;
  const fallback = num(metrics['symbols_with_fallback']) ?? num(metrics['fallback_count']) ?? 0;
  const missing = num(metrics['symbols_missing']) ?? Math.max(0, requested - exact - fallback);
  const listed = Array.isArray(metrics['missing_symbols']) ? metrics['missing_symbols'].filter((s): s is string => typeof s === 'string') : [];
  return {
    requested,
    exact,
    fallback,
    missing,
    coveragePct: num(metrics['coverage_pct']),
    usableCoveragePct: num(metrics['usable_coverage_pct']),
    listed,
  };
}

/** The listed symbols by what they used: a fallback close, or no usable price. */
export interface ListedSymbols {
  readonly fallback: readonly string[];
  readonly missing: readonly string[];
}

/**
 * Which listed symbols used a fallback and which had no usable price: when the counts leave no
 * doubt (none of one kind), from them; otherwise from the date's Missing prices rows
 * (`resolutionOf`, by symbol). A symbol not among those rows (its price added since) is named
 * in neither: the counts still count it.
 */
export function listedSymbols(c: PriceCoverage, resolutionOf: ReadonlyMap<string, string> | null): ListedSymbols {
  if (c.missing === 0) return { fallback: c.listed, missing: [] };
  if (c.fallback === 0) return { fallback: [], missing: c.listed };
  return {
    fallback: c.listed.filter((s) => resolutionOf?.get(s) === 'fallback'),
    missing: c.listed.filter((s) => resolutionOf?.get(s) === 'missing'),
  };
}

/** Whether the Missing prices rows are needed to tell the listed symbols apart (listedSymbols). */
export const needsResolutions = (c: PriceCoverage): boolean => c.missing > 0 && c.fallback > 0 && c.listed.length > 0;

/** Metrics the engine copies from a part up to the level above (the chunk prefetch's fetch mode, core/engine/date-run.ts). */
const COPIED_UP = new Set(['fetch_mode']);

const isEmpty = (v: unknown): boolean => (Array.isArray(v) ? v.length === 0 : v !== null && typeof v === 'object' && Object.keys(v).length === 0);

/**
 * A cell's metrics to list under labels, each said once: without the job outcomes (a table of
 * their own), the price coverage's (when `coverage` says it), empty lists and objects (a "none"
 * says nothing: no provider was asked, no source listed), and a part's metric the engine copied
 * to the level above (the chunk prefetch's fetch mode).
 */
export function listedMetrics(metrics: Json, coverage: PriceCoverage | null): [string, unknown][] {
  return saidOnce(
    Object.entries(metrics).filter(([k]) => k !== 'jobs' && !(coverage && COVERAGE_KEYS.has(k))),
    null,
  );
}

/** `entries` without the empty ones and those copied up to `parent`, each object's parts likewise. */
function saidOnce(entries: [string, unknown][], parent: Json | null): [string, unknown][] {
  const here = Object.fromEntries(entries);
  return entries
    .filter(([k, v]) => !(parent && COPIED_UP.has(k) && Object.hasOwn(parent, k) && parent[k] === v))
    .map(([k, v]): [string, unknown] => (v !== null && typeof v === 'object' && !Array.isArray(v) ? [k, Object.fromEntries(saidOnce(Object.entries(v), here))] : [k, v]))
    .filter(([, v]) => !isEmpty(v));
}
