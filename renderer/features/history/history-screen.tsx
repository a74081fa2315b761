/**
 * History: a calendar heatmap of date coverage (each tracked date coloured by its status, a
 * trading day without a tracked run marked as a gap, weekends and holidays blank; one tab
 * stop, arrow keys between days) and the runs list with outcome, duration and options.
 */
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TrackingRow } from '../../../core/api/commands/view-commands';
import { useClient } from '../../app-context';
import { useNavigation } from '../../navigation';
import { cellClass } from '../../state/live-run';
import { DataTable, type Column } from '../../ui/data-table';
import { downloadText } from '../../ui/export-file';
import { fmtDuration, fmtInt, fmtTimestamp } from '../../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { useAsync } from '../../ui/use-async';

interface Month {
  readonly key: string;
  readonly label: string;
  /** Weeks of the month, Monday first; null outside the month. */
  readonly weeks: (string | null)[][];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Months from the first to the last date, each as weeks of ISO dates (Monday-first). */
export function calendarMonths(first: string, last: string): Month[] {
  const months: Month[] = [];
  let y = Number(first.slice(0, 4));
  let m = Number(first.slice(5, 7));
  const endKey = last.slice(0, 7);
  for (;;) {
    const key = `${y}-${pad(m)}`;
    const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const firstDow = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7;
    const weeks: (string | null)[][] = [];
    let week: (string | null)[] = Array.from({ length: firstDow }, () => null);
    for (let d = 1; d <= days; d++) {
      week.push(`${key}-${pad(d)}`);
      if (week.length === 7) {
        weeks.push(week);
        week = [];
      }
    }
    if (week.length > 0) weeks.push([...week, ...Array.from({ length: 7 - week.length }, () => null)]);
    months.push({ key, label: new Date(Date.UTC(y, m - 1, 1)).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }), weeks });
    if (key >= endKey) break;
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return months;
}

/**
 * Each untracked trading day → the first day of its gap (the run of untracked days with no
 * tracked date between them): a backfill must start there, since each date needs the
 * previous day's snapshot. Both lists are ascending.
 */
export function gapStarts(tracked: readonly string[], untracked: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  let t = 0;
  let start = '';
  for (let i = 0; i < untracked.length; i++) {
    const d = untracked[i]!;
    let trackedBetween = i === 0;
    while (t < tracked.length && tracked[t]! < d) {
      if (i > 0 && tracked[t]! > untracked[i - 1]!) trackedBetween = true;
      t++;
    }
    if (trackedBetween) start = d;
    out.set(d, start);
  }
  return out;
}

/** Where each day of the calendar sits: its month and week, for the grid's keyboard moves. */
interface DayPosition {
  readonly index: number;
  readonly month: number;
  readonly week: number;
}

/** Every day of `months` in order (consecutive calendar days), with its position. */
function dayPositions(months: readonly Month[]): { days: string[]; at: Map<string, DayPosition> } {
  const days: string[] = [];
  const at = new Map<string, DayPosition>();
  months.forEach((mo, month) =>
    mo.weeks.forEach((w, week) => {
      for (const d of w) {
        if (!d) continue;
        at.set(d, { index: days.length, month, week });
        days.push(d);
      }
    }),
  );
  return { days, at };
}

/**
 * The day the grid's keyboard moves to from `from` (WAI-ARIA grid pattern): arrows by day and
 * by week, Home/End to the first/last day of the week row, Ctrl+Home/End to the first/last
 * day of the calendar. Null for any other key; the same day at an edge.
 */
