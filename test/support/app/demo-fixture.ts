/**
 * Demo database details for the app's tests (views, worker, serve, E2E): pinned clocks, the
 * demo portfolio ids, injected price gaps and raw settings (seeding and runs: ../demo-db).
 * Gaps are injected the way m.8 allows: the synthetic generator's test-only faults drop the
 * close, and the seeded cache rows for those (symbol, date) pairs are deleted so no stored
 * close hides the gap.
 */
import Database from 'better-sqlite3';

export const SHORT_NOW = '2025-07-15T23:00:00Z';
export const FULL_NOW = '2025-09-30T23:00:00Z';

export const DEMO_PORTFOLIOS = {
  individual: '1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe',
  highNetWorth: 'e23ab931-a033-edfe-ed4f-9d02474780b4',
  hedgeFund: 'fcd71196-e93e-f000-5a74-31a9eead3118',
  publicGrowth: '9381dd8d-db58-9843-f5e4-4eea0ae62e9a',
  privateOpportunities: 'ab46c3c0-ed71-6f5b-b3f3-d36fa65e210c',
} as const;

export interface PriceGap {
  readonly symbol: string;
  readonly dates: readonly string[];
}

/** Drops the closes of `gaps` from the cache and from the synthetic source (test-only faults, m.8). */
export function injectPriceGaps(path: string, gaps: readonly PriceGap[]): void {
  const db = new Database(path);
  try {
    const row = db.prepare(`SELECT value FROM settings WHERE key = 'synthetic'`).get() as { value: string } | undefined;
    if (!row) throw new Error('injectPriceGaps needs a seeded demo database (settings.synthetic)');
    const config = JSON.parse(row.value) as { faults?: { symbol: string; date: string; kind: string }[] };
    const faults = [...(config.faults ?? [])];
    const del = db.prepare(`DELETE FROM market_data_cache WHERE symbol = ? AND date = ?`);
    db.transaction(() => {
      for (const g of gaps) {
        for (const d of g.dates) {
          del.run(g.symbol, d);
          faults.push({ symbol: g.symbol, date: d, kind: 'gap' });
        }
      }
      db.prepare(`UPDATE settings SET value = ? WHERE key = 'synthetic'`).run(JSON.stringify({ ...config, faults }));
    })();
  } finally {
    db.close();
  }
}

/** Sets raw settings rows (JSON values) directly, for test set-up. */
export function putSettings(path: string, values: Record<string, unknown>): void {
  const db = new Database(path);
  try {
    const up = db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, NULL) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
    db.transaction(() => {
      for (const [k, v] of Object.entries(values)) up.run(k, JSON.stringify(v));
    })();
  } finally {
    db.close();
  }
}
