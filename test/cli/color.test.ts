/**
 * Colour (SPEC.md k.1): ANSI colour codes only with --color on a terminal, and never while
 * NO_COLOR is set to a non-empty value, not even with --color. One rule (cli/color.ts) decides
 * it for the CLI, and run's progress (its bar, failures and warnings) follows it; without colour
 * every byte stays printable ASCII.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { colorEnabled, paint } from '../../cli/color';
import { memoryIO } from '../support/memory-io';
import { main } from '../../cli/main';
import { progressSink } from '../../cli/telemetry/progress-sink';
import { createTelemetry } from '../../core/telemetry/record-metric';
import { REPO_ROOT } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { copyTo } from '../support/safeguards';

const NOW = '2025-07-10T23:00:00Z';
const ANSI_COLOR = /\x1b\[3\dm/;

afterEach(() => vi.restoreAllMocks());

/** Everything written straight to process.stderr (the progress bar) while `fn` runs. */
async function rawStderr(fn: () => Promise<unknown> | unknown): Promise<string> {
  const writes: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (writes.push(String(chunk)), true));
  await fn();
  vi.restoreAllMocks();
  return writes.join('');
}

describe('the colour rule', () => {
  it('needs --color and a terminal; NO_COLOR set to anything but an empty value wins over --color', () => {
    expect(colorEnabled(true, true, {})).toBe(true);
    expect(colorEnabled(true, true, { NO_COLOR: '' })).toBe(true);
    expect(colorEnabled(true, true, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled(true, true, { NO_COLOR: 'anything' })).toBe(false);
    expect(colorEnabled(true, false, {})).toBe(false);
    expect(colorEnabled(false, true, {})).toBe(false);
    expect(paint(true, 'red', 'failed')).toBe('\x1b[31mfailed\x1b[39m');
    expect(paint(false, 'red', 'failed')).toBe('failed');
  });
});

describe("run's progress", () => {
  function progress(color: boolean): { lines: string[]; bar: () => Promise<string> } {
    const lines: string[] = [];
    const sink = progressSink((l) => lines.push(l), { tty: true, level: 'info', now: () => 0, color });
    const t = createTelemetry({ clock: { now: () => Date.parse(NOW) }, sinks: [sink], strict: true, runId: 'r1' });
    return {
      lines,
      bar: () =>
        rawStderr(() => {
          t.recordMetric('run_start', { batch_run_id: 'batch_x', mode: 'normal', triggered_by: 'cli', database: 'demo.db', target_date: '2025-07-10', first_date: '2025-07-09', last_date: '2025-07-10', date_count: 2, chunk_days: 0, chunk_count: 1, phases: ['marks'], portfolio_scope: 'all', options: {}, app_version: '0' });
          t.recordMetric('phase_result', { date: '2025-07-09', phase: 'snapshots', portfolio_id: '1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe', status: 'failed', critical: true, duration_ms: 3, reason: 'exception', error: 'disk I/O error', metrics: {} });
          t.metric('stale_marked', 2, { portfolioId: '1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe', tags: { from: '2025-07-09' }, level: 'warn' });
          t.recordMetric('date_result', { date: '2025-07-09', status: 'failed', duration_ms: 10, portfolios_total: 5, portfolios_succeeded: 4, portfolios_failed: 1, portfolios_skipped: 0, phases: {}, symbol_coverage_pct: 100, missing_price_count: 0, fallback_count: 0, model_count: 0, analytics_jobs_expected: 0, analytics_jobs_completed: 0, errors: [] });
        }),
    };
  }

  it('with colour: a green bar, failures in red, warnings in yellow', async () => {
    const p = progress(true);
    const bar = await p.bar();
    expect(bar).toContain(`[\x1b[32m${'#'.repeat(15)}\x1b[39m${'.'.repeat(15)}] 1/2 dates`);
    expect(p.lines).toContain('\x1b[31m2025-07-09  snapshots    1d8ddd95  failed (exception): disk I/O error\x1b[39m');
    expect(p.lines.find((l) => l.includes('later date(s)'))).toMatch(/^\x1b\[33mwarning: 2 later date\(s\) of 1d8ddd95 are now stale .*\x1b\[39m$/);
    expect(p.lines.find((l) => l.startsWith('2025-07-09  portfolios'))).toContain('4/5 \x1b[31mfailed\x1b[39m');
  });

  it('without colour: the same output, printable ASCII only', async () => {
    const p = progress(false);
    const bar = await p.bar();
    expect(bar).not.toMatch(ANSI_COLOR);
    expect(bar).toContain(`[${'#'.repeat(15)}${'.'.repeat(15)}] 1/2 dates`);
    expect(p.lines).toContain('2025-07-09  snapshots    1d8ddd95  failed (exception): disk I/O error');
    expect(p.lines.join('\n')).toMatch(/^[\x20-\x7e\n]*$/);
  });
});

describe('batchdesk run on a terminal', () => {
  let seeded = '';
  beforeAll(() => {
    seeded = seedDemoDb(NOW);
  }, 120_000);

  /** The bar and lines of a one-date run with stderr on a terminal. */
  async function runOnTerminal(flags: string[], env: Record<string, string>): Promise<string> {
    const io = { ...memoryIO({ BATCHDESK_NOW: NOW, ...env }, REPO_ROOT), stderrIsTTY: true };
    let code = -1;
    const raw = await rawStderr(async () => {
      code = await main(['run', '--db', copyTo(seeded), '--target-date', '2025-07-01', ...flags], { io });
    });
    expect(code, io.stderr.join('\n')).toBe(0);
    return raw + io.stderr.join('\n');
  }

  it('colours the progress with --color, and not with NO_COLOR set or without --color', async () => {
    expect(await runOnTerminal(['--color'], {})).toMatch(ANSI_COLOR);
    // An empty NO_COLOR is not set (no-color.org).
    expect(await runOnTerminal(['--color'], { NO_COLOR: '' })).toMatch(ANSI_COLOR);
    expect(await runOnTerminal(['--color'], { NO_COLOR: '1' })).not.toMatch(ANSI_COLOR);
    expect(await runOnTerminal([], {})).not.toMatch(ANSI_COLOR);
  });
});
