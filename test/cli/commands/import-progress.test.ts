/**
 * The progress line of a long import (cli/commands/import-progress.ts), with a manual clock:
 * nothing during the first 2 s, then at most one line a second, naming the table, the bytes
 * read of its size with the percentage, and the rows; rewritten in place on a terminal.
 * Expected lines are hand-computed from the events (1,048,576 bytes = 1.0 MB).
 */
import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import { importProgressSink } from '../../../cli/commands/import-progress';

function metric(bytes: number, total: number | null, rows: number): TelemetryEvent {
  return {
    event: 'metric',
    schema: 1,
    run_id: null,
    seq: 1,
    ts: '2025-07-03T23:00:00.000000Z',
    source: 'import',
    level: 'info',
    payload: { name: 'import_progress', value: bytes, unit: 'bytes', date: null, portfolio_id: null, tags: { table: 'market_data_cache', source_table: 'public.market_data_cache', total_bytes: total, rows } },
  };
}

describe('import progress on stderr', () => {
  it('is quiet at first, then prints at most a line a second', () => {
    let t = 1000;
    const lines: string[] = [];
    const sink = importProgressSink((l) => lines.push(l), () => {}, { tty: false, now: () => t });
    sink.handle(metric(2 ** 20, 4 * 2 ** 20, 5000));
    t += 1500;
    sink.handle(metric(2 * 2 ** 20, 4 * 2 ** 20, 10_000));
    expect(lines).toEqual([]);
    t += 600; // 2.1 s
    sink.handle(metric(3 * 2 ** 20, 4 * 2 ** 20, 15_000));
    t += 500;
    sink.handle(metric(3.5 * 2 ** 20, 4 * 2 ** 20, 17_500));
    t += 600;
    sink.handle(metric(4 * 2 ** 20, null, 20_000));
    expect(lines).toEqual(['import: market_data_cache 3.0 MB of 4.0 MB (75%), 15000 rows read, 2s', 'import: market_data_cache 4.0 MB, 20000 rows read, 3s']);
    sink.finish();
    expect(lines).toHaveLength(2);
  });

  it('rewrites one line on a terminal and ends it when the import finishes; ignores other events', () => {
    let t = 0;
    const raw: string[] = [];
    const sink = importProgressSink(() => {}, (s) => raw.push(s), { tty: true, now: () => t, afterMs: 0, everyMs: 0 });
    sink.handle({ ...metric(1, 2, 3), payload: { ...(metric(1, 2, 3).payload as object), name: 'other' } } as TelemetryEvent);
    t = 10;
    sink.handle(metric(2 ** 19, 2 ** 20, 7));
    sink.finish();
    expect(raw).toEqual(['\r\x1b[2Kimport: market_data_cache 0.5 MB of 1.0 MB (50%), 7 rows read, 0s', '\n']);
  });
});
