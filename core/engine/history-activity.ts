/**
 * The history row's activity log (SPEC.md h.6: the `info`+ messages of h.1): one line per
 * event, metrics only when they warn, at most 5,000 lines, kept in memory and written with the
 * run's history row.
 */
import type { TelemetryEvent } from '../api/telemetry-events';
import type { TelemetrySink } from '../telemetry/record-metric';

export type ActivityLog = { timestamp: string; message: string; level: string }[];

const MAX_LINES = 5000;

/** Collects the activity log into `activity`. */
export function historyActivitySink(activity: ActivityLog): TelemetrySink {
  return {
    name: 'history_activity_log',
    handle: (e) => {
      if (e.level === 'debug' || activity.length >= MAX_LINES) return;
      if (e.event === 'metric' && e.level === 'info') return;
      activity.push({ timestamp: e.ts, level: e.level, message: activityMessage(e) });
    },
  };
}

/** An event as one line of the activity log: its kind, date, phase and status; a metric by its name, with its message when it has one. */
function activityMessage(e: TelemetryEvent): string {
  const p = e.payload as Record<string, unknown>;
  const part = (v: unknown) => (v === null || v === undefined ? '' : ` ${String(v)}`);
  if (e.event === 'metric') {
    const tags = (p['tags'] ?? {}) as Record<string, unknown>;
    return `metric ${String(p['name'])}${part(p['date'])}${typeof tags['message'] === 'string' ? `: ${tags['message']}` : ''}`;
  }
  return `${e.event}${part(p['date'])}${part(p['phase'])}${part(p['status'])}`;
}
