/**
 * The symbol-level betas of one processed date (SPEC.md d.6-d.8), as the jobs read them: the
 * stored row per (symbol, factor name), and for a missing row the coded reason the symbol
 * stage gave (insufficient_observations, zero_variance, ...). Built by the symbol stage, or
 * from the stored rows of D when the stage did not run in this process (reasons then unknown).
 */
import type { SymbolExposureRow } from '../../ports/analytics-store';

/** Reason reported for a symbol without a row when the stage's own reason is not known. */
export const NO_SYMBOL_BETA = 'no_symbol_beta';

export class SymbolBetaTable {
  private readonly rows = new Map<string, Map<string, SymbolExposureRow>>();
  private readonly failures = new Map<string, Map<string, string>>();

  addRow(factorName: string, row: SymbolExposureRow): void {
    let m = this.rows.get(row.symbol);
    if (!m) this.rows.set(row.symbol, (m = new Map()));
    m.set(factorName, row);
  }

  addFailure(symbol: string, factorName: string, reason: string): void {
    let m = this.failures.get(symbol);
    if (!m) this.failures.set(symbol, (m = new Map()));
    m.set(factorName, reason);
  }

  /** The symbol's row for the factor on D, or null. */
  row(symbol: string, factorName: string): SymbolExposureRow | null {
    return this.rows.get(symbol)?.get(factorName) ?? null;
  }

  /** Why the symbol has no row for the factor (NO_SYMBOL_BETA when unknown); null when it has one. */
  failure(symbol: string, factorName: string): string | null {
    if (this.row(symbol, factorName)) return null;
    return this.failures.get(symbol)?.get(factorName) ?? NO_SYMBOL_BETA;
  }

  get symbolCount(): number {
    return new Set([...this.rows.keys(), ...this.failures.keys()]).size;
  }

  /** A table over stored rows (factor ids resolved to names); rows of unknown factors are ignored. */
  static fromRows(rows: readonly SymbolExposureRow[], nameOfFactorId: ReadonlyMap<string, string>): SymbolBetaTable {
    const t = new SymbolBetaTable();
    for (const r of rows) {
      const name = nameOfFactorId.get(r.factorId);
      if (name !== undefined) t.addRow(name, r);
    }
    return t;
  }
}
