/**
 * Demo verification (SPEC.md i.3): structure, engine data completeness, freshness and price
 * coverage, combined into a readiness score.
 *
 *   completeness = share of the six engine counts that are > 0
 *   readiness = 0.3 × found/expected portfolios + 0.2 × min(1, positions found/expected)
 *             + 0.3 × completeness + 0.1 × (1 if fresh else 0.5) + 0.1 × price coverage
 *
 * Labels: COMPLETE >= 0.8, PARTIAL > 0.5, else INSUFFICIENT; READY >= 0.9, MOSTLY READY >= 0.7,
 * else NOT READY; ready = readiness >= 0.7. Freshness: days from the latest cached price to the
 * target date, fresh <= 7 (warning up to 30). Coverage: good >= 0.9, warning >= 0.7.
 */

export interface DemoPortfolioFound {
  readonly id: string;
  readonly expectedName: string;
  readonly expectedPositions: number;
  /** null when the portfolio is not found. */
  readonly foundName: string | null;
  readonly foundPositions: number;
}

export interface DemoCounts {
  readonly optionMarksWithGreeks: number;
  readonly positionFactorExposures: number;
  readonly correlationCalculations: number;
  readonly portfolioSnapshots: number;
  readonly marketDataSymbols: number;
  readonly positions: number;
}

export interface DemoReadinessInput {
  readonly portfolios: readonly DemoPortfolioFound[];
  readonly counts: DemoCounts;
  /** Calendar days from the latest market_data_cache date to the target date; null = no prices. */
  readonly freshnessDays: number | null;
  /** Active lots with a non-missing mark on their portfolio's latest snapshot date / active lots. */
  readonly coveredLots: number;
  readonly activeLots: number;
  /** Appended to each recommended command (` --db PATH`), so it acts on the checked database as printed. */
  readonly commandSuffix?: string;
}

export interface DemoReadiness {
  readonly portfoliosFound: number;
  readonly portfoliosExpected: number;
  readonly positionsFound: number;
  readonly positionsExpected: number;
  readonly structureIssues: readonly string[];
  readonly completeness: number;
  readonly completenessLabel: 'COMPLETE' | 'PARTIAL' | 'INSUFFICIENT';
  readonly fresh: boolean;
  readonly freshnessLabel: 'fresh' | 'warning' | 'stale' | 'no data';
  readonly priceCoverage: number;
  readonly coverageLabel: 'good' | 'warning' | 'poor';
  readonly readiness: number;
  readonly label: 'READY' | 'MOSTLY READY' | 'NOT READY';
  readonly ready: boolean;
  readonly recommendations: readonly string[];
}

export function demoReadiness(input: DemoReadinessInput): DemoReadiness {
  const expected = input.portfolios.length;
  const found = input.portfolios.filter((p) => p.foundName !== null).length;
  const positionsExpected = input.portfolios.reduce((a, p) => a + p.expectedPositions, 0);
  const positionsFound = input.portfolios.reduce((a, p) => a + p.foundPositions, 0);
  const structureIssues: string[] = [];
  for (const p of input.portfolios) {
    if (p.foundName === null) structureIssues.push(`portfolio ${p.id} (${p.expectedName}) not found`);
    else {
      if (p.foundName !== p.expectedName) structureIssues.push(`portfolio ${p.id} is named "${p.foundName}", expected "${p.expectedName}"`);
      if (p.foundPositions !== p.expectedPositions) structureIssues.push(`portfolio ${p.expectedName} has ${p.foundPositions} lots, expected ${p.expectedPositions}`);
    }
  }
  const c = input.counts;
  const six = [c.optionMarksWithGreeks, c.positionFactorExposures, c.correlationCalculations, c.portfolioSnapshots, c.marketDataSymbols, c.positions];
  const completeness = six.filter((n) => n > 0).length / six.length;
  const completenessLabel = completeness >= 0.8 ? 'COMPLETE' : completeness > 0.5 ? 'PARTIAL' : 'INSUFFICIENT';
  const fresh = input.freshnessDays !== null && input.freshnessDays <= 7;
  const freshnessLabel = input.freshnessDays === null ? 'no data' : input.freshnessDays <= 7 ? 'fresh' : input.freshnessDays <= 30 ? 'warning' : 'stale';
  const priceCoverage = input.activeLots > 0 ? input.coveredLots / input.activeLots : 0;
  const coverageLabel = priceCoverage >= 0.9 ? 'good' : priceCoverage >= 0.7 ? 'warning' : 'poor';
  // Rounded to 1e-9 so float noise (0.3 × 4/6 = 0.19999999999999998) never moves a label boundary.
  const raw =
    0.3 * (expected > 0 ? found / expected : 0) +
    0.2 * Math.min(1, positionsExpected > 0 ? positionsFound / positionsExpected : 0) +
    0.3 * completeness +
    0.1 * (fresh ? 1 : 0.5) +
    0.1 * priceCoverage;
  const readiness = Math.round(raw * 1e9) / 1e9;
  const label = readiness >= 0.9 ? 'READY' : readiness >= 0.7 ? 'MOSTLY READY' : 'NOT READY';
  const recommendations: string[] = [];
  const db = input.commandSuffix ?? '';
  if (found < expected) recommendations.push(`seed the demo: batchdesk seed-demo${db}`);
  if (completeness < 0.8) recommendations.push(`run a backfill: batchdesk run${db}`);
  if (!fresh) recommendations.push(`refresh market data: batchdesk run${db} (or seed-demo with a later --end-date)`);
  if (priceCoverage < 0.9) recommendations.push(`open the missing-price view: batchdesk diagnose prices${db}`);
  return {
    portfoliosFound: found,
    portfoliosExpected: expected,
    positionsFound,
    positionsExpected,
    structureIssues,
    completeness,
    completenessLabel,
    fresh,
    freshnessLabel,
    priceCoverage,
    coverageLabel,
    readiness,
    label,
    ready: readiness >= 0.7,
    recommendations,
  };
}
