/**
 * The canonical content form over SQLite (SPEC.md m.12): random ids, timestamps and row order
 * do not change a checksum; foreign ids are replaced by natural keys; ratios compare at 1e-9.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentChecksums, diffChecksums, readKeyedRows } from '../../db/canonical';
import { openDatabase, type SqliteDatabase } from '../../db/open-database';
import { tempDir } from '../support/cli';

function make(factorId: string, rows: { symbol: string; beta: number; id: string; at: string }[]): SqliteDatabase {
  const db = openDatabase(join(tempDir(), 'c.sqlite'));
  db.prepare(`INSERT INTO factor_definitions (id, name, created_at) VALUES (?, 'Market Beta', ?)`).run(factorId, rows[0]!.at);
  const ins = db.prepare(`INSERT INTO symbol_factor_exposures (id, symbol, factor_id, calculation_date, beta_value, created_at) VALUES (?, ?, ?, '2025-07-01', ?, ?)`);
  for (const r of rows) ins.run(r.id, r.symbol, factorId, r.beta, r.at);
  return db;
}

describe('canonical checksums', () => {
  it('ignore ids, timestamps and insertion order; map the factor id to its name', () => {
    const a = make('f-aaaa', [
      { symbol: 'AAPL', beta: 1.2, id: 'x1', at: '2025-07-01T00:00:00.000000Z' },
      { symbol: 'MSFT', beta: 0.9, id: 'x2', at: '2025-07-01T00:00:00.000000Z' },
    ]);
    const b = make('f-bbbb', [
      { symbol: 'MSFT', beta: 0.9 + 1e-12, id: 'y9', at: '2025-09-09T09:09:09.000000Z' },
      { symbol: 'AAPL', beta: 1.2, id: 'y8', at: '2025-09-09T09:09:09.000000Z' },
    ]);
    const tables = ['factor_definitions', 'symbol_factor_exposures'];
    expect(diffChecksums(contentChecksums(a, { tables }), contentChecksums(b, { tables }))).toEqual([]);
    expect(readKeyedRows(a, 'symbol_factor_exposures')[0]!.values['factor']).toBe('Market Beta');
    b.prepare(`UPDATE symbol_factor_exposures SET beta_value = beta_value + 1e-6 WHERE symbol = 'AAPL'`).run();
    expect(diffChecksums(contentChecksums(a, { tables }), contentChecksums(b, { tables }))).toEqual(['symbol_factor_exposures']);
    a.close();
    b.close();
  });
});
