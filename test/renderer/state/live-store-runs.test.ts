/**
 * The live store against the real host handlers on the demo database (runs in this process):
 *   - a run the engine refuses at start (another process holds the lock, SPEC.md g.9 and m.16;
 *     an online run on synthetic prices, a usage error) or has nothing to do reports no event,
 *     only a run status: the store says so, with the lock's holder;
 *   - a purge removes dates from the grid: a store that followed the run and re-reads the
 *     tracking table, and a store rebuilt after a reload, show no row for them (m.1);
 *   - a cancelled run's dates it did not run show as not run (g.10), the same in the store that
 *     followed the run and in one rebuilt after a reload.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HostContext } from '../../../host/handler-types';
import { dispatch } from '../../../host/dispatcher';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { errorText } from '../../../renderer/engine-client/engine-error';
import { gridView, type LiveState } from '../../../renderer/state/live-run';
import { LiveStore } from '../../../renderer/state/live-store';
import { planSchema } from '../../../renderer/state/run-plan';
import { REPO_ROOT } from '../../support/cli';
import { SHORT_NOW } from '../../support/app/demo-fixture';
import { hostTransport, nodeTimer, testHostContext } from '../../support/app/host-context';
import { seedDemoDb } from '../../support/demo-db';

const RANGE = { startDate: '2025-06-30', endDate: '2025-07-15' };

/** A store on its own client, following the telemetry as the app does. */
function followingStore(ctx: HostContext): { store: LiveStore; client: EngineClient } {
  const client = new EngineClient(hostTransport(ctx), nodeTimer);
  client.connect();
  const store = new LiveStore(client);
  store.start();
  return { store, client };
}

/** A store rebuilt as after a page reload. */
async function reloadedStore(ctx: HostContext): Promise<LiveStore> {
  const store = new LiveStore(new EngineClient(hostTransport(ctx), nodeTimer));
  await store.rebuild();
  return store;
}

/** The grid as the Live screen shows it: each date's status and its phase statuses. */
function grid(s: LiveState) {
  const { dates, rows } = gridView(s);
  return dates.map((d) => ({ date: d, status: rows[d]?.status ?? 'pending', cells: Object.fromEntries(Object.entries(rows[d]?.cells ?? {}).map(([k, c]) => [k, c.status])) }));
}

async function plannedDates(client: EngineClient, options: Record<string, unknown>): Promise<string[]> {
  return planSchema.parse((await client.call('planRun', options)).plan).dates.map((d) => d.date);
}

describe('a run that does not start', () => {
  let ctx: ReturnType<typeof testHostContext>;
  let holder: ChildProcess | null = null;
  const releaseLock = async () => {
    if (!holder || holder.exitCode !== null || holder.signalCode !== null) return;
    const exited = new Promise((r) => holder!.once('exit', r));
    holder.kill('SIGKILL');
    await exited;
  };

  beforeAll(() => {
    ctx = testHostContext(seedDemoDb(SHORT_NOW), SHORT_NOW);
  });
  afterAll(async () => {
    await releaseLock();
    ctx?.reader?.close();
  });

  it('is refused while another process holds the lock, and the refusal names the holder', async () => {
    holder = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/support/hold-lock.ts'), ctx.dbPath], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    expect(await new Promise<string>((resolve) => holder!.stdout!.once('data', (d: Buffer) => resolve(d.toString())))).toMatch(/^locked \d+/);
    const { store, client } = followingStore(ctx);
    expect(await store.startRun(RANGE, await plannedDates(client, RANGE))).toBe(false);
    const s = store.getSnapshot();
    expect(s.start).toMatchObject({ state: 'refused', exitCode: 3, lockHolder: { holder: 'cli', pid: holder.pid, runId: 'held-by-test' } });
    if (s.start?.state !== 'refused') throw new Error('not refused');
    expect(s.start.error.code).toBe('locked');
    expect(errorText(s.start.error)).toContain(`cli pid ${holder.pid}`);
    // The refused run's dates are not left pending in the grid.
    expect(s.plannedDates).toEqual([]);
    expect(s.phase).toBe('idle');
    await releaseLock();
    client.disconnect();
  });

  it('is refused for bad options found at start (exit code 2), with the form words of the message', async () => {
    const { store, client } = followingStore(ctx);
    expect(await store.startRun({ targetDate: '2025-07-15', marketData: 'online' })).toBe(false);
    const s = store.getSnapshot();
    expect(s.start).toMatchObject({ state: 'refused', exitCode: 2, lockHolder: null });
    if (s.start?.state !== 'refused') throw new Error('not refused');
    expect(s.start.error.code).toBe('usage');
    expect(errorText(s.start.error, { marketData: 'provider' })).toMatch(/^This database holds synthetic prices; .*Use provider synthetic/);
    client.disconnect();
  });
});

