/**
 * `run --sql-echo` (SPEC.md k.2: "log every SQL statement at debug level"): each statement the
 * run's database connection executes is a debug-level `sql` metric (tags.sql: the statement)
 * recorded through recordMetric (h.1), so it reaches the run's sinks like any other event: a
 * JSON line with --log-json, a line of the --log-file, a readable `sql: ...` line on stderr.
 *
 * Inside the run, the run's telemetry records them (its run_id, its seq). Before the run has a
 * telemetry (opening and migrating the database, reading settings, planning, taking the lock;
 * a dry run or a run with nothing to do never has one) and after it has ended (releasing the
 * lock), a telemetry of their own records them with run_id null, as h.2 has for events outside
 * a run: no statement is left out.
 */
import type { TelemetryEvent } from '../../core/api/telemetry-events';
import type { Clock } from '../../core/ports/clock';
import { createTelemetry, type Telemetry, type TelemetrySink } from '../../core/telemetry/record-metric';

export const SQL_METRIC = 'sql';

export interface SqlEcho {
  /** The connection's `verbose` callback: one statement as it runs. */
  statement(sql: string): void;
  /** The run's telemetry once the run has one; null when it has ended. */
  bindRunTelemetry(telemetry: Telemetry | null): void;
}

export function sqlEcho(sinks: readonly TelemetrySink[], clock: Clock): SqlEcho {
  const outsideRun = createTelemetry({ clock, sinks });
  let run: Telemetry | null = null;
  return {
    statement(sql) {
      (run ?? outsideRun).metric(SQL_METRIC, null, { tags: { sql }, level: 'debug' });
    },
    bindRunTelemetry(telemetry) {
      run = telemetry;
    },
  };
}

/** The readable line of a `sql` event (`sql: SELECT ...`, on one line), or null for any other event. */
export function sqlEchoLine(e: TelemetryEvent): string | null {
  if (e.event !== 'metric' || e.payload.name !== SQL_METRIC) return null;
  return `sql: ${String(e.payload.tags['sql']).replace(/\s+/g, ' ').trim()}`;
}
