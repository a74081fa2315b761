/**
 * The regression gate as read from settings.gate (SPEC.md i.4): the stored shape is checked
 * against the contract's gate schema; a gate that does not match it (an edited settings row)
 * reads as closed, with a reason that says how to reopen it, never silently as open, and a run
 * is refused on it as on a closed gate.
 */
import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/open-database';
import { readGate } from '../../../host/diagnostics/guard';
import { runCli, tempDir } from '../../support/cli';
import { seedDemoDb } from '../../support/demo-db';
import { SAFE_NOW } from '../../support/safeguards';

function withStoredGate(value: string | null): string {
  const path = join(tempDir(), 'gate.db');
  copyFileSync(seedDemoDb(SAFE_NOW), path);
  const raw = new Database(path);
  raw.prepare(`DELETE FROM settings WHERE key = 'gate'`).run();
  if (value !== null) raw.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('gate', ?, '2025-07-10T00:00:00Z')`).run(value);
  raw.close();
  return path;
}

describe('readGate', () => {
  it('reads no stored gate as open and a stored closed gate as closed', () => {
    for (const [stored, state] of [
      [null, 'open'],
      [JSON.stringify({ state: 'closed', since: '2025-07-10T00:00:00Z', run_id: 'r1', findings: [], dates: ['2025-07-09'] }), 'closed'],
    ] as const) {
      const db = openDatabase(withStoredGate(stored));
      try {
        expect(readGate(db).state).toBe(state);
      } finally {
        db.close();
      }
    }
  });

  it('reads a gate of the wrong shape as closed, saying how to reopen it', () => {
    const db = openDatabase(withStoredGate(JSON.stringify({ state: 'half-open', since: 3 })));
    try {
      const g = readGate(db);
      expect(g.state).toBe('closed');
      expect(g.reason).toMatch(/settings\.gate\) is unreadable; run `batchdesk verify guard`.*--reopen --reason/);
    } finally {
      db.close();
    }
  });

  it('refuses a run on a gate of the wrong shape, as on a closed one (exit 4)', async () => {
    const r = await runCli(['run', '--db', withStoredGate(JSON.stringify({ state: 'half-open' })), '--target-date', '2025-07-01'], { BATCHDESK_NOW: SAFE_NOW });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('the regression gate is closed');
  });
});
