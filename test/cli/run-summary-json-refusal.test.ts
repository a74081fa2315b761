/**
 * `run --summary-json` refused (another run holds the lock: exit 3; the gate is closed: exit 4;
 * a usage error: exit 2) still prints one JSON document on stdout, the refusal as the --json
 * commands give it (`{ ok: false, error, exit_code }`): a script parsing stdout got nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { copyTo, ENV, execOn, holdLockInChild, SAFE_NOW, type LockHolder } from '../support/safeguards';

let seeded = '';
beforeAll(() => {
  seeded = seedDemoDb(SAFE_NOW);
});

const refusalOf = (stdout: string) => JSON.parse(stdout) as { ok: boolean; error: { code: string; message: string }; exit_code: number };

describe('run --summary-json refused', () => {
  let holder: LockHolder | null = null;
  afterAll(async () => {
    await holder?.stop();
  });

  it('by a lock another process holds: exit 3 and the refusal as JSON on stdout', async () => {
    const db = copyTo(seeded);
    holder = await holdLockInChild(db);
    const r = await runCli(['run', '--db', db, '--target-date', '2025-07-01', '--summary-json'], ENV);
    expect(r.code, r.stderr).toBe(3);
    expect(refusalOf(r.stdout)).toMatchObject({ ok: false, error: { code: 'locked' }, exit_code: 3 });
    expect(r.stderr).toMatch(/^error: the database is locked by another run/m);
  }, 60_000);

  it('by a closed gate: exit 4 and the refusal as JSON on stdout', async () => {
    const db = copyTo(seeded);
    execOn(db, (d) => d.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('gate', json('{"state":"closed","since":"2025-07-09T22:00:00.000Z","findings":[]}'), '2025-07-09T22:00:00.000Z')`).run());
    const r = await runCli(['run', '--db', db, '--target-date', '2025-07-01', '--summary-json'], ENV);
    expect(r.code, r.stderr).toBe(4);
    expect(refusalOf(r.stdout)).toMatchObject({ ok: false, exit_code: 4 });
  });

  it('by a usage error: exit 2 and the refusal as JSON on stdout', async () => {
    const r = await runCli(['run', '--db', copyTo(seeded), '--phase', 'bogus', '--summary-json'], ENV);
    expect(r.code).toBe(2);
    expect(refusalOf(r.stdout)).toMatchObject({ ok: false, error: { code: 'usage' }, exit_code: 2 });
  });
});