export function heatmapMove(months: readonly Month[], from: string, key: string, ctrl: boolean): string | null {
  const { days, at } = dayPositions(months);
  const p = at.get(from);
  if (!p) return null;
  const row = months[p.month]!.weeks[p.week]!.filter((d): d is string => d !== null);
  const by = (n: number) => days[Math.max(0, Math.min(days.length - 1, p.index + n))]!;
  // Up and down keep the weekday: they stay put when no such day exists (the calendar's first or last week).
  const week = (n: number) => days[p.index + n] ?? from;
  const moves: Record<string, () => string> = {
    ArrowRight: () => by(1),
    ArrowLeft: () => by(-1),
    ArrowDown: () => week(7),
    ArrowUp: () => week(-7),
    Home: () => (ctrl ? days[0]! : row[0]!),
    End: () => (ctrl ? days[days.length - 1]! : row[row.length - 1]!),
  };
  return moves[key]?.() ?? null;
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * The calendar heatmap: one grid (WAI-ARIA grid pattern) of months, weeks and days with a
 * roving tabindex, so it is a single tab stop. Arrow keys, Home/End and Ctrl+Home/End move
 * between days (see heatmapMove); Enter or Space opens the day as a click does: a tracked
 * date its reconciliation, a day not run the Run screen from the first day of its gap.
 */
function Heatmap({ rows, untracked }: { rows: readonly TrackingRow[]; untracked: readonly string[] }) {
  const { navigate } = useNavigation();
  const byDate = useMemo(() => new Map<string, TrackingRow>(rows.map((r) => [r.date, r])), [rows]);
  const gapStart = useMemo(() => gapStarts(rows.map((r) => r.date), untracked), [rows, untracked]);
  const months = useMemo(() => (rows.length === 0 ? [] : calendarMonths(rows[0]!.date, rows[rows.length - 1]!.date)), [rows]);
  const shown = useMemo(() => dayPositions(months).at, [months]);
  const [chosen, setChosen] = useState<string | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  // The one tab stop: the day last moved to or clicked, else the latest tracked date.
  const active = chosen !== null && shown.has(chosen) ? chosen : (rows[rows.length - 1]?.date ?? '');
  if (rows.length === 0) return <EmptyState title="No tracked dates yet">Run a backfill: each processed date appears here.</EmptyState>;
  const open = (d: string) => {
    if (byDate.has(d)) navigate('reconciliation', { date: d });
    else if (gapStart.has(d)) navigate('run', { startDate: gapStart.get(d)! });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const from = (e.target as HTMLElement).dataset['date'];
    if (!from) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      open(from);
      return;
    }
    const to = heatmapMove(months, from, e.key, e.ctrlKey);
    if (to === null) return;
    e.preventDefault();
    setChosen(to);
    gridRef.current?.querySelector<HTMLElement>(`[data-date="${to}"]`)?.focus();
  };
  return (
    <div data-testid="history-heatmap">
      <div ref={gridRef} className="heatmap" role="grid" aria-label="Date coverage" onKeyDown={onKeyDown}>
        {months.map((mo) => (
          <div key={mo.key} className="month" role="rowgroup" aria-label={mo.label}>
            <div className="month-caption" aria-hidden="true">
              {mo.label}
            </div>
            <div className="month-grid">
              <div className="week" role="row">
                {WEEKDAYS.map((w) => (
                  <span key={w} className="dow" role="columnheader" aria-label={w}>
                    {w[0]}
                  </span>
                ))}
              </div>
              {mo.weeks.map((week, wi) => (
                <div key={wi} className="week" role="row">
                  {week.map((d, i) => {
                    if (!d) return <span key={`empty-${i}`} className="day empty" role="gridcell" />;
                    const r = byDate.get(d);
                    const gap = !r && gapStart.has(d);
                    const common = { role: 'gridcell', tabIndex: d === active ? 0 : -1, 'data-date': d, onFocus: () => setChosen(d) } as const;
                    return r ? (
                      <span
                        key={d}
                        {...common}
                        className={`day c-${cellClass(r.status)} open`}
                        title={`${d}: ${r.status}, missing ${r.missingPriceCount}, jobs ${r.jobsCompleted}/${r.jobsExpected}`}
                        aria-label={`${d} ${r.status}`}
                        data-testid={`day-${d}`}
                        onClick={() => open(d)}
                      >
                        {Number(d.slice(8))}
                      </span>
                    ) : gap ? (
                      <span
                        key={d}
                        {...common}
                        className="day c-gap open"
                        title={`${d}: a trading day with no tracked run (never run, or purged). Click to run from ${gapStart.get(d)}, the first day of this gap, to the latest.`}
                        aria-label={`${d} trading day not run`}
                        data-testid={`day-${d}`}
                        onClick={() => open(d)}
                      >
                        {Number(d.slice(8))}
                      </span>
                    ) : (
                      <span key={d} {...common} className="day c-none" aria-label={`${d} not tracked`}>
                        {Number(d.slice(8))}
                      </span>
                    );
                  })}
                </div>
              ))}
            </div>
          </div>
        ))}
      </div>
      <p className="legend">
        <span className="day c-ok">1</span> success <span className="day c-warning">1</span> partial or stale <span className="day c-failed">1</span> failed{' '}
        <span className="day c-skipped">1</span> cancelled <span className="day c-gap">1</span> trading day not run (never run, or purged) <span className="day c-none">1</span> weekend or
        holiday. Click a day (or move to it with the arrow keys and press Enter) to reconcile it, or a day not run to run from there.
      </p>
    </div>
  );
}

