/**
 * The batch history report (SPEC.md i.5): one line per tracked date with one letter per
 * phase (S success, P partial, F failed, K skipped or not applicable, T stale, R running,
 * - not run), missing prices, fallbacks and analytics jobs completed / expected. Dates where
 * analytics completed fewer jobs than expected are marked and listed with their reasons.
 */
import { PHASE_NAMES } from '../domain/phase';
import { shortIds } from '../domain/short-ids';

export interface TrackedDate {
  readonly runDate: string;
  readonly status: string | null;
  readonly phaseStatus: Record<string, unknown> | null;
  readonly metadata: Record<string, unknown> | null;
  readonly completedAt: string | null;
}

export interface HistoryDateLine {
  readonly date: string;
  readonly status: string;
  /** One letter per phase, in phase order. */
  readonly phases: string;
  readonly missingPrices: number;
  readonly fallbacks: number;
  readonly jobsCompleted: number;
  readonly jobsExpected: number;
  /** Fewer analytics jobs completed than expected, or a portfolio's analytics skipped by the coverage guard. */
  readonly short: boolean;
  /** Portfolios whose analytics the coverage guard skipped (their jobs are not among the expected). */
  readonly guardSkipped: number;
  readonly failedPhases: readonly string[];
  /** Why jobs fell short: "portfolio: job reason", first 20. */
  readonly reasons: readonly string[];
  readonly complete: boolean;
}

const LETTER: Record<string, string> = { success: 'S', partial: 'P', failed: 'F', skipped: 'K', not_applicable: 'K', stale: 'T', running: 'R' };

export function phaseLetter(status: unknown): string {
  return typeof status === 'string' ? (LETTER[status] ?? '-') : '-';
}

export function historyDateLine(t: TrackedDate): HistoryDateLine {
  const ps = t.phaseStatus ?? {};
  const meta = t.metadata ?? {};
  const letters = PHASE_NAMES.map((p) => phaseLetter((ps[p] as { status?: unknown } | undefined)?.status)).join('');
  // A phase failed when one of its entries did: a portfolio block is `partial` also when the
  // guard skipped a portfolio's analytics or a cancel left a portfolio unrun, which fail nothing.
  const failedPhases = PHASE_NAMES.filter((p) => {
    const e = ps[p] as { status?: unknown; portfolios?: Record<string, { status?: unknown }> } | undefined;
    if (e?.portfolios) return Object.values(e.portfolios).some((x) => x?.status === 'failed');
    return e?.status === 'failed' || e?.status === 'partial';
  });
  let expected = 0;
  let completed = 0;
  const reasons: string[] = [];
  // A portfolio whose analytics the coverage guard skipped expects no job (h.4): the date's
  // jobs read complete, yet none of its jobs ran, so it is listed with them.
  let guardSkipped = 0;
  const portfolios = (meta['portfolios'] ?? {}) as Record<string, { analytics?: { jobs_expected?: number; jobs_completed?: number; analytics_skipped?: boolean; skip_reason?: string | null; jobs?: Record<string, { success?: boolean; reason?: string | null }> } }>;
  // Short among the date's portfolios: imported ids can share their first 8 characters.
  const short = shortIds(Object.keys(portfolios));
  for (const [pid, p] of Object.entries(portfolios)) {
    const a = p?.analytics;
    if (!a) continue;
    expected += a.jobs_expected ?? 0;
    completed += a.jobs_completed ?? 0;
    if ((a.jobs_completed ?? 0) < (a.jobs_expected ?? 0) || a.analytics_skipped) {
      if (a.analytics_skipped) {
        guardSkipped++;
        reasons.push(`${short(pid)}: analytics skipped (${a.skip_reason ?? 'guard'})`);
      }
      for (const [job, o] of Object.entries(a.jobs ?? {})) {
        if (!o.success && o.reason !== 'not_applicable') reasons.push(`${short(pid)}: ${job} ${o.reason ?? 'failed'}`);
      }
    }
  }
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  return {
    date: t.runDate,
    status: t.status ?? 'unknown',
    phases: letters,
    missingPrices: num(meta['missing_price_count']),
    fallbacks: num(meta['fallback_count']),
    jobsCompleted: completed,
    jobsExpected: expected,
    short: completed < expected || guardSkipped > 0,
    guardSkipped,
    failedPhases,
    reasons: reasons.slice(0, 20),
    complete: t.completedAt !== null,
  };
}
