/**
 * The purgeDerived contract command reports its steps (SPEC.md j.4) as they start, as
 * `purge_step` metric events on the host's event bus (the way restoreBackup reports
 * `restore_step`), so the app can show what a purge is doing: the verified backup, counting
 * the rows, deleting the derived rows, recording the purge. Each event carries the whole plan,
 * so a view that missed one still knows which steps are done.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import { dispatch } from '../../../host/dispatcher';
import { openStore } from '../../../host/engine-host';
import { PURGE_STEPS } from '../../../host/maintenance/purge';
import { tempDir } from '../../support/cli';
import { tableContents } from '../../support/db-content';
import { dispatchOk, testHostContext } from '../../support/app/host-context';
import { execOn } from '../../support/safeguards';

const NOW = '2025-07-03T23:00:00Z';

/** A new, migrated database, and a host context whose bus events are collected. */
function withDatabase() {
  const db = join(tempDir('purge-steps-'), 'portfolios.sqlite');
  openStore(db).close();
  const ctx = testHostContext(db, NOW, { reader: false });
  const events: TelemetryEvent[] = [];
  ctx.bus.subscribe((e) => events.push(e));
  const steps = () => events.flatMap((e) => (e.event === 'metric' && e.payload.name === 'purge_step' ? [{ value: e.payload.value, source: e.source, tags: e.payload.tags }] : []));
  return { db, ctx, steps };
}

describe('purgeDerived steps', () => {
  it('reports each step as it starts, in order, with the whole plan in words', async () => {
    const { ctx, steps } = withDatabase();
    const out = await dispatchOk(ctx, 'purgeDerived', {});
    expect(out.backupFile).toMatch(/pre-purge/);
    const plan = [PURGE_STEPS.backup, PURGE_STEPS.count, PURGE_STEPS.purge, PURGE_STEPS.record];
    expect(steps()).toEqual([
      { value: 1, source: 'app', tags: { step: 'backup', steps: plan } },
      { value: 2, source: 'app', tags: { step: 'count', steps: plan } },
      { value: 3, source: 'app', tags: { step: 'purge', steps: plan } },
      { value: 4, source: 'app', tags: { step: 'record', steps: plan } },
    ]);
    expect(plan.every((words) => /^[A-Z][a-z]/.test(words))).toBe(true);
  });

  it('without a backup the plan has no such step', async () => {
    const { ctx, steps } = withDatabase();
    await dispatchOk(ctx, 'purgeDerived', { backup: false });
    expect(steps().map((s) => [s.value, s.tags['step']])).toEqual([
      [1, 'count'],
      [2, 'purge'],
      [3, 'record'],
    ]);
    expect(steps()[0]!.tags['steps']).toEqual([PURGE_STEPS.count, PURGE_STEPS.purge, PURGE_STEPS.record]);
  });

  it('a backup that fails stops at the first step: nothing is purged', async () => {
    const { db, ctx, steps } = withDatabase();
    const file = join(dirname(db), 'not-a-folder');
    writeFileSync(file, 'x');
    execOn(db, (d) => d.prepare(`INSERT INTO settings (key, value) VALUES ('backup.dir', ?)`).run(JSON.stringify(join(file, 'backups'))));
    const r = await dispatch('purgeDerived', {}, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'io' } });
    expect(steps().map((s) => s.tags['step'])).toEqual(['backup']);
  });

  // The target date of NOW is 2025-07-03; 2025-06-28/29 is a weekend, 2025-07-04 a holiday.
  for (const [input, message] of [
    [{ from: '2025-06-28', to: '2025-06-29' }, 'Nothing to purge: no trading day from 2025-06-28 to 2025-06-29 (weekends and NYSE holidays are not processed, so no derived row is dated there); choose a range with a trading day. Nothing was changed.'],
    [{ from: '2025-07-07', to: '2025-07-08' }, '--from 2025-07-07: its close is not settled yet (the target date, the latest settled trading day, is 2025-07-03)'],
    [{ from: '2025-07-01', to: '2025-07-04' }, '--to 2025-07-04: its close is not settled yet (the target date, the latest settled trading day, is 2025-07-03)'],
  ] as const) {
    it(`a range with nothing to purge (${input.from} .. ${input.to}) is a usage error before any step: no backup, no log row`, async () => {
      const { db, ctx, steps } = withDatabase();
      const before = tableContents(db);
      const r = await dispatch('purgeDerived', input, ctx);
      expect(r).toEqual({ ok: false, error: { code: 'usage', message } });
      expect(steps()).toEqual([]);
      expect(tableContents(db)).toEqual(before);
      expect(existsSync(join(dirname(db), 'backups'))).toBe(false);
    });
  }

  it('a dry run reports no step: it changes nothing', async () => {
    const { ctx, steps } = withDatabase();
    await dispatchOk(ctx, 'purgeDerived', { dryRun: true });
    expect(steps()).toEqual([]);
  });
});
