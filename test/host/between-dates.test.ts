/**
 * The engine host's pause between dates (host/engine-host.ts betweenDates): one turn of the
 * event loop (a Ctrl-C is handled at the next date), and at most every WRITE_WINDOW_EVERY_MS a
 * WRITE_WINDOW_MS pause with no transaction open, in which another process's short write (a
 * `batchdesk cancel`) gets SQLite's write lock; a backfill otherwise frees it only for
 * microseconds between dates, and a cross-process cancel waited seconds to be written.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { betweenDates, WRITE_WINDOW_EVERY_MS, WRITE_WINDOW_MS } from '../../host/engine-host';

afterEach(() => vi.restoreAllMocks());

describe('the pause between dates', () => {
  it('is a turn of the event loop, with a write window at most every WRITE_WINDOW_EVERY_MS', async () => {
    let t = 1_000;
    const pause = betweenDates(() => t);
    const timeout = vi.spyOn(globalThis, 'setTimeout');
    const immediate = vi.spyOn(globalThis, 'setImmediate');
    const windows = () => timeout.mock.calls.filter((c) => c[1] === WRITE_WINDOW_MS).length;

    // Dates 10 ms apart: one window per WRITE_WINDOW_EVERY_MS of run time.
    for (let i = 0; i < 100; i++) {
      t += 10;
      await pause();
    }
    expect(windows()).toBe(Math.floor((100 * 10) / WRITE_WINDOW_EVERY_MS));
    expect(immediate.mock.calls.length + windows()).toBe(100);
    // A date longer than the interval gets a window after it.
    t += WRITE_WINDOW_EVERY_MS + 1;
    await pause();
    expect(windows()).toBe(5);
  });
});
