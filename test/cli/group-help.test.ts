/**
 * A command group's help (k.1: every command has --help): `batchdesk prices --help` lists the
 * group's subcommands with their summaries and exits 0, as `batchdesk --help` lists commands;
 * without --help a missing or unknown subcommand stays a usage error naming the choices.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';

describe('command group help', () => {
  it('lists the subcommands of prices and verify, and exits 0', async () => {
    const prices = await runCli(['prices', '--help']);
    expect(prices.code).toBe(0);
    expect(prices.stdout).toContain('Usage: batchdesk prices <import|export> [flags]');
    expect(prices.stdout).toMatch(/^ {2}prices import +import closes from a CSV file/m);
    expect(prices.stdout).toMatch(/^ {2}prices export +/m);
    expect(prices.stdout).toContain('Run `batchdesk prices <command> --help` for the flags of a command.');
    const verify = await runCli(['verify', '-h']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('Usage: batchdesk verify <demo|guard|coverage|rowcounts|views> [flags]');
  });

  it('a missing or unknown subcommand without --help is still a usage error', async () => {
    const missing = await runCli(['prices']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('`prices` needs a subcommand; one of: import, export');
    const unknown = await runCli(['prices', 'bogus', '--help']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown subcommand "bogus" of `prices`');
  });
});