describe('purged dates and a cancelled run', () => {
  let ctx: ReturnType<typeof testHostContext>;
  let followed: LiveStore;
  let client: EngineClient;

  beforeAll(async () => {
    ctx = testHostContext(seedDemoDb(SHORT_NOW), SHORT_NOW);
    ({ store: followed, client } = followingStore(ctx));
  }, 120_000);
  afterAll(() => {
    client?.disconnect();
    ctx?.reader?.close();
  });

  it('a started run clears the start and leaves its planned dates pending until they run', async () => {
    const planned = await plannedDates(client, RANGE);
    expect(planned).toHaveLength(11);
    expect(await followed.startRun(RANGE, planned)).toBe(true);
    expect(followed.getSnapshot().start).toBeNull();
    expect(followed.getSnapshot().plannedDates).toEqual(planned);
    await ctx.runs.settled();
    await vi.waitFor(() => expect(followed.getSnapshot().result?.status).toBe('completed'), { timeout: 10_000 });
    await vi.waitFor(() => expect(Object.values(followed.getSnapshot().rows).every((r) => !r.live)).toBe(true), { timeout: 10_000 });
    expect(followed.getSnapshot().plannedDates).toEqual([]);
    expect(grid(followed.getSnapshot()).map((r) => r.date)).toEqual(planned);
  });

  it('says when the engine finds nothing to run', async () => {
    const { store, client: other } = followingStore(ctx);
    expect(await store.startRun({})).toBe(false);
    expect(store.getSnapshot().start).toMatchObject({ state: 'nothing_to_run', message: expect.stringMatching(/nothing to run|up to date/i) });
    other.disconnect();
  });

  it('purged dates leave the grid, in the store that re-reads tracking and in a rebuilt one', async () => {
    await dispatch('purgeDerived', { from: '2025-07-10', to: '2025-07-15', backup: false }, ctx);
    await followed.refreshTracking();
    const purged = ['2025-07-10', '2025-07-11', '2025-07-14', '2025-07-15'];
    const shown = grid(followed.getSnapshot());
    expect(shown.map((r) => r.date)).toEqual(['2025-06-30', '2025-07-01', '2025-07-02', '2025-07-03', '2025-07-07', '2025-07-08', '2025-07-09']);
    const reloaded = await reloadedStore(ctx);
    expect(grid(reloaded.getSnapshot())).toEqual(shown);
    for (const d of purged) expect(reloaded.getSnapshot().rows[d]).toBeUndefined();
  });

  it("a cancelled run's dates it did not run show as not run, before and after a reload", async () => {
    const options = { startDate: '2025-07-10', endDate: '2025-07-15' };
    const planned = await plannedDates(client, options);
    expect(planned).toEqual(['2025-07-10', '2025-07-11', '2025-07-14', '2025-07-15']);
    // Cancel once the first date is done: the run stops before the next one.
    const off = ctx.bus.subscribe((e) => {
      if (e.event === 'date_result') ctx.runs.cancel(false);
    });
    expect(await followed.startRun(options, planned)).toBe(true);
    await ctx.runs.settled();
    off();
    await vi.waitFor(() => expect(followed.getSnapshot().notRunDates.length).toBeGreaterThan(0), { timeout: 10_000 });
    const s = followed.getSnapshot();
    expect(s.result?.cancelled).toBe(true);
    expect(s.plannedDates).toEqual([]);
    const shown = grid(s).filter((r) => planned.includes(r.date));
    expect(shown[0]).toMatchObject({ date: '2025-07-10', status: expect.stringMatching(/^(success|partial)$/) });
    for (const r of shown.slice(1)) expect(r).toEqual({ date: r.date, status: 'cancelled', cells: {} });
    const reloaded = await reloadedStore(ctx);
    expect(grid(reloaded.getSnapshot())).toEqual(grid(s));
  });
});
