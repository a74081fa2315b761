/**
 * Beta cap (SPEC.md d.5, factors.json `beta_cap`): stored betas are clipped to [−cap, cap],
 * cap = 5. R², standard error, p-value and observations keep describing the unclipped fit.
 *
 * Non-finite betas become 0 before clipping (SPEC.md d.7 step 6 states it for ridge; the same
 * rule is applied everywhere so that no stored beta is ever NaN or infinite).
 */
export const DEFAULT_BETA_CAP = 5;

export function clipBeta(beta: number, cap: number = DEFAULT_BETA_CAP): number {
  if (!Number.isFinite(beta)) return 0;
  if (beta > cap) return cap;
  if (beta < -cap) return -cap;
  return beta;
}
