/**
 * The stress-test chart's bars (SPEC.md d.12): each scenario's correlated P&L in dollars (its
 * direct P&L when no correlated figure is stored), or no result, with why. A rate scenario's
 * P&L is E x beta_IR x shock: on a date whose equity E is not positive (the ir_beta job says
 * `non_positive_equity`) any stored figure for it (0 when E = 0) means nothing, so it has no
 * result either.
 */
import type { AnalyticsView } from '../../../core/api/commands/view-commands';
import { reasonWords } from '../telemetry/reason-words';

/** The catalog's category of the interest-rate scenarios. */
const RATES = 'rates';

export interface StressBar {
  readonly name: string;
  /** Dollars; null when the scenario has no result. */
  readonly value: number | null;
  /** Why there is no result, in words ("equity at or below zero"); null when there is one. */
  readonly reason: string | null;
}

export function stressBars(view: AnalyticsView): StressBar[] {
  const ir = view.jobs['ir_beta'];
  // Why the date has no IR beta, when its ir_beta job did not succeed.
  const irReason = ir && !ir.success ? (ir.reason ?? 'ir_beta failed') : null;
  const irWhy = irReason === null ? null : reasonWords(irReason);
  return view.stressTests.map((s) => {
    const rate = s.category === RATES;
    const value = s.correlatedPnl ?? s.directPnl;
    if (rate && irReason === 'non_positive_equity') return { name: s.name, value: null, reason: irWhy };
    if (value === null) return { name: s.name, value: null, reason: (rate ? irWhy : null) ?? 'no result stored' };
    return { name: s.name, value, reason: null };
  });
}
