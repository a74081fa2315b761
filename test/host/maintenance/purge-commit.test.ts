/**
 * A purge's delete and the maintenance_log row saying it finished commit together (SPEC.md j.4):
 * a purge killed at any point has either deleted nothing, its row still open (the next taker of
 * the lock closes it as interrupted), or deleted the rows and recorded it as a success. What a
 * kill would leave is read by another connection at the step events the purge reports (a sink
 * is called synchronously, where the purge is), and a finish that fails leaves nothing deleted.
 */
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import type { TelemetrySink } from '../../../core/telemetry/record-metric';
import { openStore } from '../../../host/engine-host';
import { runPurge, type PurgeRequest } from '../../../host/maintenance/purge';
import { systemClock } from '../../../host/system-ports';
import { backfilledDemo, copyTo, execOn, SAFE_NOW } from '../../support/safeguards';

const clock = systemClock({ BATCHDESK_NOW: SAFE_NOW });
const PURGE: PurgeRequest = { start: null, end: null, portfolioIds: [], keepTracking: false, backup: false, dryRun: false, holder: 'cli' };

let demo = '';
beforeAll(async () => {
  demo = await backfilledDemo();
}, 180_000);

interface Seen {
  readonly step: string;
  readonly snapshots: number;
  readonly purgeStatus: string | null;
}

/** What another connection sees in the database file at `path`: the snapshots left and the status of the latest purge row. */
function seenFrom(path: string, step: string): Seen {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const snapshots = (db.prepare(`SELECT count(*) AS n FROM portfolio_snapshots`).get() as { n: number }).n;
    const row = db.prepare(`SELECT status FROM maintenance_log WHERE operation = 'purge' ORDER BY id DESC LIMIT 1`).get() as { status: string | null } | undefined;
    return { step, snapshots, purgeStatus: row?.status ?? null };
  } finally {
    db.close();
  }
}

/** A sink that reads the committed state of `path` at every purge step. */
function watcher(path: string, seen: Seen[]): TelemetrySink {
  return {
    name: 'committed-state',
    handle: (e: TelemetryEvent) => {
      if (e.event === 'metric' && e.payload.name === 'purge_step') seen.push(seenFrom(path, String(e.payload.tags['step'])));
    },
  };
}

async function purge(path: string, req: Partial<PurgeRequest> = {}) {
  const opened = openStore(path, { mustExist: true });
  try {
    return await runPurge(opened, { ...PURGE, ...req }, clock);
  } finally {
    opened.close();
  }
}

describe('a purge killed around its delete', () => {
  it('never leaves rows deleted with the purge recorded as unfinished', async () => {
    const path = copyTo(demo);
    const before = seenFrom(path, 'before').snapshots;
    expect(before).toBeGreaterThan(0);
    const seen: Seen[] = [];
    const r = await purge(path, { sinks: [watcher(path, seen)] });
    expect(r.countsAfter['portfolio_snapshots']).toBe(0);
    expect(seen.map((s) => s.step)).toEqual(['count', 'purge', 'record']);
    // Until the commit another process sees the rows and the open row; a kill there leaves that.
    for (const s of seen) expect(s).toEqual({ step: s.step, snapshots: before, purgeStatus: null });
    expect(seenFrom(path, 'after')).toEqual({ step: 'after', snapshots: 0, purgeStatus: 'success' });
  });

  it('a finish that cannot be recorded deletes nothing and is logged as failed', async () => {
    const path = copyTo(demo);
    const before = seenFrom(path, 'before').snapshots;
    execOn(path, (db) => db.exec(`CREATE TRIGGER refuse_purge_success BEFORE UPDATE ON maintenance_log WHEN NEW.status = 'success' BEGIN SELECT RAISE(ABORT, 'the finish cannot be recorded'); END`));
    await expect(purge(path)).rejects.toThrow('the finish cannot be recorded');
    expect(seenFrom(path, 'after')).toEqual({ step: 'after', snapshots: before, purgeStatus: 'failed' });
  });
});
