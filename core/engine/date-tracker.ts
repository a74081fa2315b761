/**
 * The tracking row of one date (SPEC.md h.4): every phase's status, duration, reason and
 * error, per portfolio for portfolio phases, plus the metadata (coverage, counts, analytics
 * job outcomes) and the legacy columns. Entries of portfolios this run does not touch are
 * kept from the stored row. Each portfolio's entries are written inside that portfolio-date's
 * transaction: `withPortfolio` returns a new tracker, adopted only after the commit.
 */
import type { IsoDate } from '../domain/iso-date';
import type { DateStatus, PhaseName } from '../domain/phase';
import { aggregateStatus, PHASE_NAMES } from '../domain/phase';
import type { TrackingRecord, TrackingWrite } from '../ports/store';
import { PHASE_TABLE } from './phase-table';

export interface PhaseEntry {
  status: string;
  started_at?: string | null;
  duration_ms: number;
  reason: string | null;
  error: string | null;
}

export interface PortfolioPhaseBlock {
  status: string;
  duration_ms: number;
  portfolios: Record<string, PhaseEntry>;
}

type PhaseStatusJson = { schema: 1 } & Partial<Record<PhaseName, PhaseEntry | PortfolioPhaseBlock>>;

/** The parts of a portfolio's metadata entry that date-level totals read. */
interface PortfolioMetrics {
  readonly marks?: { readonly marked_model?: number };
  readonly analytics?: { readonly jobs_expected?: number; readonly jobs_completed?: number; readonly jobs_failed?: number; readonly jobs_skipped?: number; readonly jobs_not_applicable?: number; readonly analytics_skipped?: boolean };
}

/**
 * Analytics job counts of portfolio-dates; `skipped` counts the jobs not run because the guard
 * skipped their portfolio's analytics, `guard` those portfolios.
 */
export interface AnalyticsTotals {
  readonly expected: number;
  readonly completed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly notApplicable: number;
  readonly guard: number;
}

/**
 * Metadata key: the portfolios whose entries a purge limited to them removed from the row
 * (j.4: the row is then stale). Their cells are gone, so a retry redoes all of their phases on
 * the date; an entry written for the portfolio again takes it off the list.
 */
export const PURGED_PORTFOLIOS_KEY = 'purged_portfolios';

/**
 * A phase's status in the legacy columns (phase_1..3_status, h.4), which hold success, failed,
 * skipped or in_progress: `partial` is written as `failed`, and so is `stale` (its work is to be
 * redone, as a failed phase's is); a phase not run is null.
 */
export function legacyPhaseStatus(s: string | undefined): string | null {
  if (s === undefined || s === 'not_run') return null;
  if (s === 'partial' || s === 'stale') return 'failed';
  return s === 'running' ? 'in_progress' : s;
}

const PORTFOLIO_PHASES: readonly PhaseName[] = ['marks', 'snapshots', 'sector_tags', 'analytics'];
/** The phases whose failure fails the date: each declaration's `critical` (phase-table.ts). */
const CRITICAL: ReadonlySet<PhaseName> = new Set(PHASE_TABLE.filter((p) => p.critical).map((p) => p.name));

function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

export class DateTracker {
  private constructor(
    readonly date: IsoDate,
    private phaseStatus: PhaseStatusJson,
    private metadata: Record<string, unknown>,
    readonly startedAt: string,
    readonly createdAt: string | null,
  ) {}

  static start(date: IsoDate, stored: TrackingRecord | null, base: { runId: string; batchRunId: string; mode: string }, nowIso: string): DateTracker {
    const ps = (stored?.phaseStatus as PhaseStatusJson | null) ?? { schema: 1 };
    const md = stored?.metadata ? clone(stored.metadata) : {};
    const t = new DateTracker(date, clone({ ...ps, schema: 1 }), { ...md, schema: 1, run_id: base.runId, batch_run_id: base.batchRunId, mode: base.mode }, nowIso, stored?.createdAt ?? null);
    return t;
  }

  setDatePhase(phase: PhaseName, entry: PhaseEntry, metrics?: Record<string, unknown>): void {
    this.phaseStatus = { ...this.phaseStatus, [phase]: entry };
    if (metrics) this.metadata = { ...this.metadata, [phase]: metrics };
  }

  setMeta(key: string, value: unknown): void {
    this.metadata = { ...this.metadata, [key]: value };
  }

  /**
   * A copy with one portfolio's entries replaced (written in that portfolio's transaction).
   * Copies are shallow along the changed path only: nested objects are never mutated in place,
   * so the old tracker stays valid if the transaction rolls back.
   */
  withPortfolio(portfolioId: string, entries: Partial<Record<PhaseName, PhaseEntry>>, metrics: Partial<Record<PhaseName, unknown>>): DateTracker {
    const phaseStatus: PhaseStatusJson = { ...this.phaseStatus };
    for (const phase of PORTFOLIO_PHASES) {
      const e = entries[phase];
      if (!e) continue;
      const existing = phaseStatus[phase] as PortfolioPhaseBlock | undefined;
      const portfolios = { ...(existing && 'portfolios' in existing ? existing.portfolios : {}), [portfolioId]: e };
      const all = Object.values(portfolios);
      phaseStatus[phase] = { status: aggregateStatus(all), duration_ms: all.reduce((s, x) => s + (x.duration_ms ?? 0), 0), portfolios };
    }
    const portfolios = (this.metadata['portfolios'] as Record<string, Record<string, unknown>> | undefined) ?? {};
    const metadata: Record<string, unknown> = {
      ...this.metadata,
      portfolios: { ...portfolios, [portfolioId]: { ...(portfolios[portfolioId] ?? {}), ...(metrics as Record<string, unknown>) } },
    };
    const purged = this.metadata[PURGED_PORTFOLIOS_KEY];
    if (Array.isArray(purged)) {
      const left = purged.filter((id) => id !== portfolioId);
      if (left.length > 0) metadata[PURGED_PORTFOLIOS_KEY] = left;
      else delete metadata[PURGED_PORTFOLIOS_KEY];
    }
    return new DateTracker(this.date, phaseStatus, metadata, this.startedAt, this.createdAt);
  }

