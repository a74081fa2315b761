/**
 * The provider-fault backfill (issue 9 "provider faults at scale"; SPEC.md c.5, e.6, e.7,
 * m.13, m.17), shared by the test suite and `npm run reliability`:
 *   1. the demo portfolios seeded without prices, online mode, every provider wait shrunk to
 *      milliseconds through the settings table;
 *   2. a healthy run over the first half of the year stores closes (their row checksums are
 *      taken);
 *   3. every symbol the mock has seen gets a seeded script of faults for its next requests
 *      (chart and quoteSummary): a fault with probability `faultRate`, else a normal answer;
 *   4. the faulty run backfills the whole year over the stored half;
 *   5. the report: injected faults by kind, every needed (symbol, date) without an exact close
 *      and whether it has a coded missing_prices row, stored rows lost or changed.
 * Imports no vitest, so the long-mode script can run it under plain tsx.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { tradingDaysBetween } from '../../core/calendar';
import { targetDate } from '../../core/calendar';
import type { IsoDate } from '../../core/domain/iso-date';
import type { PhaseName } from '../../core/domain/phase';
import { symbolsNeeded } from '../../core/phases/market-data/symbols-needed';
import { createEngineStore } from '../../db/engine-store';
import { openStore } from '../../host/engine-host';
import { seedDemo, seedDemoOptionsSchema } from '../../host/seed-demo';
import { seededRng, type Rng } from '../support/calc-random';
import { advancingClock, cacheRows, rowChecksums, runEngine, SHRUNK_WAIT_SETTINGS } from '../support/market-data-engine';
import type { MockFault } from '../support/yahoo-mock/mock-faults';
import type { YahooMock } from '../support/yahoo-mock/yahoo-mock-server';

/** One year after the demo's entry date (2025-06-30), after the close. */
export const PROVIDER_FAULT_NOW = '2026-06-30T23:00:00Z';
export const YEAR_START = '2025-06-30' as IsoDate;
export const HALF_YEAR_END = '2025-12-31' as IsoDate;
/** The phases that meet the provider or consume its gaps; analytics reads stored rows only. */
export const PROVIDER_FAULT_PHASES: readonly PhaseName[] = ['market_data', 'fundamentals', 'marks', 'snapshots'];

export const MISSING_REASON_CODES = ['no_data', 'provider_error', 'rate_limited', 'stale_beyond_fallback', 'invalid_price', 'not_listed_yet'] as const;

export interface ProviderFaultOptions {
  readonly dir: string;
  readonly seed: number;
  /** Share of the chart/quoteSummary requests that get a fault, 0..1. */
  readonly faultRate: number;
  /** Phases to run; empty = every phase. */
  readonly phases: readonly PhaseName[];
}

export interface ProviderFaultReport {
  readonly exitCode: number;
  readonly datesProcessed: number;
  readonly requests: number;
  readonly injected: Readonly<Record<string, number>>;
  readonly storedBefore: number;
  readonly storedAfter: number;
  /** Keys (symbol date) of closes stored before the faulty run and gone after it. */
  readonly lost: readonly string[];
  /** Keys of closes stored before whose row changed. */
  readonly changed: readonly string[];
  /** Needed (symbol, date) pairs without an exact close. */
  readonly affected: number;
  /** Affected pairs without a missing_prices row or with a reason that is not a code of e.6. */
  readonly uncoded: readonly string[];
  readonly reasons: Readonly<Record<string, number>>;
  readonly seconds: number;
}

/**
 * The 429s, 5xx, hangs and malformed bodies, drawn uniformly from this list. A hang
 * costs a whole request time limit of wall time, so it has one entry of twenty.
 */
const FAULTS: readonly MockFault[] = [
  { kind: 'rate_limit' },
  { kind: 'rate_limit' },
  { kind: 'rate_limit', retryAfter: '1' },
  { kind: 'server_error' },
  { kind: 'server_error' },
  { kind: 'server_error', status: 503 },
  { kind: 'server_error', status: 502 },
  { kind: 'malformed_json' },
  { kind: 'malformed_json' },
  { kind: 'hang' },
];
const FAULT_MIX: readonly MockFault[] = [...FAULTS.slice(0, -1), ...FAULTS.slice(0, -1), FAULTS[FAULTS.length - 1]!];

function faultScript(rng: Rng, rate: number, length: number): MockFault[] {
  return Array.from({ length }, () => (rng.next() < rate ? FAULT_MIX[Math.floor(rng.next() * FAULT_MIX.length)]! : { kind: 'ok' as const }));
}

