/**
 * The single telemetry sink (SPEC.md h.1). recordMetric stamps the envelope (run id, sequence
 * number, UTC timestamp), validates the payload against its event schema and hands the event
 * to every registered sink. A sink that throws is disabled for the rest of the run and
 * counted; telemetry never breaks a run. A bad payload is a bug: it throws when `strict`.
 */
import {
  payloadSchemas,
  type EventLevel,
  type EventName,
  type EventPayload,
  type EventSource,
  type TelemetryEvent,
} from '../api/telemetry-events';
import { formatTimestamp } from '../domain/timestamp';
import type { Clock } from '../ports/clock';

export interface TelemetrySink {
  readonly name: string;
  handle(event: TelemetryEvent): void;
}

export interface Telemetry {
  recordMetric<E extends EventName>(event: E, payload: EventPayload<E>, meta?: { source?: EventSource; level?: EventLevel }): void;
  /** Convenience for `metric` events. */
  metric(name: string, value: number | null, fields?: { unit?: string; date?: string | null; portfolioId?: string | null; tags?: Record<string, unknown>; source?: EventSource; level?: EventLevel }): void;
  setRunId(runId: string | null): void;
  readonly disabledSinks: readonly string[];
  readonly invalidPayloads: number;
}

export interface TelemetryOptions {
  readonly clock: Clock;
  readonly sinks: readonly TelemetrySink[];
  /** Throw on an invalid payload (tests); otherwise log it through the sinks as an error metric. */
  readonly strict?: boolean;
  readonly runId?: string | null;
}

export function createTelemetry(options: TelemetryOptions): Telemetry {
  let runId = options.runId ?? null;
  let seq = 0;
  let invalid = 0;
  const disabled = new Set<string>();
  const deliver = (event: TelemetryEvent): void => {
    for (const sink of options.sinks) {
      if (disabled.has(sink.name)) continue;
      try {
        sink.handle(event);
      } catch {
        disabled.add(sink.name);
      }
    }
  };
  const telemetry: Telemetry = {
    recordMetric(event, payload, meta) {
      const parsed = payloadSchemas[event].safeParse(payload);
      if (!parsed.success) {
        invalid++;
        if (options.strict) throw new Error(`invalid ${event} payload: ${parsed.error.message}`);
        return;
      }
      seq += 1;
      deliver({
        event,
        schema: 1,
        run_id: runId,
        seq,
        ts: formatTimestamp(options.clock.now()),
        source: meta?.source ?? 'engine',
        level: meta?.level ?? 'info',
        payload: parsed.data,
      } as TelemetryEvent);
    },
    metric(name, value, fields = {}) {
      telemetry.recordMetric(
        'metric',
        { name, value, unit: fields.unit ?? null, date: fields.date ?? null, portfolio_id: fields.portfolioId ?? null, tags: fields.tags ?? {} },
        { source: fields.source ?? 'engine', level: fields.level ?? 'info' },
      );
    },
    setRunId(id) {
      runId = id;
      seq = 0;
    },
    get disabledSinks() {
      return [...disabled];
    },
    get invalidPayloads() {
      return invalid;
    },
  };
  return telemetry;
}