interface RunRow {
  id: string;
  batchRunId: string;
  status: string | null;
  mode: string | null;
  triggeredBy: string | null;
  startedAt: string;
  durationSeconds: number | null;
  totalJobs: number | null;
  completedJobs: number | null;
  failedJobs: number | null;
  options: unknown;
}

function optionsText(o: unknown): string {
  if (!o || typeof o !== 'object') return '-';
  const entries = Object.entries(o as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0) && v !== '');
  return entries.map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ') || 'defaults';
}

const RUN_COLUMNS: Column<RunRow>[] = [
  { key: 'id', header: 'Run', width: '15rem', render: (r) => <code>{r.batchRunId}</code> },
  { key: 'started', header: 'Started', width: '11rem', render: (r) => fmtTimestamp(r.startedAt) },
  { key: 'status', header: 'Outcome', width: '7rem', render: (r) => <span className={`pill st-${cellClass(r.status)}`}>{r.status ?? '-'}</span> },
  { key: 'dur', header: 'Duration', width: '6rem', align: 'right', render: (r) => fmtDuration(r.durationSeconds === null ? null : r.durationSeconds * 1000) },
  { key: 'mode', header: 'Mode', width: '5rem', render: (r) => r.mode ?? '-' },
  { key: 'by', header: 'By', width: '4rem', render: (r) => r.triggeredBy ?? '-' },
  { key: 'dates', header: 'Dates ok/failed/planned', width: '9rem', align: 'right', render: (r) => `${fmtInt(r.completedJobs)}/${fmtInt(r.failedJobs)}/${fmtInt(r.totalJobs)}` },
  { key: 'opts', header: 'Options', width: 'minmax(10rem, 1fr)', render: (r) => <span title={JSON.stringify(r.options)}>{optionsText(r.options)}</span> },
];

export function HistoryScreen() {
  const client = useClient();
  const tracking = useAsync(() => client.call('getTracking', { limit: 20_000 }), [client]);
  const runs = useAsync(() => client.call('listRuns', { limit: 200 }), [client]);
  const [selectedRun, setSelectedRun] = useState<RunRow | null>(null);
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const r of tracking.data?.dates ?? []) c[r.status] = (c[r.status] ?? 0) + 1;
    const gaps = tracking.data?.untrackedTradingDays.length ?? 0;
    if (gaps > 0) c[gaps === 1 ? 'trading day not run' : 'trading days not run'] = gaps;
    return c;
  }, [tracking.data]);
  return (
    <section aria-labelledby="history-title" data-testid="screen-history">
      <h1 id="history-title" tabIndex={-1}>
        History
      </h1>
      <h2>Date coverage</h2>
      {tracking.error ? <ErrorState error={tracking.error} onRetry={tracking.reload} /> : null}
      {tracking.loading && !tracking.data ? <LoadingState /> : null}
      {tracking.data ? (
        <>
          <p className="muted" data-testid="history-counts">
            {Object.entries(counts)
              .map(([k, v]) => `${v} ${k}`)
              .join(', ') || 'no dates'}
          </p>
          <Heatmap rows={tracking.data.dates} untracked={tracking.data.untrackedTradingDays} />
        </>
      ) : null}
      <h2>Runs</h2>
      {runs.error ? <ErrorState error={runs.error} onRetry={runs.reload} /> : null}
      {runs.data ? (
        runs.data.runs.length === 0 ? (
          <EmptyState title="No runs yet" />
        ) : (
          <>
            <div className="actions">
              <button type="button" onClick={runs.reload}>
                Refresh
              </button>
              <button type="button" onClick={() => downloadText('runs.json', JSON.stringify(runs.data?.runs, null, 2), 'application/json')}>
                Export JSON
              </button>
            </div>
            <DataTable label="Runs" rows={runs.data.runs} columns={RUN_COLUMNS} rowKey={(r) => r.id} onActivate={setSelectedRun} selectedKey={selectedRun?.id ?? null} height={Math.min(360, 30 * runs.data.runs.length + 4)} testId="runs-table" />
          </>
        )
      ) : null}
      {selectedRun ? (
        <section aria-label="Run options">
          <h3>{selectedRun.batchRunId}</h3>
          <pre className="json">{JSON.stringify(selectedRun.options, null, 2)}</pre>
        </section>
      ) : null}
    </section>
  );
}
