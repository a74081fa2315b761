/**
 * One rule for a portfolio phase's aggregate (SPEC.md h.4, core/domain/phase.ts): the tracking
 * row the engine writes (DateTracker.withPortfolio) and the live grid the renderer shows
 * (renderer/state/live-run.ts) give the same status for the same portfolio entries.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import { DateTracker, type PhaseEntry } from '../../../core/engine/date-tracker';
import { aggregateStatus as liveAggregate } from '../../../renderer/state/live-run';

const D = '2025-07-01' as IsoDate;

function trackedStatus(entries: readonly PhaseEntry[]): string {
  let t = DateTracker.start(D, null, { runId: 'r', batchRunId: 'b', mode: 'normal' }, '2025-07-01T22:00:00Z');
  entries.forEach((e, i) => (t = t.withPortfolio(`p${i}`, { analytics: e }, {})));
  return (t.phaseStatusJson['analytics'] as { status: string }).status;
}

const entry = (status: string, reason: string | null = null): PhaseEntry => ({ status, duration_ms: 1, reason, error: null });
const cell = (e: PhaseEntry) => ({ status: e.status, reason: e.reason, error: e.error, durationMs: e.duration_ms, metrics: null });

describe('the aggregate of a portfolio phase', () => {
  const cases: [string, PhaseEntry[], string][] = [
    ['a success and a skip after an upstream failure', [entry('success'), entry('skipped', 'upstream_failed')], 'partial'],
    ['a success and a benign skip', [entry('success'), entry('skipped', 'no_positions')], 'success'],
    ['running and stale', [entry('running'), entry('stale')], 'stale'],
    ['a success and a failure', [entry('success'), entry('failed', 'exception')], 'partial'],
    ['all skipped upstream', [entry('skipped', 'upstream_failed'), entry('skipped', 'upstream_failed')], 'skipped'],
    ['a success and not applicable', [entry('success'), entry('not_applicable', 'no_positions')], 'success'],
  ];
  for (const [name, entries, expected] of cases) {
    it(`${name}: the tracking row and the live grid agree (${expected})`, () => {
      expect(trackedStatus(entries)).toBe(expected);
      expect(liveAggregate(entries.map(cell))).toBe(expected);
    });
  }
});
