/**
 * After a restore of a backup made before a run, the run is gone from the file: a page opened
 * afterwards (rebuilt from the host's ring, h.7) and a page that followed the run both stop
 * showing it (its progress, its log lines, the header's latest run), and show the grid of the
 * restored file. A real run on the demo database through the real host handlers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { LiveStore } from '../../../renderer/state/live-store';
import { SHORT_NOW } from '../../support/app/demo-fixture';
import { hostTransport, nodeTimer, testHostContext, until } from '../../support/app/host-context';
import { seedDemoDb } from '../../support/demo-db';
import { logText } from '../../../renderer/features/telemetry/log-words';

let ctx: ReturnType<typeof testHostContext>;
let client: EngineClient;
let followed: LiveStore;
let runId: string;

beforeAll(async () => {
  ctx = testHostContext(seedDemoDb(SHORT_NOW), SHORT_NOW);
  client = new EngineClient(hostTransport(ctx), nodeTimer);
  client.connect();
  // A backfill of the first dates, backed up, then the last dates: the run the restore undoes.
  await client.call('startRun', { startDate: '2025-06-30', endDate: '2025-07-02' });
  await ctx.runs.settled();
  const backup = await client.call('createBackup', {});
  followed = new LiveStore(client);
  followed.start();
  await client.call('startRun', { startDate: '2025-07-03', endDate: '2025-07-08' });
  await ctx.runs.settled();
  await until(() => followed.getSnapshot().phase === 'finished' && followed.getSnapshot().latestRun !== null);
  runId = followed.getSnapshot().run!.runId!;
  expect(Object.keys(followed.getSnapshot().rows)).toContain('2025-07-08');
  await client.call('restoreBackup', { file: backup.file, safetyBackup: false });
}, 120_000);

afterAll(() => {
  followed?.stop();
  client?.disconnect();
  ctx?.reader?.close();
});

describe('the live view after a restore', () => {
  it('a page opened afterwards shows no run the restored file does not have', async () => {
    const reloaded = new LiveStore(new EngineClient(hostTransport(ctx), nodeTimer));
    await reloaded.rebuild();
    const s = reloaded.getSnapshot();
    expect(s.run).toBeNull();
    expect(s.result).toBeNull();
    expect(s.datesDone).toBe(0);
    expect(Object.keys(s.rows).sort()).toEqual(['2025-06-30', '2025-07-01', '2025-07-02']);
  });

  it('the page that followed the run drops it, its log lines and the header run, and reads the restored grid', async () => {
    await until(() => followed.getSnapshot().run === null && followed.getSnapshot().latestRun !== null && !followed.getSnapshot().rows['2025-07-08'], 15_000);
    const s = followed.getSnapshot();
    expect(s.phase).toBe('idle');
    expect(s.result).toBeNull();
    expect(s.latestRun!.id).not.toBe(runId);
    expect(s.log.some((l) => l.origin.run_id === runId)).toBe(false);
    expect(s.log.some((l) => logText(l.origin).startsWith('database_replaced'))).toBe(true);
    expect(Object.keys(s.rows).sort()).toEqual(['2025-06-30', '2025-07-01', '2025-07-02']);
  });
});