  /**
   * The analytics job counts and model marks summed over portfolios' metadata: over every
   * portfolio of the date by default, so a run over some of them (`--portfolio`) keeps the
   * date-level totals of the others (h.4), or over `only` (this run's share).
   */
  portfolioTotals(only?: readonly string[]): AnalyticsTotals & { readonly modelMarks: number } {
    const all = (this.metadata['portfolios'] ?? {}) as Record<string, PortfolioMetrics | undefined>;
    const t = { expected: 0, completed: 0, failed: 0, skipped: 0, notApplicable: 0, guard: 0, modelMarks: 0 };
    for (const id of only ?? Object.keys(all)) {
      const m = all[id];
      t.modelMarks += m?.marks?.marked_model ?? 0;
      const an = m?.analytics;
      if (!an) continue;
      t.expected += an.jobs_expected ?? 0;
      t.completed += an.jobs_completed ?? 0;
      t.failed += an.jobs_failed ?? 0;
      t.skipped += an.jobs_skipped ?? 0;
      t.notApplicable += an.jobs_not_applicable ?? 0;
      if (an.analytics_skipped) t.guard++;
    }
    return t;
  }

  portfolioEntry(phase: PhaseName, portfolioId: string): PhaseEntry | null {
    const b = this.phaseStatus[phase] as PortfolioPhaseBlock | undefined;
    return b && 'portfolios' in b ? (b.portfolios[portfolioId] ?? null) : null;
  }

  datePhase(phase: PhaseName): PhaseEntry | null {
    const e = this.phaseStatus[phase];
    return e && !('portfolios' in e) ? (e as PhaseEntry) : null;
  }

  /** Date status (h.4): failed on a critical failure, partial on a non-critical failure, a guard skip or a portfolio a cancel left unrun. */
  status(): DateStatus {
    let partial = false;
    for (const phase of PHASE_NAMES) {
      const e = this.phaseStatus[phase];
      if (!e) continue;
      const entries = 'portfolios' in e ? Object.values(e.portfolios) : [e as PhaseEntry];
      for (const x of entries) {
        if (x.status === 'failed') {
          if (CRITICAL.has(phase)) return 'failed';
          partial = true;
        }
        if (x.status === 'skipped' && x.reason === 'upstream_failed') return 'failed';
        if (x.status === 'skipped' && (x.reason === 'insufficient_marks' || x.reason === 'cancelled')) partial = true;
        if (x.status === 'stale') partial = true;
      }
    }
    return partial ? 'partial' : 'success';
  }

  phaseAggregates(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const phase of PHASE_NAMES) {
      const e = this.phaseStatus[phase];
      out[phase] = !e ? 'not_run' : 'portfolios' in e ? e.status : (e as PhaseEntry).status;
    }
    return out;
  }

  get phaseStatusJson(): Record<string, unknown> {
    return this.phaseStatus;
  }

  get metadataJson(): Record<string, unknown> {
    return this.metadata;
  }

  toWrite(runId: string, status: string, completedAt: string | null, errors: readonly string[]): TrackingWrite {
    const md = this.datePhase('market_data');
    const agg = this.phaseAggregates();
    const snapBlock = this.phaseStatus.snapshots as PortfolioPhaseBlock | undefined;
    const anaBlock = this.phaseStatus.analytics as PortfolioPhaseBlock | undefined;
    const coverage = (this.metadata['symbol_coverage'] as { coverage_pct?: number } | undefined)?.coverage_pct ?? null;
    const fetched = (this.metadata['symbols_fetched'] as number | undefined) ?? null;
    const errorMessage =
      status === 'success' || status === 'running'
        ? null
        : JSON.stringify({
            errors: errors.slice(0, 20),
            phase_status: { phase_1_5: this.phaseStatus.fundamentals ?? null, phase_2_5: this.phaseStatus.marks ?? null, phase_2_75: this.phaseStatus.sector_tags ?? null },
          });
    return {
      runDate: this.date,
      status,
      runId,
      phaseStatus: this.phaseStatus,
      metadata: { ...this.metadata, errors: errors.slice(0, 20) },
      startedAt: this.startedAt,
      completedAt,
      legacy: {
        phase1Status: md ? legacyPhaseStatus(md.status) : null,
        phase2Status: legacyPhaseStatus(agg['snapshots']),
        phase3Status: legacyPhaseStatus(agg['analytics']),
        phase1DurationSeconds: md ? Math.round(md.duration_ms / 1000) : null,
        phase2DurationSeconds: snapBlock ? Math.round(snapBlock.duration_ms / 1000) : null,
        phase3DurationSeconds: anaBlock ? Math.round(anaBlock.duration_ms / 1000) : null,
        portfoliosProcessed: snapBlock ? Object.values(snapBlock.portfolios).filter((e) => e.status === 'success').length : null,
        symbolsFetched: fetched,
        dataCoveragePct: coverage,
        errorMessage,
      },
    };
  }
}
