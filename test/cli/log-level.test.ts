/**
 * The console's level (SPEC.md k.4 `BATCHDESK_LOG_LEVEL`; cli/log-level.ts): --verbose or
 * --quiet win for one command, else the variable, else info; a value outside the four levels is
 * a usage error that names them, and so are --quiet and --verbose together (k.1). `run --quiet`
 * prints its result, the status line (it printed nothing at all).
 */
import { describe, expect, it } from 'vitest';
import { consoleLogLevel } from '../../cli/log-level';
import { BatchdeskError } from '../../core/api/errors';
import { SHORT_NOW } from '../support/app/demo-fixture';
import { runCli } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';

describe('the console level', () => {
  it('comes from the flags, else BATCHDESK_LOG_LEVEL (any case), else info', () => {
    const none = { quiet: false, verbose: false };
    expect(consoleLogLevel(none, {})).toBe('info');
    expect(consoleLogLevel(none, { BATCHDESK_LOG_LEVEL: '' })).toBe('info');
    for (const l of ['debug', 'info', 'warn', 'error'] as const) expect(consoleLogLevel(none, { BATCHDESK_LOG_LEVEL: l })).toBe(l);
    expect(consoleLogLevel(none, { BATCHDESK_LOG_LEVEL: 'WARN' })).toBe('warn');
    expect(consoleLogLevel({ quiet: true, verbose: false }, { BATCHDESK_LOG_LEVEL: 'debug' })).toBe('error');
    expect(consoleLogLevel({ quiet: false, verbose: true }, { BATCHDESK_LOG_LEVEL: 'error' })).toBe('debug');
  });

  it('refuses an unknown level as a usage error', () => {
    expect(() => consoleLogLevel({ quiet: false, verbose: false }, { BATCHDESK_LOG_LEVEL: 'loud' })).toThrow(BatchdeskError);
  });

  it('through the CLI: --quiet with --verbose exits 2 naming both, before anything runs', async () => {
    const r = await runCli(['run', '--db', '/nonexistent/x.sqlite', '--quiet', '--verbose', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --quiet and --verbose exclude each other: keep one (see `batchdesk run --help`)');
  });

  it('through the CLI: an unknown level exits 2 naming the four levels', async () => {
    const r = await runCli(['history', '--db', '/nonexistent/x.sqlite'], { BATCHDESK_LOG_LEVEL: 'loud' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('BATCHDESK_LOG_LEVEL must be one of debug, info, warn, error (it is "loud"); unset it for the default, info');
  });

  it('through the CLI: run --quiet prints its result, the status line, and nothing else', async () => {
    const db = seedDemoDb(SHORT_NOW);
    const r = await runCli(['run', '--db', db, '--target-date', '2025-07-01', '--quiet'], { BATCHDESK_NOW: SHORT_NOW });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^Status: completed \(1 success, 0 partial, 0 failed\)  Duration: \d+\.\ds$/);
    expect(r.stdout).toBe('');
  });
});
