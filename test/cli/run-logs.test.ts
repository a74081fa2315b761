/**
 * Run logs and the summary (SPEC.md h.3, h.5, Appendix C.17): --log-json --log-file writes one
 * envelope per line with keys in the fixed order; without --log-json the file is key=value
 * lines; --summary-json prints exactly one JSON document on stdout that the schema accepts.
 */
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { telemetryEventSchema } from '../../core/api/telemetry-events';
import { runSummarySchema } from '../../core/engine/run-summary';
import { runCli, tempDir } from '../support/cli';

const NOW = '2025-07-10T23:00:00Z';

describe('run logs and summary', () => {
  it('writes JSON lines, key=value lines and a summary document', async () => {
    const dir = tempDir();
    const db = join(dir, 'demo.db');
    expect((await runCli(['seed-demo', '--db', db], { BATCHDESK_NOW: NOW })).code).toBe(0);
    const jsonl = join(dir, 'run.jsonl');
    const r = await runCli(['run', '--db', db, '--end-date', '2025-07-03', '--start-date', '2025-06-30', '--chunk-days', '2', '--log-json', '--log-file', jsonl, '--summary-json'], { BATCHDESK_NOW: NOW });
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(jsonl, 'utf8').trim().split('\n');
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const [i, e] of events.entries()) {
      expect(Object.keys(e)).toEqual(['event', 'schema', 'run_id', 'seq', 'ts', 'source', 'level', 'payload']);
      expect(telemetryEventSchema.safeParse(e).success).toBe(true);
      expect(e['seq']).toBe(i + 1);
      expect(e['ts']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    }
    const names = events.map((e) => e['event']);
    expect(names[0]).toBe('run_start');
    expect(names.at(-1)).toBe('run_result');
    expect(names.filter((n) => n === 'date_result').length).toBe(4);
    expect(events.filter((e) => e['event'] === 'metric' && (e['payload'] as { name: string }).name === 'chunk_result').length).toBe(2);
    const summary = JSON.parse(r.stdout);
    expect(runSummarySchema.safeParse(summary).success).toBe(true);
    expect(summary.dates).toMatchObject({ planned: 4, processed: 4 });
    expect(summary.chunks.length).toBe(2);
    expect(summary.results[0].portfolios.length).toBe(5);

    const kv = join(dir, 'run.log');
    const again = await runCli(['run', '--db', db, '--target-date', '2025-07-07', '--log-file', kv, '--quiet'], { BATCHDESK_NOW: NOW });
    expect(again.code, again.stderr).toBe(0);
    const kvLines = readFileSync(kv, 'utf8').trim().split('\n');
    expect(kvLines.some((l) => /^\S+Z info phase_result date=2025-07-07 phase=marks portfolio=[0-9a-f]{8} status=success duration_ms=\d+/.test(l))).toBe(true);
  });

  it('creates the log file folder (the README example writes to logs/), and refuses a folder that is a file before running', async () => {
    const dir = tempDir();
    const db = join(dir, 'demo.db');
    expect((await runCli(['seed-demo', '--db', db], { BATCHDESK_NOW: NOW })).code).toBe(0);
    const nested = join(dir, 'logs', 'nightly', 'run.jsonl');
    const r = await runCli(['run', '--db', db, '--target-date', '2025-07-01', '--log-json', '--log-file', nested], { BATCHDESK_NOW: NOW });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(nested, 'utf8')).toMatch(/^\{"event":"run_start"/);

    writeFileSync(join(dir, 'afile'), 'x');
    const bad = await runCli(['run', '--db', db, '--target-date', '2025-07-02', '--log-file', join(dir, 'afile', 'run.log')], { BATCHDESK_NOW: NOW });
    expect(bad.code).toBe(5);
    expect(bad.stderr).toContain(`error: cannot write the event log to ${join(dir, 'afile', 'run.log')}: ${join(dir, 'afile')} is a file, not a folder; choose another --log-file path (a missing folder is created)`);
    const d = new Database(db, { readonly: true });
    expect((d.prepare(`SELECT count(*) AS n FROM batch_run_history`).get() as { n: number }).n).toBe(1);
    d.close();
  });
});
