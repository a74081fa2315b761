/**
 * The reason codes of phase outcomes and analytics job outcomes (SPEC.md c.3, c.10, g.3, h.4,
 * m.22, m.23) in words, for the screens that show why a cell or a job did not succeed. The code
 * itself stays next to the words (muted, or as the tooltip): it is what the log, the CLI and the
 * spec say, so a user can search for it. A code not listed here reads as its words
 * (codeWords: "no_public_marked_lots" -> "no public marked lots").
 */
import { codeWords, wordOf } from './metric-format';

const REASON_WORDS: Readonly<Record<string, string>> = {
  // Phase skips (c.3) and the planner's reasons (g.3).
  upstream_failed: 'an earlier phase failed',
  not_selected: 'phase not selected for this run',
  insufficient_marks: 'too many unmarked positions for the coverage guard',
  no_positions: 'no positions on the date',
  cancelled: 'the run was cancelled',
  prerequisite_missing: 'a phase it needs has not run',
  before_first_entry: "before the portfolio's first entry",
  up_to_date: 'already up to date',
  // Phase failures.
  benchmark_missing: 'no close of the benchmark, SPY',
  insufficient_price_coverage: 'too few symbols with a usable close',
  all_fetches_failed: 'every profile fetch failed',
  lot_quantity_invalid: 'a lot has an invalid quantity',
  previous_day_missing: 'no snapshot of the previous trading day',
  rolled_back: 'rolled back with a failed phase of the portfolio-date',
  job_failed: 'an analytics job failed',
  exception: 'unexpected error',
  // Analytics job outcomes (h.4; the benign skips of core/domain/job-outcome.ts).
  not_applicable: 'not applicable',
  insufficient_observations: 'too few observations',
  no_price_data: 'no price history',
  no_symbol_beta: 'no symbol beta',
  no_factor_exposures: 'no factor exposures',
  non_positive_equity: 'equity at or below zero',
  symbol_stage_failed: 'the per-symbol step failed',
  net_value_near_zero: 'net value near zero',
  factor_definitions_missing: 'no factor definitions',
  no_qualifying_lots: 'no qualifying lots',
};

/** A reason code's words, to sit inside a sentence: "upstream_failed" -> "an earlier phase failed". */
export function reasonWords(code: string): string {
  return wordOf(REASON_WORDS, code) ?? codeWords(code);
}

/** A reason as a tooltip says it: its words and its code, "an earlier phase failed (upstream_failed)". */
export function reasonTitle(code: string): string {
  return `${reasonWords(code)} (${code})`;
}

/** A reason in words with its code after them, muted: "an earlier phase failed (upstream_failed)". */
export function ReasonText({ code, testId }: { code: string; testId?: string | undefined }) {
  return (
    <>
      {reasonWords(code)}{' '}
      <span className="muted">
        (<code data-testid={testId}>{code}</code>)
      </span>
    </>
  );
}
