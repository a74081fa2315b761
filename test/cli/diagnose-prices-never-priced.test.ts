/**
 * `diagnose prices` lists the symbols no source has ever priced first, with "never priced,
 * check the symbol" (SPEC.md e.6: they are usually typos or renamed tickers).
 */
import { join } from 'node:path';
import { copyFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_PORTFOLIOS, SHORT_NOW } from '../support/app/demo-fixture';
import { runCli, tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { sqlOn } from '../reliability/bad-input-harness';

describe('diagnose prices', () => {
  it('puts a never-priced symbol first and says to check it', async () => {
    const db = join(tempDir(), 'typo.db');
    copyFileSync(seedDemoDb(SHORT_NOW), db);
    sqlOn(
      db,
      `INSERT INTO positions (id, portfolio_id, symbol, position_type, quantity, entry_price, entry_date, investment_class, created_at, updated_at)
       VALUES ('0000typo-0000-4000-8000-000000000001', ?, 'ZZTYPO', 'LONG', 10, 5, '2025-06-30', 'PUBLIC', '2025-06-30T00:00:00.000Z', '2025-06-30T00:00:00.000Z')`,
      DEMO_PORTFOLIOS.individual,
    );
    const json = await runCli(['diagnose', 'prices', '--db', db, '--date', '2025-07-01', '--json'], { BATCHDESK_NOW: SHORT_NOW });
    const r = JSON.parse(json.stdout) as { symbols: { symbol: string; neverPriced: boolean; resolution: string }[] };
    expect(r.symbols[0]).toMatchObject({ symbol: 'ZZTYPO', neverPriced: true, resolution: 'missing' });
    expect(r.symbols.slice(1).every((s) => !s.neverPriced)).toBe(true);
    const rest = r.symbols.slice(1).map((s) => s.symbol);
    expect(rest).toEqual([...rest].sort());

    const text = await runCli(['diagnose', 'prices', '--db', db, '--date', '2025-07-01'], { BATCHDESK_NOW: SHORT_NOW });
    expect(text.code).toBe(4);
    const firstRow = text.stdout.split('\n').find((l) => /^[A-Z]/.test(l) && !l.startsWith('Lots'))!;
    expect(firstRow).toMatch(/^ZZTYPO\s+missing\s+-\s+stale_beyond_fallback: never priced, check the symbol/);
  });
});
