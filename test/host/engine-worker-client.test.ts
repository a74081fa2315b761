/**
 * The engine worker as Electron main and `serve` use it: a real worker thread started through
 * the tsx bootstrap, commands over the port, telemetry relayed during a run in its own run
 * worker, views answering while the run keeps its thread busy, cancel then resume, graceful
 * stop; and the supervisor's crash handling with a scripted fake worker.
 */
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../core/api/telemetry-events';
import { recoverOrphanedLock } from '../../host/command-worker';
import { EngineWorkerClient, type EngineStatus, type WorkerLike } from '../../host/engine-worker-client';
import { SHORT_NOW } from '../support/app/demo-fixture';
import { seedDemoDb } from '../support/demo-db';

const BOOTSTRAP = new URL('../../host/engine-worker-bootstrap.mjs', import.meta.url);
// A longer range than SHORT_NOW so that views are asked while the run is still going.
const MID_NOW = '2025-08-15T23:00:00Z';

describe('engine worker (real thread)', () => {
  let client: EngineWorkerClient;
  let dbPath = '';
  const events: TelemetryEvent[] = [];
  const statuses: EngineStatus[] = [];
  const faults: string[] = [];

  beforeAll(async () => {
    process.env['BATCHDESK_NOW'] = MID_NOW;
    dbPath = seedDemoDb(MID_NOW);
    client = new EngineWorkerClient({ workerPath: BOOTSTRAP, options: { dbPath, holder: 'serve' }, onStatus: (s) => statuses.push(s), onFault: (m) => faults.push(m) });
    client.onEvent((e) => events.push(e));
    await client.start();
  });

  afterAll(async () => {
    await client.stop();
    delete process.env['BATCHDESK_NOW'];
  });

  it('answers commands with the contract result shape', async () => {
    const r = await client.call('listPortfolios', {});
    expect(r.ok).toBe(true);
    if (r.ok) expect((r.output as { portfolios: unknown[] }).portfolios).toHaveLength(5);
    const unknown = await client.call('noSuchCommand' as never, {});
    expect(unknown).toEqual({ ok: false, error: { code: 'not_found', message: 'unknown command "noSuchCommand"' } });
    const bad = await client.call('getTracking', { limit: -1 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('usage');
    expect(statuses[statuses.length - 1]).toMatchObject({ state: 'ready', restarts: 0 });
  });

  it('runs a backfill in a run worker, relays its events, and answers views while it runs', async () => {
    const started = await client.call('startRun', {});
    expect(started.ok).toBe(true);
    // The answer comes once the run has its id: the caller need not poll for it.
    const startedStatus = (started as { output: { status: { state: string; runId: string | null } } }).output.status;
    expect(startedStatus.runId).not.toBeNull();
    let answeredWhileRunning = 0;
    for (;;) {
      const st = await client.call('getRunStatus', {});
      const grid = await client.call('getTracking', { includeIncomplete: true });
      expect(grid.ok).toBe(true);
      const s = (st as { output: { state: string } }).output;
      if (s.state === 'running' && !events.some((e) => e.event === 'run_result')) answeredWhileRunning++;
      if (s.state !== 'running' && s.state !== 'cancelling') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(answeredWhileRunning).toBeGreaterThan(0);
    const kinds = new Set(events.map((e) => e.event));
    for (const k of ['run_start', 'phase_start', 'phase_result', 'date_result', 'run_result']) expect(kinds.has(k as TelemetryEvent['event'])).toBe(true);
    const status = await client.call('getRunStatus', {});
    expect(status.ok && (status.output as { runId: string | null }).runId).toBe(events.find((e) => e.event === 'run_start')!.run_id);
    const dates = events.filter((e) => e.event === 'date_result').length;
    expect(status.ok && (status.output as { datesDone: number }).datesDone).toBe(dates);
    expect(faults).toEqual([]);
  });

  it('cancels a run after its current portfolio-date and resumes it', async () => {
    // Re-run everything from the start date so the run is long enough to cancel.
    const before = events.length;
    const r = await client.call('startRun', { startDate: '2025-06-30', endDate: '2025-08-15' });
    expect(r.ok).toBe(true);
    let cancelled = false;
    let final: { state: string; exitCode: number | null; datesDone: number } | null = null;
    while (!final) {
      const st = (await client.call('getRunStatus', {})) as { ok: true; output: { state: string; exitCode: number | null; datesDone: number } };
      if (!cancelled && st.output.datesDone >= 3) {
        const c = await client.call('cancelRun', {});
        expect(c.ok && (c.output as { requested: boolean }).requested).toBe(true);
        cancelled = true;
      }
      if (st.output.state !== 'running' && st.output.state !== 'cancelling') final = st.output;
      else await new Promise((res) => setTimeout(res, 10));
    }
    expect(final.state).toBe('cancelled');
    expect(final.exitCode).toBe(130);
    const runResult = events.slice(before).find((e) => e.event === 'run_result');
    expect(runResult && runResult.event === 'run_result' && runResult.payload.cancelled).toBe(true);
    const resumed = await client.call('startRun', { resume: 'latest' });
    expect(resumed.ok).toBe(true);
    await waitIdle(client);
    const st = (await client.call('getRunStatus', {})) as { ok: true; output: { state: string; datesDone: number } };
    expect(['completed', 'partial']).toContain(st.output.state);
    expect(st.output.datesDone).toBeGreaterThan(0);
    const db = new Database(dbPath, { readonly: true });
    const rows = db.prepare(`SELECT status FROM batch_run_history ORDER BY started_at`).all() as { status: string }[];
    db.close();
    expect(rows.map((x) => x.status)).toContain('cancelled');
  });

  it('shuts down gracefully while a run is going: the run is cancelled, not interrupted', async () => {
    const path = seedDemoDb(MID_NOW);
    const c = new EngineWorkerClient({ workerPath: BOOTSTRAP, options: { dbPath: path, holder: 'serve' } });
    const seen: TelemetryEvent[] = [];
    c.onEvent((e) => seen.push(e));
    await c.start();
    await c.call('startRun', {});
    while (!seen.some((e) => e.event === 'date_result')) await new Promise((res) => setTimeout(res, 10));
    await c.stop();
    expect(c.currentStatus).toEqual({ state: 'stopped' });
    const after = await c.call('getRunStatus', {});
    expect(after.ok || after.error.code).toBe('cancelled');
    const db = new Database(path, { readonly: true });
    const run = db.prepare(`SELECT status FROM batch_run_history`).get() as { status: string };
    const lock = db.prepare(`SELECT count(*) AS n FROM run_lock`).get() as { n: number };
    db.close();
    expect(run.status).toBe('cancelled');
    expect(lock.n).toBe(0);
  });
});

async function waitIdle(client: EngineWorkerClient): Promise<void> {
  for (;;) {
    const st = (await client.call('getRunStatus', {})) as { ok: true; output: { state: string } };
    if (st.output.state !== 'running' && st.output.state !== 'cancelling') return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('orphaned lock recovery', () => {
  it('releases a lock left by a crashed engine worker of this process and marks its run interrupted', () => {
    const path = seedDemoDb(SHORT_NOW);
    const db = new Database(path);
    db.prepare(`INSERT INTO batch_run_history (id, batch_run_id, started_at, status, created_at, mode) VALUES ('r1', 'batch_x', '2025-07-15T23:00:00.000000Z', 'running', '2025-07-15T23:00:00.000000Z', 'normal')`).run();
    const lock = db.prepare(`INSERT INTO run_lock (id, kind, run_id, holder, host, pid, acquired_at, heartbeat_at) VALUES (1, 'run', 'r1', 'serve', ?, ?, 'x', 'x')`);
    lock.run(hostname(), process.pid);
    db.close();
    // Another process's lock is left alone.
    expect(recoverOrphanedLock({ dbPath: path }, Date.parse(SHORT_NOW), process.pid + 1)).toBeNull();
    expect(recoverOrphanedLock({ dbPath: path }, Date.parse(SHORT_NOW))).toBe('r1');
    const check = new Database(path, { readonly: true });
    expect(check.prepare(`SELECT count(*) AS n FROM run_lock`).get()).toEqual({ n: 0 });
    expect(check.prepare(`SELECT status FROM batch_run_history WHERE id = 'r1'`).get()).toEqual({ status: 'interrupted' });
    check.close();
  });
});

/** A scripted worker: answers calls, can crash on demand, and records what it was sent. */
class FakeWorker extends EventEmitter implements WorkerLike {
  readonly sent: unknown[] = [];
  constructor(private readonly behaviour: { crashOnCall?: boolean; garbage?: boolean }) {
    super();
    setImmediate(() => {
      if (behaviour.garbage) this.emit('message', { type: 'bogus' });
      this.emit('message', { type: 'ready', recoveredLock: null });
    });
  }
  postMessage(message: { type: string; id?: number }): void {
    this.sent.push(message);
    if (message.type === 'shutdown') {
      setImmediate(() => this.emit('exit', 0));
      return;
    }
    if (this.behaviour.crashOnCall) {
      setImmediate(() => this.emit('exit', 1));
      return;
    }
    setImmediate(() => this.emit('message', { type: 'result', id: message.id, result: { ok: true, output: { echo: message.id } } }));
  }
  async terminate(): Promise<number> {
    this.emit('exit', 1);
    return 1;
  }
}

describe('supervision (scripted worker)', () => {
  it('fails the command in flight, restarts the worker and serves again', async () => {
    const workers: FakeWorker[] = [];
    const statuses: string[] = [];
    const client = new EngineWorkerClient({
      workerPath: 'fake.js',
      options: { dbPath: '/x.db', holder: 'app' },
      restartDelayMs: 1,
      onStatus: (s) => statuses.push(s.state),
      createWorker: () => {
        const w = new FakeWorker({ crashOnCall: workers.length === 0 });
        workers.push(w);
        return w;
      },
    });
    await client.start();
    const crashed = await client.call('getRunStatus', {});
    expect(crashed.ok).toBe(false);
    if (!crashed.ok) expect(crashed.error).toMatchObject({ code: 'internal', message: expect.stringContaining('restarting') });
    const again = await client.call('getRunStatus', {});
    expect(again).toEqual({ ok: true, output: { echo: 2 } });
    expect(workers).toHaveLength(2);
    expect(statuses).toEqual(['starting', 'ready', 'crashed', 'starting', 'ready']);
    expect(client.currentStatus).toMatchObject({ state: 'ready', restarts: 1 });
    await client.stop();
    expect(workers[1]!.sent.at(-1)).toEqual({ type: 'shutdown' });
    expect(statuses.at(-1)).toBe('stopped');
  });

  it('stays down after too many crashes within the window and says why', async () => {
    const statuses: EngineStatus[] = [];
    const client = new EngineWorkerClient({
      workerPath: 'fake.js',
      options: { dbPath: '/x.db', holder: 'app' },
      restartDelayMs: 1,
      maxRestarts: 2,
      onStatus: (s) => statuses.push(s),
      createWorker: () => new FakeWorker({ crashOnCall: true }),
    });
    await client.start();
    for (let i = 0; i < 3; i++) expect((await client.call('getRunStatus', {})).ok).toBe(false);
    const last = await client.call('getRunStatus', {});
    expect(last.ok).toBe(false);
    if (!last.ok) expect(last.error.message).toMatch(/stays stopped/);
    expect(client.currentStatus.state).toBe('failed');
  });

  it('ignores malformed messages from the worker and reports them', async () => {
    const faults: string[] = [];
    const client = new EngineWorkerClient({ workerPath: 'fake.js', options: { dbPath: '/x.db', holder: 'app' }, onFault: (m) => faults.push(m), createWorker: () => new FakeWorker({ garbage: true }) });
    await client.start();
    expect(faults[0]).toMatch(/malformed message/);
    expect(await client.call('listRuns', {})).toEqual({ ok: true, output: { echo: 1 } });
    await client.stop();
  });
});
