/**
 * `run`'s human summary prints the run summary's warnings (h.5 `warnings`), as `--summary-json`
 * holds them: a re-run of an earlier date says which later snapshots it may make stale (g.4,
 * g.8). They were only in the JSON and the history.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { backfilledDemo, copyTo, ENV } from '../support/safeguards';

describe('run summary warnings in the human output', () => {
  it('a re-run of an earlier date warns of the later snapshots it may make stale, in the summary block', async () => {
    const db = copyTo(await backfilledDemo());
    const r = await runCli(['run', '--db', db, '--target-date', '2025-07-01'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const json = await runCli(['run', '--db', db, '--target-date', '2025-07-01', '--summary-json', '--quiet'], ENV);
    const warnings = (JSON.parse(json.stdout) as { warnings: string[] }).warnings;
    expect(warnings).toEqual([expect.stringMatching(/^re-running 2025-07-01 makes later snapshots of .+ stale if its marks or snapshot change, unless they are re-run too$/)]);
    const summaryBlock = r.stderr.slice(r.stderr.indexOf('Status: '));
    expect(summaryBlock.split('\n').filter((l) => l.startsWith('warning: '))).toEqual(warnings.map((w) => `warning: ${w}`));
  }, 300_000);
});
