/**
 * Issue 7 acceptance: reconciliation finds injected breaks. A missing mark and a wrong
 * snapshot cash are flagged with their causes named; the guard fails and closes the gate
 * (settings.gate, maintenance_log, gate_changed); the next run refuses with exit 4 until the
 * gate is reopened with a reason. The engine's post-run guard closes the gate by itself.
 */
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../core/api/telemetry-events';
import { runCli } from '../support/cli';
import { runDemo } from '../support/demo-db';
import { backfilledDemo, copyTo, ENV, execOn, FAMILY_GROWTH, INDIVIDUAL, SAFE_NOW } from '../support/safeguards';

let template = '';
let lotId = '';
beforeAll(async () => {
  template = await backfilledDemo();
  const d = new Database(template, { readonly: true });
  lotId = (d.prepare(`SELECT position_id FROM position_marks WHERE portfolio_id = ? AND mark_date = '2025-07-09' ORDER BY position_id LIMIT 1`).get(INDIVIDUAL) as { position_id: string }).position_id;
  d.close();
}, 300_000);

function inject(db: string): void {
  execOn(db, (d) => {
    d.prepare(`DELETE FROM position_marks WHERE position_id = ? AND mark_date = '2025-07-09'`).run(lotId);
    d.prepare(`UPDATE portfolio_snapshots SET cash_value = cash_value + 500 WHERE portfolio_id = ? AND snapshot_date = '2025-07-10'`).run(FAMILY_GROWTH);
  });
}

const gate = (db: string) => {
  const d = new Database(db, { readonly: true });
  try {
    const g = d.prepare(`SELECT value FROM settings WHERE key = 'gate'`).get() as { value: string } | undefined;
    const log = d.prepare(`SELECT details FROM maintenance_log WHERE operation = 'gate' ORDER BY id`).all() as { details: string }[];
    return { gate: g ? JSON.parse(g.value) : null, log: log.map((l) => JSON.parse(l.details)) };
  } finally {
    d.close();
  }
};

