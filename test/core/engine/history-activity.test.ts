/**
 * The history row's activity log (SPEC.md h.6): the info+ events, a metric only when it warns,
 * each as one line naming what it is. A metric's line names the metric (it read "metric null"
 * or "metric 2025-06-30", with no name) and carries its message when it has one.
 */
import { describe, expect, it } from 'vitest';
import { historyActivitySink, type ActivityLog } from '../../../core/engine/history-activity';
import { createTelemetry } from '../../../core/telemetry/record-metric';

describe('history activity log', () => {
  it('names each metric it keeps, with its date and message; leaves out info metrics and debug events', () => {
    const activity: ActivityLog = [];
    const t = createTelemetry({ clock: { now: () => Date.parse('2025-07-01T23:00:00Z') }, sinks: [historyActivitySink(activity)], strict: true, runId: 'r1' });
    t.metric('market_data_mode', null, { tags: { mode: 'offline', message: 'no network: running offline' }, level: 'warn' });
    t.metric('stale_marked', 3, { date: '2025-06-30', tags: { from: '2025-07-01', to: '2025-07-03' }, level: 'warn' });
    t.metric('chunk_result', 5, { tags: {} });
    t.metric('heartbeat', null, { level: 'debug' });
    t.recordMetric('phase_start', { date: '2025-07-01', phase: 'marks', scope: 'portfolio', portfolio_id: 'p1', portfolio_index: 0, portfolio_count: 1, chunk_index: 0 });
    expect(activity.map((a) => [a.level, a.message])).toEqual([
      ['warn', 'metric market_data_mode: no network: running offline'],
      ['warn', 'metric stale_marked 2025-06-30'],
      ['info', 'phase_start 2025-07-01 marks'],
    ]);
  });
});
