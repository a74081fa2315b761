/**
 * The telemetry payload schemas (SPEC.md h.1, h.2) as recordMetric applies them: a phase's
 * free-form metrics must be a plain object; anything else is a bad payload, which throws in
 * strict mode (tests) and is counted and dropped otherwise, never delivered.
 */
import { describe, expect, it } from 'vitest';
import { payloadSchemas, type TelemetryEvent } from '../../../core/api/telemetry-events';
import { createTelemetry } from '../../../core/telemetry/record-metric';

const phaseResult = <M,>(metrics: M) => ({
  date: '2025-07-01',
  phase: 'marks',
  portfolio_id: 'p1',
  status: 'success',
  critical: true,
  duration_ms: 1.5,
  reason: null,
  error: null,
  metrics,
});

class Metrics {
  readonly a = 1;
}

describe('phase_result metrics', () => {
  it.each([
    ['an empty object', {}],
    ['an object of numbers, nulls and nested values', { a: 1, b: null, c: { d: [1, 2] }, 'with space': 'x' }],
    ['an object without a prototype', Object.assign(Object.create(null) as object, { a: 1 })],
  ])('accepts %s, unchanged', (_, metrics) => {
    const r = payloadSchemas.phase_result.safeParse(phaseResult(metrics));
    expect(r.success).toBe(true);
    expect(r.data?.metrics).toEqual(metrics);
  });

  it.each([
    ['null', null],
    ['an array', [1, 2]],
    ['a string', '{}'],
    ['a number', 3],
    ['a Map', new Map([['a', 1]])],
    ['a class instance', new Metrics()],
    ['a missing value', undefined],
  ])('refuses %s', (_, metrics) => {
    const r = payloadSchemas.phase_result.safeParse(phaseResult(metrics));
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('metrics');
  });
});

describe('recordMetric with a bad payload', () => {
  const clock = { now: () => Date.parse('2026-11-27T23:00:00Z') };

  it('throws in strict mode and delivers nothing', () => {
    const seen: TelemetryEvent[] = [];
    const t = createTelemetry({ clock, strict: true, sinks: [{ name: 'mem', handle: (e) => seen.push(e) }] });
    expect(() => t.recordMetric('phase_result', phaseResult([1]) as never)).toThrow(/invalid phase_result payload: .*metrics/s);
    expect(seen).toEqual([]);
  });

  it('otherwise counts and drops it, and numbers the good events without a gap', () => {
    const seen: TelemetryEvent[] = [];
    const t = createTelemetry({ clock, sinks: [{ name: 'mem', handle: (e) => seen.push(e) }] });
    t.recordMetric('phase_result', phaseResult({ rows: 3 }));
    t.recordMetric('phase_result', phaseResult('rows: 3') as never);
    t.recordMetric('phase_result', phaseResult({ rows: 4 }));
    expect(t.invalidPayloads).toBe(1);
    expect(seen.map((e) => [e.seq, (e.payload as { metrics: unknown }).metrics])).toEqual([
      [1, { rows: 3 }],
      [2, { rows: 4 }],
    ]);
  });
});