describe('injected breaks', () => {
  it('reconcile flags both and names the causes; exit 4', async () => {
    const db = copyTo(template);
    inject(db);
    const r = await runCli(['reconcile', '--db', db, '--start-date', '2025-07-09', '--end-date', '2025-07-10', '--json'], ENV);
    expect(r.code).toBe(4);
    const out = JSON.parse(r.stdout);
    expect(out.flagged).toBe(2);
    const [first, second] = out.results;
    expect(first.flagged && second.flagged).toBe(true);
    const missing = out.results.find((x: { portfolioId: string }) => x.portfolioId === INDIVIDUAL);
    // Check 2 values the unmarked lot at its latest close, so only checks 1 and 5 break (i.1).
    expect(missing.checks.filter((c: { status: string }) => c.status === 'flag').map((c: { id: number }) => c.id)).toEqual([1, 5]);
    expect(missing.explanations.join('\n')).toContain(`lot ${lotId}`);
    // Money as the checks say it (thousands separators, cents rounded as theirs are).
    expect(missing.explanations.join('\n')).toMatch(/has no mark \(valued at its latest close of 2025-07-09: \d{1,3}(,\d{3})*\.\d\d\)/);
    const cash = out.results.find((x: { portfolioId: string }) => x.portfolioId === FAMILY_GROWTH);
    // 500 plus the few cents of per-lot rounding between S_marked and net exposure (m.9).
    expect(Math.abs(cash.checks.find((c: { id: number }) => c.id === 5).difference - 500)).toBeLessThanOrEqual(0.05);
    expect(cash.explanations.join('\n')).toMatch(/no lot without a mark explains the break/);
    const human = await runCli(['reconcile', '--db', db, '--start-date', '2025-07-09', '--end-date', '2025-07-10'], ENV);
    expect(human.stdout).toMatch(/\[FLAG\] 1 NAV - cash vs positions/);
    expect(human.stdout).toMatch(/Flagged portfolio-dates: 2 \/ 10/);
    const diag = await runCli(['diagnose', 'equity-cash', '--db', db, '--date', '2025-07-10'], ENV);
    expect(diag.code).toBe(4);
    expect(diag.stdout).toMatch(/Flagged portfolios: 1 \/ 5/);
  });

  it('the guard fails and closes the gate; the next run refuses with exit 4; reopen with a reason', async () => {
    const db = copyTo(template);
    inject(db);
    const g = await runCli(['verify', 'guard', '--db', db, '--start-date', '2025-07-09', '--end-date', '2025-07-10', '--json'], ENV);
    expect(g.code).toBe(4);
    const out = JSON.parse(g.stdout);
    expect(out.findings.map((f: { check: string }) => f.check).sort()).toEqual(['G1', 'G3', 'G3']);
    expect(out.gate.state).toBe('closed');
    const state = gate(db);
    expect(state.gate).toMatchObject({ state: 'closed', dates: ['2025-07-09', '2025-07-10'] });
    expect(state.log[0]).toMatchObject({ action: 'close', findings: 3 });

    const run = await runCli(['run', '--db', db, '--target-date', '2025-07-10'], ENV);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/the regression gate is closed since .* \(3 finding\(s\), the first on 2025-07-\d\d: .+\); fix the data and run `batchdesk verify guard --start-date 2025-07-09 --end-date 2025-07-10 --db \S+`, which reopens it once it passes over the failed dates/);
    const monitor = await runCli(['run', '--db', db, '--target-date', '2025-07-10', '--monitor-only', '--quiet'], ENV);
    expect(monitor.stderr).not.toMatch(/gate is closed/); // monitor-only runs are allowed while the gate is closed

    const noReason = await runCli(['verify', 'guard', '--db', db, '--reopen'], ENV);
    expect(noReason.code).toBe(2);
    const reopen = await runCli(['verify', 'guard', '--db', db, '--reopen', '--reason', 'checked by hand'], ENV);
    expect(reopen.code).toBe(0);
    expect(gate(db).gate).toMatchObject({ state: 'open', reason: 'checked by hand' });
    expect(gate(db).log[1]).toMatchObject({ action: 'reopen', reason: 'checked by hand' });
    // A reopen of an open gate changes nothing and records nothing.
    const again = await runCli(['verify', 'guard', '--db', db, '--reopen', '--reason', 'once more'], ENV);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^The gate is already open \(since \S+\); nothing changed\.$/m);
    expect(gate(db).gate).toMatchObject({ state: 'open', reason: 'checked by hand' });
    expect(gate(db).log).toHaveLength(2);
    // Re-running the broken dates repairs them; the guard passes over them.
    const fix = await runCli(['run', '--db', db, '--start-date', '2025-07-09', '--quiet'], ENV);
    expect(fix.code, fix.stderr).toBe(0);
    const pass = await runCli(['verify', 'guard', '--db', db, '--start-date', '2025-07-09', '--end-date', '2025-07-10'], ENV);
    expect(pass.code, pass.stdout).toBe(0);
  }, 120_000);

  it('the post-run guard of a normal run closes the gate by itself (gate_changed metric)', async () => {
    const db = copyTo(template);
    inject(db);
    const events: TelemetryEvent[] = [];
    const r = await runDemo(db, SAFE_NOW, { targetDate: '2025-07-10', phases: ['analytics'] }, { sinks: [{ name: 'collect', handle: (e) => events.push(e) }] });
    expect(r.kind).toBe('run');
    if (r.kind !== 'run') return;
    expect(r.summary.guard?.status).toBe('fail');
    expect(r.exitCode).toBe(4);
    expect(events.some((e) => e.event === 'metric' && e.payload.name === 'gate_changed' && (e.payload.tags as { state?: string }).state === 'closed')).toBe(true);
    expect(gate(db).gate.state).toBe('closed');
    const next = await runCli(['run', '--db', db, '--target-date', '2025-07-10'], ENV);
    expect(next.code).toBe(4);
    const ignored = await runCli(['run', '--db', db, '--start-date', '2025-07-09', '--ignore-gate', '--quiet'], ENV);
    expect(ignored.code, ignored.stderr).toBe(0);
    expect(gate(db).gate.state).toBe('open'); // the guard passed over the failed dates
  }, 120_000);
});
