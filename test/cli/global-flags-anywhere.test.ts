/**
 * Global flags anywhere (SPEC.md k.1, the top-level help): --db, --quiet, --verbose and --color
 * between a command and its subcommand (`verify --db F views`) work as they do after it, and a
 * global flag's value is never taken for the subcommand.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli';

const NOW = '2025-07-10T23:00:00Z';

describe('global flags between a command and its subcommand', () => {
  const dir = tempDir();
  const db = join(dir, 'demo.db');
  beforeAll(async () => {
    expect((await runCli(['seed-demo', '--db', db], { BATCHDESK_NOW: NOW })).code).toBe(0);
    expect((await runCli(['run', '--db', db, '--target-date', '2025-07-07', '--quiet'], { BATCHDESK_NOW: NOW })).code).toBe(0);
  });

  const cases: [string, string, string[]][] = [
    ['diagnose', 'prices', ['--date', '2025-07-07']],
    ['verify', 'views', ['--date', '2025-07-07']],
    ['history', 'export-baseline', ['--start-date', '2025-07-07', '--end-date', '2025-07-07', '--out', join(dir, 'baseline.json')]],
  ];
  for (const [command, sub, flags] of cases) {
    it(`reads \`${command} --db F ${sub}\` as \`${command} ${sub} --db F\``, async () => {
      const after = await runCli([command, sub, ...flags, '--db', db], { BATCHDESK_NOW: NOW });
      expect(after.code, after.stderr).toBe(0);
      for (const between of [['--db', db], [`--db=${db}`], ['--quiet', '--db', db, '--color']]) {
        const r = await runCli([command, ...between, sub, ...flags], { BATCHDESK_NOW: NOW });
        expect(r, between.join(' ')).toEqual(after);
      }
    });
  }

  it('names the word after the global flags when the subcommand is unknown or missing', async () => {
    const typo = await runCli(['verify', '--db', db, 'viewz']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown subcommand "viewz" of `verify`; .*did you mean `verify views`\?/);
    const none = await runCli(['verify', '--db', db]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/`verify` needs a subcommand; one of: demo, guard, coverage, rowcounts, views/);
  });

  it('keeps a database file named like a subcommand as the --db value', async () => {
    const r = await runCli(['diagnose', '--db', join(dir, 'prices'), 'prices'], { BATCHDESK_NOW: NOW });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`database ${join(dir, 'prices')} does not exist`);
  });
});
