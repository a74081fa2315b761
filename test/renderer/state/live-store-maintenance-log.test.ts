/**
 * The live view of a finished run while the Data screen purges and restores: the run's "in all"
 * duration stays its own (run_start to run_result), however long after it the purge and the
 * restore run, and the event log keeps each of their step lines once, under its own key (each
 * operation numbers its events from 1, with no run id). A real run on the demo database, a real
 * purge and restore through the real host handlers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { elapsedOf, type LiveState, type LogEntry } from '../../../renderer/state/live-run';
import { LiveStore } from '../../../renderer/state/live-store';
import { SHORT_NOW } from '../../support/app/demo-fixture';
import { hostTransport, nodeTimer, testHostContext, until } from '../../support/app/host-context';
import { seedDemoDb } from '../../support/demo-db';

let ctx: ReturnType<typeof testHostContext>;
let client: EngineClient;
let page: LiveStore;
let runId: string;
/** The run's own duration: its run_result's timestamp less its run_start's. */
let ownMs: number;

/** A line's metric name (its event for another event). */
const nameOf = (l: LogEntry): string => (l.origin.event === 'metric' ? l.origin.payload.name : l.event);

/** The names of the lines of no run (the maintenance operations'), in order. */
const maintenanceLines = (s: LiveState): string[] => s.log.filter((l) => l.origin.run_id === null).map(nameOf);

/** What the log keyed a line by before: its run id, number and event, alike for two operations' first steps. */
const eventKey = (l: LogEntry): string => `${l.origin.run_id ?? '-'}:${l.seq}:${l.event}`;

beforeAll(async () => {
  ctx = testHostContext(seedDemoDb(SHORT_NOW), SHORT_NOW);
  client = new EngineClient(hostTransport(ctx), nodeTimer);
  client.connect();
  page = new LiveStore(client);
  page.start();
  await client.call('startRun', { startDate: '2025-06-30', endDate: '2025-07-02' });
  await ctx.runs.settled();
  await until(() => page.getSnapshot().phase === 'finished');
  const s = page.getSnapshot();
  runId = s.run!.runId!;
  const ts = (event: string) => Date.parse(s.log.find((l) => l.origin.run_id === runId && l.event === event)!.ts);
  ownMs = ts('run_result') - ts('run_start');
  expect(elapsedOf(s)).toBe(ownMs);
}, 120_000);

afterAll(() => {
  page?.stop();
  client?.disconnect();
  ctx?.reader?.close();
});

describe('the live view of a finished run around a purge and a restore', () => {
  it("keeps the run's own duration after a purge, and each maintenance line under its own key after the restore", async () => {
    const purge = await client.call('purgeDerived', { from: '2025-07-01', to: '2025-07-02' });
    expect(purge.backupFile).not.toBeNull();
    // The UI throttle may coalesce steps that follow each other closely: the last one always comes.
    await until(() => page.getSnapshot().log.some((l) => nameOf(l) === 'purge_step' && l.seq === 4));
    const s = page.getSnapshot();
    // The purge's steps came after the run_result, on the same clock.
    expect(Date.parse(s.log.at(-1)!.ts)).toBeGreaterThan(Date.parse(s.run!.startedAt) + ownMs);
    expect(s.run!.runId).toBe(runId);
    expect(elapsedOf(s)).toBe(ownMs);

    await client.call('restoreBackup', { file: purge.backupFile!, safetyBackup: false });
    await until(() => maintenanceLines(page.getSnapshot()).includes('database_replaced'));
    const after = page.getSnapshot();
    const lines = maintenanceLines(after);
    expect(lines[0]).toBe('purge_step');
    expect(lines.at(-2)).toBe('restore_step');
    expect(lines.at(-1)).toBe('database_replaced');
    // The purge, the restore and the database_replaced metric each number their events from 1, so
    // lines can be alike in run id, number and event (how many the throttle leaves depends on the
    // timing); no event came twice (each its own name and time).
    expect(new Set(after.log.map((l) => `${eventKey(l)}:${nameOf(l)}:${l.ts}`)).size).toBe(after.log.length);
    // No two lines share a key: the list draws one row per key.
    expect(new Set(after.log.map((l) => l.key)).size).toBe(after.log.length);
  }, 60_000);
});
