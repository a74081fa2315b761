/**
 * `run --log-json` without `--log-file` (SPEC.md h.3, k.1): stderr carries the JSON lines of the
 * event log instead of human lines, the closing summary and the "nothing to do" message
 * included; stdout carries only what it always does (the --summary-json document).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { telemetryEventSchema } from '../../core/api/telemetry-events';
import { runSummarySchema } from '../../core/engine/run-summary';
import { runCli, tempDir } from '../support/cli';

const NOW = '2025-07-10T23:00:00Z';

/** Every stderr line as a telemetry event; fails on a line that is not one. */
function events(stderr: string): { event: string; payload: Record<string, unknown> }[] {
  return stderr.split('\n').map((line) => {
    expect(telemetryEventSchema.safeParse(JSON.parse(line)).success, line).toBe(true);
    return JSON.parse(line) as { event: string; payload: Record<string, unknown> };
  });
}

describe('run --log-json without --log-file', () => {
  it('writes only JSON lines to stderr; the summary is in the events and, with --summary-json, on stdout', async () => {
    const db = join(tempDir(), 'demo.db');
    expect((await runCli(['seed-demo', '--db', db], { BATCHDESK_NOW: NOW })).code).toBe(0);

    const one = await runCli(['run', '--db', db, '--target-date', '2025-07-07', '--log-json'], { BATCHDESK_NOW: NOW });
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toBe('');
    const log = events(one.stderr);
    expect(log[0]!.event).toBe('run_start');
    expect(log.at(-1)).toMatchObject({ event: 'run_result', payload: { status: 'completed', exit_code: 0, dates_planned: 1, dates_succeeded: 1, guard_status: 'pass' } });
    expect(log.filter((e) => e.event === 'date_result').map((e) => e.payload['date'])).toEqual(['2025-07-07']);

    const rest = await runCli(['run', '--db', db, '--log-json', '--summary-json'], { BATCHDESK_NOW: NOW });
    expect(rest.code, rest.stderr).toBe(0);
    expect(events(rest.stderr).at(-1)!.event).toBe('run_result');
    expect(runSummarySchema.safeParse(JSON.parse(rest.stdout)).success).toBe(true);

    const nothing = await runCli(['run', '--db', db, '--log-json'], { BATCHDESK_NOW: NOW });
    expect(nothing.code).toBe(0);
    expect(nothing.stderr).toBe('');
    expect(nothing.stdout).toBe('');
  });
});
