/**
 * A dump marked UTF8 with bytes that are not UTF-8 (pg_dump never writes them: the file was
 * changed afterwards) fails with exit code 5, names where the bytes are and says how to make a
 * dump that imports: `pg_dump --encoding=UTF8`. Fixtures: the committed reference dumps (real
 * pg_dump 15 output) with one byte of a portfolio's account name replaced by 0xFF.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli';
import { COMMITTED } from '../support/pg-fixtures';

const ENV = { BATCHDESK_NOW: '2025-07-03T23:00:00Z' };

function withInvalidByte(fixture: string): string {
  const bytes = readFileSync(join(COMMITTED, fixture));
  const at = bytes.indexOf('Schwab Taxable');
  expect(at).toBeGreaterThan(0);
  bytes[at + 'Schwab T'.length] = 0xff;
  const file = join(tempDir(), `bad-${fixture}`);
  writeFileSync(file, bytes);
  return file;
}

describe('a UTF8 dump with invalid bytes', () => {
  it.each([
    ['COPY plain dump', 'reference-plain.sql', 'invalid UTF8 text in public.portfolios, row 1, column account_name'],
    ['--inserts plain dump', 'reference-inserts.sql', 'invalid UTF-8 in INSERT statement 1 of public.portfolios'],
    ['custom archive', 'reference-z0.dump', 'invalid UTF8 text in public.portfolios, row 1, column account_name'],
  ])('%s: says where the bytes are and to make the dump again with pg_dump --encoding=UTF8', async (_form, fixture, where) => {
    const db = join(tempDir(), 'imported.db');
    const r = await runCli(['import', withInvalidByte(fixture), '--db', db], ENV);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(where);
    expect(r.stderr).toContain('nothing was changed; the dump is marked UTF8 but holds bytes that are not UTF-8');
    expect(r.stderr).toContain('make the dump again with `pg_dump --encoding=UTF8` and import it unchanged');
    expect(existsSync(db)).toBe(false);
  });
});
