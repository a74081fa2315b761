/**
 * The dependency rules (ARCHITECTURE.md) run inside the test command: the real tree must have
 * no violation and no cycle, and the rules must catch core/ importing node:fs (a fixture tree).
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const rules = require('../../build/dependency-rules.cjs');
const repoRoot = resolve(import.meta.dirname, '../..');

async function cruiseIn(baseDir: string, dirs: string[]): Promise<ICruiseResult> {
  const result = await cruise(dirs, {
    ...rules.options,
    tsConfig: undefined,
    baseDir,
    validate: true,
    ruleSet: { forbidden: rules.forbidden },
    outputType: 'json',
  });
  const output = result.output;
  return (typeof output === 'string' ? JSON.parse(output) : output) as ICruiseResult;
}

function violations(r: ICruiseResult): string[] {
  return r.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
}

describe('dependency rules', () => {
  it('the product tree has no violations and no cycles', async () => {
    const dirs = ['core', 'db', 'market-data', 'cli', 'host', 'electron', 'renderer'].filter((d) =>
      require('node:fs').existsSync(resolve(repoRoot, d)),
    );
    const r = await cruiseIn(repoRoot, dirs);
    expect(violations(r)).toEqual([]);
    expect(r.summary.totalCruised).toBeGreaterThan(10);
  });

  it('rejects core importing node:fs', async () => {
    const r = await cruiseIn(resolve(repoRoot, 'test/fixtures/architecture/core-imports-fs'), ['core']);
    const names = r.summary.violations.map((v) => v.rule.name);
    expect(names).toContain('core-no-node-builtins');
    expect(violations(r).join('\n')).toMatch(/core\/reads-a-file\.ts -> (node:)?fs/);
  });

  it('rejects an import cycle', async () => {
    const r = await cruiseIn(resolve(repoRoot, 'test/fixtures/architecture/cycle'), ['core']);
    expect(r.summary.violations.map((v) => v.rule.name)).toContain('no-circular');
  });

  it('passes a pure core tree', async () => {
    const r = await cruiseIn(resolve(repoRoot, 'test/fixtures/architecture/clean'), ['core']);
    expect(violations(r)).toEqual([]);
    expect(r.summary.totalCruised).toBe(2);
  });
});
