/**
 * CLI basics (SPEC.md k.1-k.3, Appendix C.21): --help lists every command, each command's
 * help lists its flags of k.2 with one example, --version, unknown commands, and ASCII only
 * on every stream (also through the real package bin).
 */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../cli/commands';
import { memoryIO } from '../support/memory-io';
import { reportError } from '../../cli/main';
import { join } from 'node:path';
import { runCli, runCliProcess, tempDir } from '../support/cli';

const K2_RUN_FLAGS = [
  'start-date', 'end-date', 'target-date', 'portfolio', 'phase', 'with-prerequisites', 'chunk-days', 'retry-failed-phases', 'resume', 'dry-run',
  'monitor-only', 'summary-json', 'log-json', 'log-file', 'market-data', 'csv-dir', 'seed', 'allow-mixed-sources', 'max-missing-marks',
  'implied-vol', 'risk-free-rate', 'no-guard', 'ignore-gate', 'sql-echo', 'trace',
];

describe('CLI basics', () => {
  it('prints the command list and the version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const c of COMMANDS) expect(help.stdout).toContain(c.name);
    const version = await runCli(['--version']);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('lists every flag of `run` (k.2) with an example', async () => {
    const r = await runCli(['run', '--help']);
    expect(r.code).toBe(0);
    for (const f of K2_RUN_FLAGS) expect(r.stdout, f).toContain(`--${f}`);
    expect(r.stdout).toMatch(/Example:\n {2}batchdesk run/);
  });

  it('gives every command a help text with its flags and an example', async () => {
    for (const c of COMMANDS) {
      const r = await runCli([...c.name.split(' '), '--help']);
      expect(r.code, c.name).toBe(0);
      expect(r.stdout).toContain(`Usage: batchdesk ${c.name}`);
      for (const f of Object.keys(c.flags)) expect(r.stdout, `${c.name} --${f}`).toContain(`--${f}`);
      expect(r.stdout).toContain('Example:');
    }
  });

  it("states verify guard's default scope as i.4 has it: the latest run's dates", async () => {
    const r = await runCli(['verify', 'guard', '--help']);
    expect(r.stdout).toMatch(/--date YYYY-MM-DD +one date \(default: the dates the latest run processed\)/);
  });

  it("names the stored settings as run's defaults for the guard and option-model flags (k.4: flags override them for one run)", async () => {
    const r = await runCli(['run', '--help']);
    expect(r.stdout).toMatch(/--max-missing-marks FRACTION[^\n]*\(default: setting guard\.max_missing_marks \(0\.05\)\)/);
    expect(r.stdout).toMatch(/--implied-vol X[^\n]*\(default: setting options\.implied_vol \(0\.30\)\)/);
    expect(r.stdout).toMatch(/--risk-free-rate X[^\n]*\(default: setting options\.risk_free_rate \(0\.04\)\)/);
  });

  it('refuses an unknown command with exit 2 and a suggestion', async () => {
    const r = await runCli(['rnu']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "rnu"; did you mean `run`\?/);
  });

  it('prefixes every error with `error:`, an internal one too (its class in words, not a stack line `TypeError: ...`)', () => {
    const io = memoryIO();
    expect(reportError(new TypeError('boom'), io)).toBe(5);
    expect(reportError('a thrown string', io)).toBe(5);
    const [bug, text] = io.stderr;
    expect(bug).toMatch(/^error: internal error \(TypeError\): boom\n {4}at /);
    expect(text).toBe('error: internal error: a thrown string');
    expect(io.stderr.join('\n')).not.toMatch(/Error:/);
  });

  it('reads the global flags before the command as after it, and says which flags can lead', async () => {
    const dir = tempDir('batchdesk-leading-');
    const db = join(dir, 'lead.sqlite');
    expect((await runCli(['--db', db, 'seed-demo'])).code).toBe(0);
    const before = await runCli(['--quiet', `--db=${db}`, 'verify', 'demo', '--json']);
    const after = await runCli(['verify', 'demo', '--json', '--db', db, '--quiet']);
    expect(before.code).toBe(after.code);
    expect(JSON.parse(before.stdout)).toEqual(JSON.parse(after.stdout));
    const flag = await runCli(['--start-date', '2025-07-01', 'run', '--db', db]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/"--start-date" cannot come before the command; only --db PATH, --quiet, --verbose and --color can/);
    const bare = await runCli(['--db']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/--db needs a value/);
  });

  it('writes ASCII only through the real bin, even for non-ASCII input', () => {
    for (const args of [['--help'], ['run', '--help'], ['run', '--db', '/nonexistent/\u00e9t\u00e9/db.sqlite'], ['seed-demo', '--profile', 'r\u00e9aliste', '--db', '/tmp/x.db']]) {
      const r = runCliProcess(args);
      for (const stream of [r.stdout, r.stderr]) {
        expect([...stream].every((c) => c.charCodeAt(0) < 0x80), `${args.join(' ')}: ${stream}`).toBe(true);
      }
    }
  });
});
