/**
 * `run --sql-echo` (SPEC.md k.2 "log every SQL statement at debug level", h.1-h.3): every
 * statement is a debug-level `sql` metric event recorded through recordMetric, so it reaches the
 * run's sinks: with --log-json each one is a JSON line of the one stderr stream, with --log-file
 * each one is a line of the file, and in the plain output a readable `sql: ...` line. The
 * statements run before the run has its telemetry (opening the database) are there too, as
 * events outside the run (run_id null); a dry run, which never has one, echoes them as well.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { telemetryEventSchema, type TelemetryEvent } from '../../core/api/telemetry-events';
import { runCli, tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { copyTo } from '../support/safeguards';

const NOW = '2025-07-10T23:00:00Z';
const ENV = { BATCHDESK_NOW: NOW };

let seeded = '';
beforeAll(() => {
  seeded = seedDemoDb(NOW);
}, 120_000);

/** Every line as a telemetry event the schema accepts; fails on a line that is not one. */
function events(text: string): TelemetryEvent[] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const parsed = telemetryEventSchema.safeParse(JSON.parse(line));
      expect(parsed.success, line).toBe(true);
      return parsed.data!;
    });
}

const sqlOf = (e: TelemetryEvent): string | null => (e.event === 'metric' && e.payload.name === 'sql' ? String(e.payload.tags['sql']) : null);

describe('run --sql-echo', () => {
  it('with --log-json: each statement is a debug JSON line in the stderr stream, from the opening of the database on', async () => {
    const r = await runCli(['run', '--db', copyTo(seeded), '--target-date', '2025-07-01', '--sql-echo', '--log-json'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const log = events(r.stderr);
    const sql = log.filter((e) => sqlOf(e) !== null);
    expect(sql.length).toBeGreaterThan(100);
    for (const e of sql) expect(e).toMatchObject({ level: 'debug', source: 'engine', payload: { value: null, unit: null } });
    // Opening the database comes before the run: outside it (run_id null), first in the stream.
    const start = log.findIndex((e) => e.event === 'run_start');
    const runId = log[start]!.run_id;
    expect(runId).not.toBeNull();
    expect(log.slice(0, start).filter((e) => e.run_id === null).map(sqlOf)).toContain('PRAGMA busy_timeout = 5000');
    // Inside the run the run's own telemetry records them: its run_id, in its sequence.
    const runSql = sql.filter((e) => e.run_id === runId).map(sqlOf);
    expect(runSql.some((s) => /INSERT INTO "?portfolio_snapshots"?/i.test(s!))).toBe(true);
    // Each stream of events (the run's, the ones outside it) counts 1, 2, 3, ... without a gap.
    for (const id of [runId, null]) expect(log.filter((e) => e.run_id === id).map((e) => e.seq)).toEqual(log.filter((e) => e.run_id === id).map((_, i) => i + 1));
    expect(log.filter((e) => e.event === 'run_result')).toHaveLength(1);
  });

  it('with --log-file: the statements are lines of the file (key=value, and JSON with --log-json)', async () => {
    const dir = tempDir();
    const kv = join(dir, 'run.log');
    const plain = await runCli(['run', '--db', copyTo(seeded), '--target-date', '2025-07-01', '--sql-echo', '--log-file', kv, '--quiet'], ENV);
    expect(plain.code, plain.stderr).toBe(0);
    const lines = readFileSync(kv, 'utf8').trim().split('\n');
    expect(lines.some((l) => /^\S+Z debug metric name=sql sql="PRAGMA busy_timeout = 5000"$/.test(l))).toBe(true);
    expect(lines.some((l) => /^\S+Z debug metric name=sql sql="INSERT INTO \\?"?portfolio_snapshots/i.test(l))).toBe(true);
    expect(lines.some((l) => /^\S+Z info run_start /.test(l))).toBe(true);

    const jsonl = join(dir, 'run.jsonl');
    const json = await runCli(['run', '--db', copyTo(seeded), '--target-date', '2025-07-01', '--sql-echo', '--log-json', '--log-file', jsonl, '--quiet'], ENV);
    expect(json.code, json.stderr).toBe(0);
    const log = events(readFileSync(jsonl, 'utf8'));
    expect(log.map(sqlOf)).toContain('PRAGMA busy_timeout = 5000');
    expect(log.some((e) => e.event === 'run_start')).toBe(true);
  });

  it('in the plain output: one readable `sql:` line per statement among the progress lines, also in a dry run', async () => {
    const r = await runCli(['run', '--db', copyTo(seeded), '--target-date', '2025-07-01', '--sql-echo'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.split('\n');
    expect(lines[0]).toBe('sql: PRAGMA busy_timeout = 5000');
    expect(lines.some((l) => /^sql: INSERT INTO "?portfolio_snapshots"?/i.test(l))).toBe(true);
    expect(lines.some((l) => /^2025-07-01  portfolios 5\/5 ok/.test(l))).toBe(true);
    // A statement is one line, whatever its layout in the source.
    for (const l of lines.filter((x) => x.startsWith('sql: '))) expect(l).not.toMatch(/\s{2,}|\s$/);

    const dry = await runCli(['run', '--db', copyTo(seeded), '--target-date', '2025-07-01', '--sql-echo', '--dry-run'], ENV);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Dry run: nothing was written.');
    expect(dry.stderr.split('\n')[0]).toBe('sql: PRAGMA busy_timeout = 5000');
    expect(dry.stderr.split('\n').every((l) => l.startsWith('sql: '))).toBe(true);
  });
});
