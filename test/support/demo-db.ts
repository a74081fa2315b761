/** A seeded demo database for engine tests, plus an in-process run with a pinned clock. */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runOptionsSchema, type RunOptionsInput } from '../../core/api/run-options';
import { targetDate } from '../../core/calendar';
import type { RunResult } from '../../core/engine/run-engine';
import type { EngineDeps } from '../../core/engine/run-context';
import type { TelemetrySink } from '../../core/telemetry/record-metric';
import { openStore, runOnDatabase } from '../../host/engine-host';
import { seedDemo, seedDemoOptionsSchema } from '../../host/seed-demo';
import { systemClock } from '../../host/system-ports';
import { tempDir } from './cli';

export function seedDemoDb(now: string, dir = tempDir()): string {
  const path = join(dir, 'demo.db');
  const clock = systemClock({ BATCHDESK_NOW: now });
  const opened = openStore(path);
  try {
    seedDemo(opened.db, seedDemoOptionsSchema.parse({ endDate: targetDate(clock.now()) }), clock.now());
  } finally {
    opened.close();
  }
  return path;
}

/** Copies a database file (and no WAL: callers pass closed databases). */
export function copyDb(path: string, dir = tempDir()): string {
  const to = join(dir, 'copy.db');
  copyFileSync(path, to);
  if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${to}-wal`);
  return to;
}

export async function runDemo(
  path: string,
  now: string,
  options: RunOptionsInput = {},
  extra: { sinks?: TelemetrySink[]; hooks?: EngineDeps['hooks']; signal?: AbortSignal } = {},
): Promise<RunResult> {
  return runOnDatabase({
    dbPath: path,
    options: runOptionsSchema.parse(options),
    holder: 'cli',
    sinks: extra.sinks ?? [],
    control: { signal: extra.signal ?? new AbortController().signal },
    clock: systemClock({ BATCHDESK_NOW: now }),
    ...(extra.hooks ? { hooks: extra.hooks } : {}),
  });
}

/**
 * A seeded demo (clock `now`) whose market_data, fundamentals and marks ran over `start`..`end`:
 * the set-up of tests about marks and what reads them.
 */
export async function demoWithMarks(now: string, start: string, end: string): Promise<string> {
  const path = seedDemoDb(now);
  const r = await runDemo(path, now, { startDate: start, endDate: end, phases: ['market_data', 'fundamentals', 'marks'] });
  if (r.exitCode !== 0) throw new Error(`the marks set-up run exited ${r.exitCode}`);
  return path;
}

/**
 * Leaves `portfolioId` one lot, AAPL, closed fully on `closedOn` by a realized event (its other
 * lots deleted): a portfolio that holds no lot on the dates after it (m.22).
 */
export function closeAllLotsOf(path: string, portfolioId: string, closedOn: string): void {
  const db = new Database(path);
  try {
    db.prepare(`UPDATE positions SET deleted_at = '2025-06-01T00:00:00.000000Z' WHERE portfolio_id = ? AND symbol <> 'AAPL'`).run(portfolioId);
    const lot = db.prepare(`SELECT id, quantity FROM positions WHERE portfolio_id = ? AND symbol = 'AAPL' AND deleted_at IS NULL`).get(portfolioId) as { id: string; quantity: number };
    db.prepare(`UPDATE positions SET quantity = 0, exit_date = ? WHERE id = ?`).run(closedOn, lot.id);
    db.prepare(
      `INSERT INTO position_realized_events (id, position_id, portfolio_id, trade_date, quantity_closed, realized_pnl, exit_price, created_at)
       VALUES ('e0000000-0000-4000-8000-000000000001', ?, ?, ?, ?, 12.5, NULL, ?)`,
    ).run(lot.id, portfolioId, closedOn, lot.quantity, `${closedOn}T21:00:00.000000Z`);
  } finally {
    db.close();
  }
}

/** The demo backfilled after closeAllLotsOf(portfolioId, closedOn): a portfolio with no lot on the later dates. */
export async function backfilledWithClosedPortfolio(now: string, portfolioId: string, closedOn: string): Promise<string> {
  const path = copyDb(seedDemoDb(now));
  closeAllLotsOf(path, portfolioId, closedOn);
  const r = await runDemo(path, now);
  if (r.exitCode !== 0) throw new Error(`the backfill exited ${r.exitCode}`);
  return path;
}
