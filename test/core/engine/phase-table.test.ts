/**
 * The phase table (SPEC.md c.1-c.4, m.2, Appendix C.1): the declarations pass the
 * reads/writes order rule, a declaration reading a later phase's output is rejected naming
 * the pair and resource, and the table in SPEC.md c.4 agrees with the code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dependentsOf, findOrderViolations, PHASE_TABLE, validatePhaseOrder } from '../../../core/engine/phase-table';
import { REPO_ROOT } from '../../support/cli';

describe('phase table', () => {
  it('declares the six phases in the fixed order and passes the order rule', () => {
    expect(PHASE_TABLE.map((p) => p.name)).toEqual(['market_data', 'fundamentals', 'marks', 'snapshots', 'sector_tags', 'analytics']);
    expect(() => validatePhaseOrder(PHASE_TABLE)).not.toThrow();
    expect(PHASE_TABLE.filter((p) => p.critical).map((p) => p.name)).toEqual(['market_data', 'marks', 'snapshots']);
  });

  it('rejects a phase that reads what a later phase writes, naming both and the resource', () => {
    const bad = PHASE_TABLE.map((p) => (p.name === 'marks' ? { ...p, reads: [...p.reads, 'portfolio_snapshots.analytics'] } : p));
    expect(findOrderViolations(bad)).toEqual([{ reader: 'marks', writer: 'analytics', resource: 'portfolio_snapshots.analytics' }]);
    expect(() => validatePhaseOrder(bad)).toThrow(/marks reads portfolio_snapshots.analytics, which the later phase analytics writes/);
  });

  it('compares resources, not tables: a column group is its own resource (m.2)', () => {
    const snapshots = PHASE_TABLE.find((p) => p.name === 'snapshots')!;
    expect(snapshots.reads).toContain('portfolio_snapshots');
    expect(snapshots.reads).not.toContain('portfolio_snapshots.analytics');
  });

  it('matches the documented phase table (docs/PHASES.md, from SPEC.md c.4)', () => {
    const spec = readFileSync(join(REPO_ROOT, 'docs/PHASES.md'), 'utf8');
    const rows = spec.split('\n').filter((l) => /^\| (market_data|fundamentals|marks|snapshots|sector_tags|analytics) \|/.test(l));
    expect(rows.length).toBe(6);
    for (const row of rows) {
      const [name, scope, critical, reads, writes] = row.split('|').slice(1, 6).map((c) => c.trim());
      const p = PHASE_TABLE.find((x) => x.name === name)!;
      expect(p.scope).toBe(scope!.startsWith('portfolio') ? 'portfolio' : 'date');
      expect(p.critical).toBe(critical === 'yes');
      expect([...p.reads].sort()).toEqual(reads!.split(',').map((s) => s.trim()).sort());
      expect([...p.writes].sort()).toEqual(writes!.split(',').map((s) => s.trim()).sort());
    }
  });

  it('knows which later phases depend on a phase (retry of dependents, g.3)', () => {
    expect(dependentsOf('marks')).toEqual(['snapshots', 'analytics']);
    expect(dependentsOf('snapshots')).toEqual(['analytics']);
    expect(dependentsOf('fundamentals')).toEqual(['sector_tags', 'analytics']);
  });
});
