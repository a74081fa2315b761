/**
 * After a restore or an import replaced the host's database, the host forgets the runs it kept
 * for the live view (the event ring and the latest run_start, h.7): they are not in the new file,
 * and a page opened or reloaded afterwards rebuilt the Live screen and the header from them
 * ("run completed: 19/19 dates" for a run History no longer lists). A run in progress keeps its
 * events; a merge, which keeps the file's runs, forgets nothing. The host then publishes
 * `database_replaced`, a discrete event, for the pages already open.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_REPLACED_METRIC, isDiscreteEvent, type TelemetryEvent } from '../../../core/api/telemetry-events';
import { openStore } from '../../../host/engine-host';
import { EventBus } from '../../../host/event-bus';
import { tempDir } from '../../support/cli';
import { dispatchOk, testHostContext } from '../../support/app/host-context';
import { COMMITTED } from '../../support/pg-fixtures';
import { dateResultEvent, metricEvent, runStartEvent } from '../../support/telemetry/event-builders';

const NOW = '2025-07-03T23:00:00Z';

/** A bus holding a finished run's events (run-1) and a maintenance step of no run. */
function publishRun(bus: EventBus): void {
  bus.publish(runStartEvent(1));
  bus.publish(dateResultEvent('2025-07-01', 'success', 2));
  bus.publish({ ...metricEvent('purge_step', 1, 1), run_id: null });
}

const recent = async (ctx: ReturnType<typeof testHostContext>) => (await dispatchOk(ctx, 'recentEvents', { limit: 5000 })) as { events: TelemetryEvent[]; runStart: TelemetryEvent | null };
const replacedEvents = (events: TelemetryEvent[]) => events.filter((e) => e.event === 'metric' && e.payload.name === DATABASE_REPLACED_METRIC);

describe('EventBus.forgetRuns', () => {
  it('drops the runs kept for the live view, keeps events of no run and the run in progress', () => {
    const bus = new EventBus();
    publishRun(bus);
    bus.forgetRuns();
    expect(bus.latestRunStart()).toBeNull();
    expect(bus.recent().map((e) => [e.run_id, e.seq])).toEqual([[null, 1]]);

    const running = new EventBus();
    publishRun(running);
    running.forgetRuns('run-1');
    expect(running.latestRunStart()?.run_id).toBe('run-1');
    expect(running.recent()).toHaveLength(3);
  });
});

describe('a restore or an import that replaces the database', () => {
  it('restoreBackup: a new page gets no run of the file the restore replaced, and open pages are told', async () => {
    const db = join(tempDir('db-replaced-'), 'portfolios.sqlite');
    openStore(db).close();
    const ctx = testHostContext(db, NOW);
    const backup = (await dispatchOk(ctx, 'createBackup', {})) as { file: string };
    publishRun(ctx.bus);
    expect((await recent(ctx)).runStart?.run_id).toBe('run-1');
    const seen: TelemetryEvent[] = [];
    ctx.bus.subscribe((e) => seen.push(e));

    await dispatchOk(ctx, 'restoreBackup', { file: backup.file });
    const after = await recent(ctx);
    expect(after.runStart).toBeNull();
    expect(after.events.filter((e) => e.run_id !== null)).toEqual([]);
    const [replaced] = replacedEvents(seen);
    expect(replaced).toMatchObject({ run_id: null, source: 'app', payload: { tags: { cause: 'restore' } } });
    expect(isDiscreteEvent(replaced!)).toBe(true);
    ctx.reader?.close();
  });

  it('importDump: replace forgets the runs, merge keeps them', async () => {
    const db = join(tempDir('db-replaced-'), 'portfolios.sqlite');
    const ctx = testHostContext(db, NOW);
    await dispatchOk(ctx, 'importDump', { path: join(COMMITTED, 'reference.dump') });
    const seen: TelemetryEvent[] = [];
    ctx.bus.subscribe((e) => seen.push(e));

    publishRun(ctx.bus);
    await dispatchOk(ctx, 'importDump', { path: join(COMMITTED, 'reference-inserts.sql'), mode: 'merge', onConflict: 'skip' });
    expect((await recent(ctx)).runStart?.run_id).toBe('run-1');
    expect(replacedEvents(seen)).toEqual([]);

    await dispatchOk(ctx, 'importDump', { path: join(COMMITTED, 'reference.dump'), mode: 'replace' });
    const after = await recent(ctx);
    expect(after.runStart).toBeNull();
    expect(after.events.filter((e) => e.run_id !== null)).toEqual([]);
    expect(replacedEvents(seen).map((e) => e.event === 'metric' && e.payload.tags['cause'])).toEqual(['import']);
    ctx.reader?.close();
  });
});
