/**
 * SPEC.md h.7: after a reload the live view rebuilds from the in-memory ring and the tracking
 * table. A real backfill runs on the demo database through the real host handlers; its events
 * overflow a small ring (as a long backfill overflows the 5,000-event one), and a store rebuilt
 * from the ring and the tracking table must show what a store that followed the whole stream shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { LiveStore } from '../../../renderer/state/live-store';
import { injectPriceGaps, SHORT_NOW } from '../../support/app/demo-fixture';
import { hostTransport, nodeTimer, testHostContext } from '../../support/app/host-context';
import { seedDemoDb } from '../../support/demo-db';

const RING = 300;

let ctx: ReturnType<typeof testHostContext>;
let followed: LiveStore;

beforeAll(async () => {
  const dbPath = seedDemoDb(SHORT_NOW);
  // A two-day gap: fallbacks, then counted missing prices on some dates.
  injectPriceGaps(dbPath, [{ symbol: 'AAPL', dates: ['2025-07-08', '2025-07-09'] }]);
  ctx = testHostContext(dbPath, SHORT_NOW, { ringCapacity: RING });
  const client = new EngineClient(hostTransport(ctx), nodeTimer);
  client.connect();
  followed = new LiveStore(client);
  followed.start();
  await client.call('startRun', { startDate: '2025-06-30', endDate: '2025-07-15' });
  await ctx.runs.settled();
  client.disconnect(); // flushes the throttled telemetry
  await followed.refreshTracking();
}, 120_000);

afterAll(() => ctx?.reader?.close());

describe('rebuilding the live view after a reload', () => {
  it('the run overflowed the ring: its run_start and first dates left it', async () => {
    const { events, runStart } = await new EngineClient(hostTransport(ctx), nodeTimer).call('recentEvents', { limit: 5000 });
    expect(events).toHaveLength(RING);
    expect(events.some((e) => e.event === 'run_start')).toBe(false);
    expect(runStart).not.toBeNull();
    expect(events[0]!.seq).toBeGreaterThan(runStart!.seq + 1);
  });

  it('shows the same run, progress, running totals and grid as the store that followed the stream', async () => {
    const reloaded = new LiveStore(new EngineClient(hostTransport(ctx), nodeTimer));
    await reloaded.rebuild();
    const a = followed.getSnapshot();
    const b = reloaded.getSnapshot();
    expect(a.phase).toBe('finished');
    expect(a.datesDone).toBe(11); // 2025-06-30 .. 2025-07-15, trading days
    expect(a.counters.fallbacks + a.counters.missingPrices).toBeGreaterThan(0);
    expect(b.phase).toBe(a.phase);
    expect(b.run).toEqual(a.run);
    expect(b.result).toEqual(a.result);
    expect(b.datesDone).toBe(a.datesDone);
    expect({ ...b.counters, providerRequests: 0, retries: 0, circuitState: null }).toEqual({ ...a.counters, providerRequests: 0, retries: 0, circuitState: null });
    const grid = (s: typeof a) => Object.fromEntries(Object.values(s.rows).map((r) => [r.date, { status: r.status, complete: r.complete, cells: Object.fromEntries(Object.entries(r.cells).map(([k, c]) => [k, c.status])) }]));
    expect(grid(b)).toEqual(grid(a));
  });
});
