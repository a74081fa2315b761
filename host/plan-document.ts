/** The dry-run plan as a JSON document (SPEC.md g.4, h.5: schema batchdesk.run-plan/1). */
import type { ChunkFetchPreview } from '../core/engine/plan-types';
import type { RunPlan } from '../core/engine/plan-types';

/** A chunk's market-data fetch plan (g.4); null when the chunk runs no market_data. */
function fetchDocument(f: ChunkFetchPreview | undefined): Record<string, unknown> | null {
  if (!f || !f.marketData) return null;
  return {
    sources: f.sources,
    symbols: f.symbols,
    ranges: f.ranges.map((r) => ({ symbol: r.symbol, start: r.start, end: r.end, trading_days: r.days })),
    requested_days: f.requestedDays,
    estimated_requests: f.estimatedRequests,
    fetch_mode: f.fetchMode,
  };
}

export function planDocument(plan: RunPlan): Record<string, unknown> {
  return {
    schema: 'batchdesk.run-plan/1',
    target_date: plan.targetDate,
    target_derivation: plan.targetDerivation,
    mode: plan.mode,
    phases: plan.selectedPhases,
    portfolio_scope: plan.portfolioScope,
    up_to_date: plan.upToDateMessage,
    chunks: plan.chunks.map((c, i) => ({ index: i, first_date: c[0], last_date: c[c.length - 1], dates: c.length, fetch: fetchDocument(plan.fetches?.[i]) })),
    // Over all chunks, a range several chunks lack counted once (offline, every chunk whose windows need it lists it).
    fetch_total: plan.fetchTotal ? { ranges: plan.fetchTotal.ranges, requested_days: plan.fetchTotal.requestedDays } : null,
    dates: plan.dates.map((d) => ({
      date: d.date,
      date_phases: d.datePhases,
      portfolios: d.portfolios.map((p) => ({ portfolio_id: p.portfolioId, phases: p.phases, reason: p.reason })),
      skipped: d.skipped.map((s) => ({ portfolio_id: s.portfolioId, reason: s.reason })),
    })),
    warnings: plan.warnings,
    refused_by: plan.refusedBy,
  };
}