function writeSettings(path: string, settings: Readonly<Record<string, unknown>>): void {
  const db = new Database(path, { fileMustExist: true });
  try {
    const set = db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, NULL) ON CONFLICT(key) DO UPDATE SET value = excluded.value`);
    for (const [k, v] of Object.entries(settings)) set.run(k, JSON.stringify(v));
  } finally {
    db.close();
  }
}

/** The demo portfolios without prices (as `seed-demo --prices none`), online mode, waits shrunk. */
export function seedOnlineDemo(path: string, nowIso: string): void {
  const opened = openStore(path);
  try {
    seedDemo(opened.db, seedDemoOptionsSchema.parse({ endDate: targetDate(Date.parse(nowIso)), prices: 'none' }), Date.parse(nowIso));
  } finally {
    opened.close();
  }
  // No hangs in the healthy run: a roomy time limit, so a loaded machine never fails it.
  writeSettings(path, { ...SHRUNK_WAIT_SETTINGS, 'market_data.timeout_ms': 5000 });
}

/** Every needed (symbol, date) of the range without an exact close, with its recorded reason (or null). */
function neededWithoutClose(path: string, start: IsoDate, end: IsoDate): { key: string; reason: string | null }[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const store = createEngineStore(db);
    const lots = store.loadLots(store.listPortfolios().map((p) => p.id));
    const closes = new Set((db.prepare(`SELECT symbol || ' ' || date AS k FROM market_data_cache WHERE close > 0`).all() as { k: string }[]).map((r) => r.k));
    const missing = new Map((db.prepare(`SELECT symbol || ' ' || price_date AS k, reason FROM missing_prices`).all() as { k: string; reason: string | null }[]).map((r) => [r.k, r.reason]));
    const out: { key: string; reason: string | null }[] = [];
    for (const d of tradingDaysBetween(start, end)) {
      for (const symbol of symbolsNeeded(lots, d, false).keys()) {
        const key = `${symbol} ${d}`;
        if (!closes.has(key)) out.push({ key, reason: missing.get(key) ?? null });
      }
    }
    return out;
  } finally {
    db.close();
  }
}

export async function providerFaultBackfill(mock: YahooMock, o: ProviderFaultOptions): Promise<ProviderFaultReport> {
  const t0 = performance.now();
  const path = join(o.dir, 'online-demo.db');
  seedOnlineDemo(path, PROVIDER_FAULT_NOW);
  const clock = advancingClock(PROVIDER_FAULT_NOW);
  const phases = [...o.phases];

  const healthy = await runEngine(path, { startDate: YEAR_START, endDate: HALF_YEAR_END, phases, chunkDays: 0 }, mock.fetch, clock);
  if (healthy.result.kind !== 'run' || healthy.result.exitCode !== 0) throw new Error(`the healthy half-year run did not succeed: ${JSON.stringify(healthy.result.kind === 'run' ? healthy.result.summary.dates : healthy.result)}`);
  const before = rowChecksums(cacheRows(path));

  const rng = seededRng(o.seed);
  const symbols = [...new Set(mock.requests.flatMap((r) => (r.symbol ? [r.symbol] : [])))].sort();
  const firstFaultyRequest = mock.requests.length;
  for (const s of symbols) mock.script(s, faultScript(rng, o.faultRate, 400), 'any');
  // A hang costs one request time limit: 150 ms keeps dozens of them cheap. One retry only, so
  // a share of the requests fails for good and leaves gaps the run must explain. The circuit
  // still opens on runs of failures, but for 10 to 40 ms: with the shrunk 100-400 ms, a run
  // whose chunks pass quickly found it open at most chunk starts and sent only a few dozen
  // requests (once in CI), so how many faults it met depended on the machine's speed.
  writeSettings(path, { 'market_data.timeout_ms': 150, 'market_data.max_retries': 1, 'market_data.circuit_cooldown_ms': 10, 'market_data.circuit_cooldown_max_ms': 40 });

  // Three-week chunks: one prefetch request per symbol and chunk, so hundreds of requests meet faults.
  const end = targetDate(Date.parse(PROVIDER_FAULT_NOW));
  const faulty = await runEngine(path, { startDate: YEAR_START, endDate: end, phases, chunkDays: 21 }, mock.fetch, clock);
  if (faulty.result.kind !== 'run') throw new Error(`the faulty run did not run: ${faulty.result.kind}`);

  const after = rowChecksums(cacheRows(path));
  const lost: string[] = [];
  const changed: string[] = [];
  for (const [k, sum] of before) {
    const now = after.get(k);
    if (now === undefined) lost.push(k);
    else if (now !== sum) changed.push(k);
  }
  const injected: Record<string, number> = {};
  const faultyRequests = mock.requests.slice(firstFaultyRequest);
  for (const r of faultyRequests) if (r.fault !== 'ok') injected[r.fault] = (injected[r.fault] ?? 0) + 1;
  const gaps = neededWithoutClose(path, YEAR_START, end);
  const reasons: Record<string, number> = {};
  for (const g of gaps) if (g.reason) reasons[g.reason] = (reasons[g.reason] ?? 0) + 1;
  return {
    exitCode: faulty.result.exitCode,
    datesProcessed: faulty.result.summary.dates.processed,
    requests: faultyRequests.length,
    injected,
    storedBefore: before.size,
    storedAfter: after.size,
    lost,
    changed,
    affected: gaps.length,
    uncoded: gaps.filter((g) => g.reason === null || !(MISSING_REASON_CODES as readonly string[]).includes(g.reason)).map((g) => `${g.key} ${g.reason ?? 'no reason'}`),
    reasons,
    seconds: (performance.now() - t0) / 1000,
  };
}
