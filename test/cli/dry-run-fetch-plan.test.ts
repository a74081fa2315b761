/**
 * The dry run's market-data fetch plan (SPEC.md g.4, e.3): per chunk, the needed symbols, the
 * ranges the prefetch will ask for, the estimated requests and the source chain. The plan is
 * checked against the run it announces: each chunk's ranges and trading days equal the
 * `fetch_plan` metric the real run then emits for that chunk.
 *
 * Fixture: the demo over 2025-06-30 .. 2025-07-10 (synthetic prices cached by seed-demo) with
 * every MSFT close from 2025-03-01 removed: MSFT is the only symbol the cache lacks.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { copyDb, seedDemoDb } from '../support/demo-db';

const ENV = { BATCHDESK_NOW: '2025-07-10T23:00:00Z' };

interface FetchDoc {
  sources: string[];
  symbols: string[];
  ranges: { symbol: string; start: string; end: string; trading_days: number }[];
  requested_days: number;
  estimated_requests: number;
  fetch_mode: string;
}
interface ChunkDoc {
  index: number;
  first_date: string;
  last_date: string;
  fetch: FetchDoc | null;
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('the fetch plan of a dry run', () => {
  let db = '';

  beforeAll(() => {
    db = seedDemoDb(ENV.BATCHDESK_NOW);
    const w = new Database(db);
    w.exec(`DELETE FROM market_data_cache WHERE symbol = 'MSFT' AND date >= '2025-03-01'`);
    w.close();
  });

  it('names per chunk the ranges the run then asks for, and writes nothing', async () => {
    const before = sha(db);
    const plan = await runCli(['run', '--db', db, '--dry-run', '--chunk-days', '3', '--summary-json'], ENV);
    expect(plan.code, plan.stderr).toBe(0);
    expect(sha(db)).toBe(before);
    const chunks = (JSON.parse(plan.stdout) as { chunks: ChunkDoc[] }).chunks;
    expect(chunks.map((c) => [c.first_date, c.last_date])).toEqual([
      ['2025-06-30', '2025-07-02'],
      ['2025-07-03', '2025-07-03'],
      ['2025-07-07', '2025-07-08'],
      ['2025-07-09', '2025-07-10'],
    ]);
    const fetches = chunks.map((c) => c.fetch!);
    for (const f of fetches) {
      expect(f.sources).toEqual(['synthetic']);
      expect(f.symbols).toContain('SPY');
      expect(f.symbols).toEqual([...f.symbols].sort());
      expect(f.estimated_requests).toBe(f.ranges.length);
    }
    // The first chunk asks for MSFT's whole look-back gap; each later one only for its own new
    // dates, since the first chunk's answer covers the rest of their windows.
    expect(fetches.map((f) => f.ranges)).toEqual([
      [{ symbol: 'MSFT', start: '2025-03-03', end: '2025-07-02', trading_days: 85 }],
      [{ symbol: 'MSFT', start: '2025-07-03', end: '2025-07-03', trading_days: 1 }],
      [{ symbol: 'MSFT', start: '2025-07-07', end: '2025-07-08', trading_days: 2 }],
      [{ symbol: 'MSFT', start: '2025-07-09', end: '2025-07-10', trading_days: 2 }],
    ]);
    expect(fetches.map((f) => f.fetch_mode)).toEqual(['full_backfill', 'incremental', 'incremental', 'incremental']);

    const text = await runCli(['run', '--db', db, '--dry-run', '--chunk-days', '3'], ENV);
    expect(text.stdout).toContain('Market data, chunk 1 (2025-06-30..2025-07-02): 55 symbols, 1 range missing (85 trading days, full_backfill); about 1 request to synthetic\n  MSFT 2025-03-03..2025-07-02 (85 days)\n');

    const ran = copyDb(db);
    const run = await runCli(['run', '--db', ran, '--chunk-days', '3', '--log-json', '--quiet', '--no-guard'], ENV);
    expect(run.code, run.stderr).toBe(0);
    // After the run every close is cached, and the chunks with nothing to fetch are counted on one
    // line. MSFT's close of 07-10 was asked for at 19:00 New York, before that day's settle hour
    // (20:00, e.3): it is provisional, so the next run asks for it again, and the plan says so.
    const rerun = await runCli(['run', '--db', ran, '--dry-run', '--chunk-days', '3', '--start-date', '2025-06-30', '--end-date', '2025-07-10'], ENV);
    expect(rerun.stdout).toContain(
      [
        'Market data, chunk 4 (2025-07-09..2025-07-10): 55 symbols, 1 range missing (1 trading day, incremental); about 1 request to synthetic',
        '  MSFT 2025-07-10..2025-07-10 (1 day)',
        'Market data: 3 of 4 chunks have every needed close cached; nothing to fetch for them (sources: synthetic)',
      ].join('\n'),
    );
    const metrics = run.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { event: string; payload: { name?: string; value?: number; date?: string; tags?: { requested_days?: number; symbols?: number } } })
      .filter((e) => e.event === 'metric' && e.payload.name === 'fetch_plan')
      .map((e) => ({ date: e.payload.date, ranges: e.payload.value, days: e.payload.tags!.requested_days, symbols: e.payload.tags!.symbols }));
    expect(metrics).toEqual(chunks.map((c) => ({ date: c.first_date, ranges: c.fetch!.ranges.length, days: c.fetch!.requested_days, symbols: c.fetch!.symbols.length })));
  });

  it('offline without a CSV folder: no source, nothing asked, the gap still shown', async () => {
    const plan = await runCli(['run', '--db', db, '--dry-run', '--market-data', 'offline', '--summary-json'], ENV);
    expect(plan.code, plan.stderr).toBe(0);
    const [f] = (JSON.parse(plan.stdout) as { chunks: ChunkDoc[] }).chunks.map((c) => c.fetch!);
    expect(f!.sources).toEqual([]);
    expect(f!.estimated_requests).toBe(0);
    expect(f!.ranges).toEqual([{ symbol: 'MSFT', start: '2025-03-03', end: '2025-07-10', trading_days: 90 }]);
    const text = await runCli(['run', '--db', db, '--dry-run', '--market-data', 'offline'], ENV);
    expect(text.stdout).toContain('Market data: 55 symbols, 1 range missing (90 trading days, full_backfill); offline without a CSV folder nothing is asked: those dates use a fallback close or stay missing\n');
  });

  it('a chain the run would refuse is still named, with the refusal as a warning', async () => {
    const r = await runCli(['run', '--db', db, '--dry-run', '--market-data', 'online'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Market data: 55 symbols, 1 range missing (90 trading days, full_backfill); about 1 request to yahoo\n');
    expect(r.stdout).toContain('warning: a run now would be refused: this database holds synthetic prices; an online run would mix them with real ones.');
  });

  it('a chunk that runs no market_data has no fetch plan', async () => {
    const done = copyDb(db);
    const run = await runCli(['run', '--db', done, '--start-date', '2025-06-30', '--end-date', '2025-07-01', '--quiet', '--no-guard'], ENV);
    expect(run.code, run.stderr).toBe(0);
    const args = ['run', '--db', done, '--dry-run', '--phase', 'marks', '--start-date', '2025-06-30', '--end-date', '2025-07-01'];
    const plan = await runCli([...args, '--summary-json'], ENV);
    expect(plan.code, plan.stderr).toBe(0);
    expect((JSON.parse(plan.stdout) as { chunks: ChunkDoc[] }).chunks.map((c) => c.fetch)).toEqual([null]);
    const text = await runCli(args, ENV);
    expect(text.stdout).toContain("Market data: not run; the cache's closes are used\n");
  });

  it('a missing date-level prerequisite is named once per date, not once per portfolio', async () => {
    const args = ['run', '--db', db, '--phase', 'marks', '--start-date', '2025-06-30', '--end-date', '2025-07-01'];
    const r = await runCli(args, ENV);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing prerequisites for --phase: marks needs market_data on 2 dates (2025-06-30 .. 2025-07-01) (no close and no missing_prices row for MSFT). Add the producer phases (--phase market_data,marks), or let the run add them (--with-prerequisites)');
  });

  it('a dry run plans despite a missing prerequisite and warns of it (g.4), where the run is refused', async () => {
    const before = sha(db);
    const r = await runCli(['run', '--db', db, '--dry-run', '--phase', 'marks', '--start-date', '2025-06-30', '--end-date', '2025-07-01'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('missing prerequisites for --phase: marks needs market_data on 2 dates (2025-06-30 .. 2025-07-01) (no close and no missing_prices row for MSFT); the run is refused as planned. Add the producer phases (--phase market_data,marks)');
    expect(r.stdout).toMatch(/2025-07-01 +\S+ +run +marks/);
    expect(sha(db)).toBe(before);
  });
});
