// @vitest-environment happy-dom
/**
 * The Live screen's event log shows metric events as sentences (SPEC.md h.7), names the
 * portfolio of a line once the portfolios are read, and its "Contains" filter matches the line
 * as shown: a word of the sentence, the portfolio's name. Lines the names do not change stay
 * the same objects, so the memoized rows do not render again.
 */
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import { filterLog, wordLines } from '../../../renderer/features/telemetry/event-log';
import { applyBatch, EMPTY_LIVE } from '../../../renderer/state/live-run';
import { fakeLayout } from '../../support/app/fake-layout';
import { renderLiveScreen } from '../../support/app/render-live-screen';
import { metricEvent, phaseResultEvent } from '../../support/telemetry/event-builders';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const PID = '1d8ddd95-6f2a-4c1e-9b3e-2f9d1c7a0b11';

const portfolio = { id: PID, name: 'Growth Fund', accountName: 'Growth', isActive: true, deleted: false, equityBalance: 1_000_000, initialEquity: 1_000_000, positions: 16, firstEntryDate: '2025-06-30', latestSnapshotDate: '2025-07-01' };

/** A metric event as its emitter sends it. */
function metric(seq: number, name: string, value: number | null, fields: { portfolio_id?: string; date?: string; tags: Record<string, unknown> }): TelemetryEvent {
  const e = metricEvent(name, value, seq);
  return { ...e, payload: { ...(e.payload as object), date: null, ...fields } } as TelemetryEvent;
}

const EVENTS: TelemetryEvent[] = [
  metric(1, 'guard_result', 0, { tags: { status: 'pass' } }),
  metric(2, 'stale_marked', 2, { portfolio_id: PID, tags: { from: '2025-07-02', to: '2025-07-03', after: '2025-07-01', target_date: '2025-07-03' } }),
  metric(3, 'cache_warmup', 42, { tags: { symbols: 3 } }),
];

const logLines = () => screen.getByRole('log').textContent ?? '';

describe('the event log in words', () => {
  it('shows metrics as sentences, names their portfolio, and finds a line by a word of it', async () => {
    fakeLayout();
    const { transport, live } = renderLiveScreen({ listPortfolios: () => ({ portfolios: [portfolio] }), listRuns: () => ({ runs: [] }) });
    transport.emit({ events: EVENTS, counts: {}, coalesced: 0 });
    await waitFor(() => expect(live.getSnapshot().logReceived).toBe(3));
    await waitFor(() => expect(logLines()).toContain('stale_marked: 2 later dates of 1d8ddd95 (Growth Fund) are now stale (2025-07-02 .. 2025-07-03)'));
    expect(logLines()).toContain('guard_result: the post-run guard passed: no findings');
    expect(logLines()).toContain('cache_warmup=42 symbols=3');
    // The store keeps the event; the log words it with the name.
    expect(live.getSnapshot().log[1]!.origin.event).toBe('metric');

    fireEvent.change(screen.getByTestId('log-search'), { target: { value: 'GROWTH fund' } });
    expect(logLines()).toContain('are now stale');
    expect(logLines()).not.toContain('post-run guard');
    fireEvent.change(screen.getByTestId('log-search'), { target: { value: 'post-run guard passed' } });
    expect(logLines()).toContain('the post-run guard passed');
    expect(logLines()).not.toContain('are now stale');
  });

  it('without the portfolio names, shows the short id and still finds the line by its words', async () => {
    fakeLayout();
    const { transport, live } = renderLiveScreen({ listRuns: () => ({ runs: [] }) });
    transport.emit({ events: EVENTS, counts: {}, coalesced: 0 });
    await waitFor(() => expect(live.getSnapshot().logReceived).toBe(3));
    fireEvent.change(screen.getByTestId('log-search'), { target: { value: 'now stale' } });
    await waitFor(() => expect(logLines()).toContain('stale_marked: 2 later dates of 1d8ddd95 are now stale'));
    expect(screen.getByTestId('event-log').textContent).toContain('1 of 3 lines');
  });
});

describe('wordLines', () => {
  const state = applyBatch(EMPTY_LIVE, { events: [...EVENTS, phaseResultEvent('2025-07-01', 'marks', PID, 'success', 4)], counts: {}, coalesced: 0 }, 0);
  const names = new Map([[PID, 'Growth Fund']]);

  it('words the lines about a portfolio with its name, and the filter matches them so', () => {
    const shown = wordLines(state.log, names, new WeakMap());
    expect(shown.map((l) => l.text)).toEqual([
      'guard_result: the post-run guard passed: no findings',
      'stale_marked: 2 later dates of 1d8ddd95 (Growth Fund) are now stale (2025-07-02 .. 2025-07-03): its marks or snapshots of 2025-07-01 changed; re-run them, or run with "retry failed phases only"',
      'cache_warmup=42 symbols=3',
      '2025-07-01 marks [1d8ddd95 (Growth Fund)] success 5ms',
    ]);
    const all = new Set(['metric', 'phase_result'] as const);
    expect(filterLog(shown, 'info', all, 'growth fund').map((l) => l.seq)).toEqual([2, 4]);
    expect(filterLog(wordLines(state.log, new Map(), new WeakMap()), 'info', all, 'growth fund')).toEqual([]);
  });

  it('words each entry once per names: a later batch keeps the lines already made', () => {
    const worded = new WeakMap();
    const first = wordLines(state.log, names, worded);
    const more = applyBatch(state, { events: [phaseResultEvent('2025-07-02', 'marks', PID, 'success', 5)], counts: {}, coalesced: 0 }, 0);
    const second = wordLines(more.log, names, worded);
    expect(second.slice(0, first.length)).toEqual(first);
    second.slice(0, first.length).forEach((l, i) => expect(l).toBe(first[i]));
    expect(second[first.length]!.text).toBe('2025-07-02 marks [1d8ddd95 (Growth Fund)] success 5ms');
  });
});
