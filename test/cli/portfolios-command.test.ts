/**
 * `batchdesk portfolios` lists the database's portfolios with the ids `--portfolio` takes (a
 * tester had to give `--portfolio` a wrong value to see them): each id whole, its name in ASCII,
 * state, lots, first entry, latest complete snapshot and equity; `--json` prints the
 * listPortfolios contract command's output; deleted portfolios only with `--all`; an empty
 * database says how to fill it. It only reads: the file keeps every byte.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { viewCommands } from '../../core/api/commands/view-commands';
import { openDatabase } from '../../db/open-database';
import { runCli, tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { ENV, FAMILY_PRIVATE, INDIVIDUAL, SAFE_NOW, backfilledDemo, execOn, isAscii } from '../support/safeguards';

/** The demo's five (SPEC.md j.6), by name, with their seeded lot counts (i.3). */
const DEMO = [
  ['ab46c3c0-ed71-6f5b-b3f3-d36fa65e210c', 'Demo Family Office Private Opportunities', 9],
  ['9381dd8d-db58-9843-f5e4-4eea0ae62e9a', 'Demo Family Office Public Growth', 12],
  ['fcd71196-e93e-f000-5a74-31a9eead3118', 'Demo Hedge Fund Style Investor Portfolio', 30],
  ['e23ab931-a033-edfe-ed4f-9d02474780b4', 'Demo High Net Worth Investor Portfolio', 30],
  ['1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe', 'Demo Individual Investor Portfolio', 16],
] as const;

/** The table's data lines: the lines that start with a portfolio id. */
const rowsOf = (stdout: string): string[] => stdout.split('\n').filter((l) => /^[0-9a-f]{8}-/.test(l));

describe('batchdesk portfolios', () => {
  it('lists every portfolio with its whole id, name, lots and latest complete snapshot, and reads only', async () => {
    const db = await backfilledDemo();
    const before = readFileSync(db);
    const r = await runCli(['portfolios', '--db', db], ENV);
    expect(r.code, r.stderr).toBe(0);
    const rows = rowsOf(r.stdout);
    expect(rows.map((l) => l.split(/\s{2,}/).slice(0, 6))).toEqual(DEMO.map(([id, name, lots]) => [id, name, 'active', String(lots), '2025-06-30', SAFE_NOW.slice(0, 10)]));
    // Equity as money: thousands separators and two decimals (k.1).
    for (const row of rows) expect(row).toMatch(/\s-?\d{1,3}(,\d{3})*\.\d{2}$/);
    expect(r.stdout).toContain('5 portfolio(s). `--portfolio` takes an id or its first 8 or more characters, e.g. `batchdesk run --portfolio ab46c3c0 --db ');
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('prints the listPortfolios command output with --json; a portfolio never run has no snapshot yet', async () => {
    const db = seedDemoDb(SAFE_NOW);
    const text = await runCli(['portfolios', '--db', db], ENV);
    expect(rowsOf(text.stdout).every((l) => l.includes('none yet'))).toBe(true);
    const r = await runCli(['portfolios', '--db', db, '--json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const parsed = viewCommands.listPortfolios.output.parse(JSON.parse(r.stdout));
    expect(parsed.portfolios.map((p) => [p.id, p.name, p.positions, p.latestSnapshotDate])).toEqual(DEMO.map(([id, name, lots]) => [id, name, lots, null]));
  });

  it('lists a deleted portfolio with --all only, and a non-ASCII name in ASCII', async () => {
    const db = seedDemoDb(SAFE_NOW);
    execOn(db, (d) => {
      d.prepare(`UPDATE portfolios SET deleted_at = '2025-07-01T00:00:00.000000Z' WHERE id = ?`).run(FAMILY_PRIVATE);
      d.prepare(`UPDATE portfolios SET name = 'Caf\u00e9 Fund \u2013 Z\u00fcrich' WHERE id = ?`).run(INDIVIDUAL);
    });
    const plain = await runCli(['portfolios', '--db', db], ENV);
    expect(rowsOf(plain.stdout).map((l) => l.slice(0, 36))).not.toContain(FAMILY_PRIVATE);
    expect(rowsOf(plain.stdout)).toHaveLength(4);
    const all = await runCli(['portfolios', '--db', db, '--all'], ENV);
    expect(rowsOf(all.stdout).find((l) => l.startsWith(FAMILY_PRIVATE))).toContain('  deleted  ');
    expect(rowsOf(all.stdout)).toHaveLength(5);
    expect(isAscii(all.stdout)).toBe(true);
    expect(all.stdout).toContain('Cafe Fund - Zurich');
    const json = await runCli(['portfolios', '--db', db, '--all', '--json'], ENV);
    expect(isAscii(json.stdout)).toBe(true);
    expect(JSON.parse(json.stdout).portfolios.find((p: { id: string }) => p.id === INDIVIDUAL).name).toBe('Caf\u00e9 Fund \u2013 Z\u00fcrich');
  });

  it('says how to fill an empty database', async () => {
    const db = join(tempDir(), 'empty.sqlite');
    openDatabase(db).close();
    const r = await runCli(['portfolios', '--db', db], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`No portfolios (deleted ones are listed with --all). \`batchdesk seed-demo --db ${db}\` creates the demo's five; \`batchdesk import <dump> --db ${db}\` brings a dump's.`);
  });
});
