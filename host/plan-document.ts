/** The dry-run plan as a JSON document (SPEC.md g.4, h.5: schema batchdesk.run-plan/1). */
import type { RunPlan } from '../core/engine/plan-types';

export function planDocument(plan: RunPlan): Record<string, unknown> {
  return {
    schema: 'batchdesk.run-plan/1',
    target_date: plan.targetDate,
    target_derivation: plan.targetDerivation,
    mode: plan.mode,
    phases: plan.selectedPhases,
    portfolio_scope: plan.portfolioScope,
    up_to_date: plan.upToDateMessage,
    chunks: plan.chunks.map((c, i) => ({ index: i, first_date: c[0], last_date: c[c.length - 1], dates: c.length })),
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
