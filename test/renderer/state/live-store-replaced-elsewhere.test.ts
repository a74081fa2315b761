/**
 * An open page while `batchdesk restore` runs from a terminal on its database: the page's own
 * look for the run of another process (every few seconds while the app runs no batch) is the
 * host's next command, on which it notices the replaced file; the page then drops the run it
 * followed and shows the restored file's grid, without a reload and without the user doing
 * anything. A real run on the demo database through the real host handlers, the real CLI restore.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { LiveStore, OTHER_RUN_IDLE_POLL_MS } from '../../../renderer/state/live-store';
import { SHORT_NOW } from '../../support/app/demo-fixture';
import { hostTransport, nodeTimer, testHostContext, until } from '../../support/app/host-context';
import { runCli } from '../../support/cli';
import { seedDemoDb } from '../../support/demo-db';
import { logText } from '../../../renderer/features/telemetry/log-words';

let ctx: ReturnType<typeof testHostContext>;
let client: EngineClient;
let page: LiveStore;
let runId: string;
let backupFile: string;

beforeAll(async () => {
  ctx = testHostContext(seedDemoDb(SHORT_NOW), SHORT_NOW);
  client = new EngineClient(hostTransport(ctx), nodeTimer);
  client.connect();
  await client.call('startRun', { startDate: '2025-06-30', endDate: '2025-07-02' });
  await ctx.runs.settled();
  backupFile = (await client.call('createBackup', {})).file;
  page = new LiveStore(client);
  page.start();
  await client.call('startRun', { startDate: '2025-07-03', endDate: '2025-07-08' });
  await ctx.runs.settled();
  await until(() => page.getSnapshot().phase === 'finished' && page.getSnapshot().latestRun?.id === page.getSnapshot().run?.runId, 10_000);
  runId = page.getSnapshot().run!.runId!;
}, 120_000);

afterAll(() => {
  page?.stop();
  client?.disconnect();
  ctx?.reader?.close();
});

describe('the live view after a restore from a terminal', () => {
  it('drops the run it followed and shows the restored grid within one look', async () => {
    const r = await runCli(['restore', backupFile, '--db', ctx.dbPath, '--yes', '--no-safety-backup'], { BATCHDESK_NOW: SHORT_NOW });
    expect(r.code, r.stderr).toBe(0);
    await until(() => page.getSnapshot().run === null && !page.getSnapshot().rows['2025-07-08'], OTHER_RUN_IDLE_POLL_MS + 5_000);
    const s = page.getSnapshot();
    expect(s.phase).toBe('idle');
    expect(s.result).toBeNull();
    expect(s.log.some((l) => l.origin.run_id === runId)).toBe(false);
    const replaced = s.log.filter((l) => logText(l.origin).startsWith('database_replaced'));
    expect(replaced).toHaveLength(1);
    expect(logText(replaced[0]!.origin)).toMatch(/other.process/);
    expect(Object.keys(s.rows).sort()).toEqual(['2025-06-30', '2025-07-01', '2025-07-02']);
    await until(() => page.getSnapshot().latestRun !== null && page.getSnapshot().latestRun!.id !== runId, 10_000);
  }, 30_000);
});
