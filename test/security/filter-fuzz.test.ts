/**
 * The contract's text filters against SQL metacharacters (issue 9): portfolio ids, symbols,
 * history status and portfolio lists, fed through the dispatcher (as IPC and HTTP deliver
 * them) with 150 seeded strings built from quotes, comment markers, LIKE wildcards, UNION and
 * OR 1=1 tails, NUL, backslashes and non-ASCII. A filter value is data: every answer is a
 * success or a usage error (never an I/O or internal error), a value that names nothing
 * matches nothing (an injected `OR 1=1` would match everything), a symbol that really holds
 * quotes matches exactly its own rows, and the database is unchanged at the end.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../host/dispatcher';
import type { HostContext } from '../../host/handler-types';
import { testHostContext } from '../support/app/host-context';
import { seededRng } from '../support/calc-random';
import { tempDir } from '../support/cli';
import { tableContents } from '../support/db-content';
import { backfilledDemo, FAMILY_GROWTH, SAFE_NOW } from '../support/safeguards';
import { sqlOn } from '../reliability/bad-input-harness';

const FRAGMENTS = [
  "'",
  '"',
  ';',
  '--',
  '/*',
  '*/',
  '%',
  '_',
  '\\',
  '(',
  ')',
  ' OR 1=1',
  "' OR '1'='1",
  '" OR ""="',
  "') OR ('a'='a",
  ' UNION SELECT name FROM sqlite_master',
  "'; DROP TABLE positions; --",
  'NULL',
  '\u0000',
  '`',
  '[',
  ']',
  'ä',
  '€',
  '\n',
  ' ',
  'SPY',
  FAMILY_GROWTH,
  '*',
  '?',
  '$1',
  ':name',
];

/** A symbol stored with quotes and a comment marker in it: it must match itself and only itself. */
const QUOTED_SYMBOL = "O'REILLY--";

function fuzzStrings(n: number, seed: number): string[] {
  const rng = seededRng(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const parts = 1 + Math.floor(rng.next() * 5);
    let s = '';
    for (let j = 0; j < parts; j++) s += FRAGMENTS[Math.floor(rng.next() * FRAGMENTS.length)]!;
    // A real id or symbol alone is not an injection: give it a metacharacter.
    if (s === 'SPY' || s === FAMILY_GROWTH) s += "'";
    out.push(s);
  }
  return out;
}

describe('text filters of the contract with SQL metacharacters', () => {
  let path = '';
  let ctx: HostContext;
  let before: Record<string, string>;

  beforeAll(async () => {
    path = join(tempDir('batchdesk-fuzz-'), 'portfolios.sqlite');
    copyFileSync(await backfilledDemo(), path);
    // Two missing-price rows on a complete date: one plain symbol, one that holds quotes.
    for (const symbol of ['SPY', QUOTED_SYMBOL]) {
      sqlOn(
        path,
        `INSERT INTO missing_prices (price_date, symbol, reason, resolution, positions_affected, portfolios_affected, recorded_at) VALUES ('2025-07-03', ?, 'no_data', 'fallback', 1, 1, '2025-07-10T23:00:00.000000Z')`,
        symbol,
      );
    }
    before = tableContents(path);
    ctx = testHostContext(path, SAFE_NOW);
  }, 300_000);

  afterAll(() => ctx?.reader?.close());

  it('the control values work: a real symbol and the quoted symbol each match their own row', async () => {
    for (const symbol of ['SPY', QUOTED_SYMBOL]) {
      const r = await dispatch('getMissingPrices', { symbols: [symbol] }, ctx);
      expect(r.ok).toBe(true);
      if (r.ok) expect((r.output as { rows: { symbol: string }[] }).rows.map((x) => x.symbol)).toEqual([symbol]);
    }
    const snaps = await dispatch('getSnapshots', { portfolioId: FAMILY_GROWTH }, ctx);
    expect(snaps.ok && (snaps.output as { rows: unknown[] }).rows.length).toBe(8);
  });

  it('150 metacharacter strings: success or usage error only, and nothing matches', async () => {
    const problems: string[] = [];
    const calls: [string, (s: string) => unknown, (out: unknown) => number][] = [
      ['getMissingPrices.symbols', (s) => ({ symbols: [s] }), (o) => (o as { rows: unknown[] }).rows.length],
      ['getMissingPrices.portfolioId', (s) => ({ portfolioId: s }), (o) => (o as { rows: unknown[] }).rows.length],
      ['getSnapshots', (s) => ({ portfolioId: s }), (o) => (o as { rows: unknown[] }).rows.length],
      ['getMarks', (s) => ({ portfolioId: s, date: '2025-07-03' }), (o) => (o as { marks: unknown[] }).marks.length],
      ['getAnalytics', (s) => ({ portfolioId: s }), (o) => (o as { factorExposures: unknown[]; stressTests: unknown[] }).factorExposures.length + (o as { stressTests: unknown[] }).stressTests.length],
      ['getFactorExposures', (s) => ({ portfolioId: s }), (o) => (o as { factorExposures: unknown[] }).factorExposures.length],
      ['getStressResults', (s) => ({ portfolioId: s }), (o) => (o as { stressTests: unknown[] }).stressTests.length],
      ['getHistory', (s) => ({ status: s }), (o) => (o as { runs: unknown[] }).runs.length],
      ['reconcile', (s) => ({ portfolios: [s] }), (o) => (o as { results: unknown[] }).results.length],
      ['verifyCoverage', (s) => ({ startDate: '2025-07-01', endDate: '2025-07-03', portfolios: [s] }), (o) => (o as { checked: number }).checked],
    ];
    for (const s of fuzzStrings(150, 20251128)) {
      for (const [label, input, count] of calls) {
        const name = label.split('.')[0]!;
        const r = await dispatch(name, input(s), ctx);
        if (!r.ok) {
          if (r.error.code !== 'usage') problems.push(`${label} ${JSON.stringify(s)}: ${r.error.code} ${r.error.message}`);
          continue;
        }
        const n = count(r.output);
        if (n !== 0) problems.push(`${label} ${JSON.stringify(s)} matched ${n} row(s)`);
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
  }, 300_000);

  it('the database is unchanged and every table is still there', () => {
    expect(tableContents(path)).toEqual(before);
  });
});
