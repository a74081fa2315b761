/**
 * The restoreBackup contract command reports its steps (SPEC.md j.3) as they start, as
 * `restore_step` metric events on the host's event bus (the way importDump reports
 * `import_progress`), so the app can show what a restore is doing: verifying the backup, the
 * safety backup, replacing the database, opening the restored file. Each event carries the
 * whole plan, so a view that missed one still knows which steps are done.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import { dispatch } from '../../../host/dispatcher';
import { openStore } from '../../../host/engine-host';
import { RESTORE_STEPS } from '../../../host/maintenance/restore';
import { exitedPid } from '../../support/child-processes';
import { tempDir } from '../../support/cli';
import { dispatchOk, testHostContext } from '../../support/app/host-context';

const NOW = '2025-07-03T23:00:00Z';

/** A new, migrated database with a backup of it, and a host context whose bus events are collected. */
async function withBackup() {
  const db = join(tempDir('restore-steps-'), 'portfolios.sqlite');
  openStore(db).close();
  const ctx = testHostContext(db, NOW, { reader: false });
  const backup = (await dispatchOk(ctx, 'createBackup', {})) as { file: string };
  const events: TelemetryEvent[] = [];
  ctx.bus.subscribe((e) => events.push(e));
  const steps = () => events.flatMap((e) => (e.event === 'metric' && e.payload.name === 'restore_step' ? [{ value: e.payload.value, source: e.source, tags: e.payload.tags }] : []));
  return { ctx, backup, steps };
}

describe('restoreBackup steps', () => {
  it('reports each step as it starts, in order, with the whole plan in words', async () => {
    const { ctx, backup, steps } = await withBackup();
    const out = await dispatchOk(ctx, 'restoreBackup', { file: backup.file });
    expect(out.safetyBackup).toMatch(/pre-restore/);
    const plan = [RESTORE_STEPS.verify, RESTORE_STEPS.safety_backup, RESTORE_STEPS.replace, RESTORE_STEPS.reopen];
    expect(steps()).toEqual([
      { value: 1, source: 'app', tags: { step: 'verify', steps: plan } },
      { value: 2, source: 'app', tags: { step: 'safety_backup', steps: plan } },
      { value: 3, source: 'app', tags: { step: 'replace', steps: plan } },
      { value: 4, source: 'app', tags: { step: 'reopen', steps: plan } },
    ]);
    expect(plan.every((words) => /^[A-Z][a-z]/.test(words))).toBe(true);
  });

  it("names the copies a killed restore had left, which it removed first (the app's message says them)", async () => {
    const { ctx, backup } = await withBackup();
    const leftover = join(ctx.dbPath, '..', `.portfolios.sqlite.restore-${exitedPid()}.tmp`);
    writeFileSync(leftover, Buffer.alloc(4096, 1));
    const out = await dispatchOk(ctx, 'restoreBackup', { file: backup.file });
    expect(out.removedLeftovers).toEqual([leftover]);
    expect(existsSync(leftover)).toBe(false);
    expect((await dispatchOk(ctx, 'restoreBackup', { file: backup.file })).removedLeftovers).toEqual([]);
  });

  it('without a safety backup the plan has no such step', async () => {
    const { ctx, backup, steps } = await withBackup();
    await dispatchOk(ctx, 'restoreBackup', { file: backup.file, safetyBackup: false });
    expect(steps().map((s) => [s.value, s.tags['step']])).toEqual([
      [1, 'verify'],
      [2, 'replace'],
      [3, 'reopen'],
    ]);
    expect(steps()[0]!.tags['steps']).toEqual([RESTORE_STEPS.verify, RESTORE_STEPS.replace, RESTORE_STEPS.reopen]);
  });

  it('a backup that fails its check stops at the first step', async () => {
    const { ctx, steps } = await withBackup();
    const bad = join(tempDir('restore-steps-'), 'portfolios.2025-07-03T230000Z.manual.sqlite');
    writeFileSync(bad, 'not a database');
    const r = await dispatch('restoreBackup', { file: bad }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'data' } });
    expect(steps().map((s) => s.tags['step'])).toEqual(['verify']);
  });
});
