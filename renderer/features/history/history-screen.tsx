/**
 * History: a calendar heatmap of date coverage from the first tracked date to the latest
 * settled date (SPEC.md f.3): each tracked date coloured by its status, a trading day without
 * a tracked run (a gap, or a day after the last processed one) marked as not run, weekends and
 * holidays, days before the first tracked date and days not settled yet each drawn and named
 * apart; one tab stop, arrow keys between days. Below it, the runs list with outcome, duration
 * and options. Refresh and the end of a run re-read both.
 */
import { useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import type { TrackingRow } from '../../../core/api/commands/view-commands';
import { useClient, useServices } from '../../app-context';
import { useNavigation } from '../../navigation';
import { cellClass } from '../../state/live-run';
import { DataTable, type Column } from '../../ui/data-table';
import { downloadText } from '../../ui/export-file';
import { fmtDuration, fmtInt, fmtTimestamp } from '../../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { runOptionsWords } from './run-options-words';

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
 * day of the calendar, PageUp/PageDown to the same day of the previous/next month (its last
 * day when the month is shorter). Null for any other key; the same day at an edge.
 */
export function heatmapMove(months: readonly Month[], from: string, key: string, ctrl: boolean): string | null {
  const { days, at } = dayPositions(months);
  const p = at.get(from);
  if (!p) return null;
  const row = months[p.month]!.weeks[p.week]!.filter((d): d is string => d !== null);
  const by = (n: number) => days[Math.max(0, Math.min(days.length - 1, p.index + n))]!;
  // Up and down keep the weekday: they stay put when no such day exists (the calendar's first or last week).
  const week = (n: number) => days[p.index + n] ?? from;
  const month = (n: number) => {
    const to = months[p.month + n];
    if (!to) return from;
    const length = to.weeks.flat().filter((d) => d !== null).length;
    return `${to.key}-${pad(Math.min(Number(from.slice(8)), length))}`;
  };
  const moves: Record<string, () => string> = {
    ArrowRight: () => by(1),
    ArrowLeft: () => by(-1),
    ArrowDown: () => week(7),
    ArrowUp: () => week(-7),
    Home: () => (ctrl ? days[0]! : row[0]!),
    End: () => (ctrl ? days[days.length - 1]! : row[row.length - 1]!),
    PageUp: () => month(-1),
    PageDown: () => month(1),
  };
  return moves[key]?.() ?? null;
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * A calendar day without a tracked date: a trading day not run (a gap between tracked dates,
 * or a day after the last one up to the latest settled date), a weekend or holiday, a day
 * before the first tracked date, a day not settled yet (after the latest settled date), or,
 * when the latest settled date could not be read, a day after the last tracked date.
 */
type OtherDay = 'notRun' | 'closed' | 'before' | 'unsettled' | 'unknown';

/** Each kind's class (its colour) and its name, for the day's aria-label and the legend. */
const OTHER_DAYS: Record<OtherDay, { readonly className: string; readonly label: string }> = {
  notRun: { className: 'c-gap', label: 'trading day not run' },
  closed: { className: 'c-none', label: 'weekend or holiday' },
  before: { className: 'c-before', label: 'before the first tracked date' },
  unsettled: { className: 'c-after', label: 'not settled yet' },
  unknown: { className: 'c-after', label: 'after the last tracked date' },
};

/**
 * The kind of the untracked day `d` on a calendar of tracked dates from `first`, ending at `end`
 * (the latest settled date `target`, or the last tracked date when later or when `target` is
 * unknown); `notRun` has the trading days not run as keys.
 */
function otherDay(d: string, notRun: ReadonlyMap<string, unknown>, first: string, end: string, target: string | null): OtherDay {
  if (notRun.has(d)) return 'notRun';
  if (d < first) return 'before';
  if (d > end) return target === null ? 'unknown' : 'unsettled';
  return 'closed';
}

/**
 * The calendar heatmap: one grid (WAI-ARIA grid pattern) of months, weeks and days with a
 * roving tabindex, so it is a single tab stop, from the first tracked date to the latest
 * settled date `target` (to the last tracked date while that is unknown). Arrow keys,
 * Home/End, Ctrl+Home/End and PageUp/PageDown move between days (see heatmapMove); Enter or
 * Space opens the day as a click does: a tracked date its reconciliation, a failed one the
 * Debug screen on that date (where its failures show), a day not run the Run screen from the
 * first day of its gap. `notRun` lists the trading days not run, ascending.
 */
function Heatmap({ rows, notRun, target }: { rows: readonly TrackingRow[]; notRun: readonly string[]; target: string | null }) {
  const { navigate } = useNavigation();
  const byDate = useMemo(() => new Map<string, TrackingRow>(rows.map((r) => [r.date, r])), [rows]);
  const gapStart = useMemo(() => gapStarts(rows.map((r) => r.date), notRun), [rows, notRun]);
  const first = rows[0]?.date ?? '';
  const last = rows[rows.length - 1]?.date ?? '';
  const end = target !== null && target > last ? target : last;
  const months = useMemo(() => (first === '' ? [] : calendarMonths(first, end)), [first, end]);
  const shown = useMemo(() => dayPositions(months).at, [months]);
  const [chosen, setChosen] = useState<string | null>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  // The one tab stop: the day last moved to or clicked, else the latest tracked date.
  const active = chosen !== null && shown.has(chosen) ? chosen : last;
  if (rows.length === 0) return <EmptyState title="No tracked dates yet">Run a backfill: each processed date appears here.</EmptyState>;
  const failed = (r: TrackingRow) => cellClass(r.status) === 'failed';
  const open = (d: string) => {
    const r = byDate.get(d);
    if (r) navigate(failed(r) ? 'debug' : 'reconciliation', { date: d });
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
  const legend: [string, string][] = [
    ['c-ok', 'success'],
    ['c-warning', 'partial or stale'],
    ['c-failed', 'failed'],
    ['c-skipped', 'cancelled'],
    ['c-gap', `${OTHER_DAYS.notRun.label} (never run, or purged), up to the latest settled date${target === null ? '' : ` (${target})`}`],
    ...(['closed', 'before', target === null ? 'unknown' : 'unsettled'] as const).map((k): [string, string] => [OTHER_DAYS[k].className, OTHER_DAYS[k].label]),
  ];
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
                    const kind = r ? null : otherDay(d, gapStart, first, end, target);
                    const common = { role: 'gridcell', tabIndex: d === active ? 0 : -1, 'data-date': d, onFocus: () => setChosen(d) } as const;
                    return r ? (
                      <span
                        key={d}
                        {...common}
                        className={`day c-${cellClass(r.status)} open`}
                        title={`${d}: ${r.status}, missing ${r.missingPriceCount}, jobs ${r.jobsCompleted}/${r.jobsExpected}. Click to ${failed(r) ? 'debug it' : 'reconcile it'}.`}
                        aria-label={`${d} ${r.status}`}
                        data-testid={`day-${d}`}
                        onClick={() => open(d)}
                      >
                        {Number(d.slice(8))}
                      </span>
                    ) : kind === 'notRun' ? (
                      <span
                        key={d}
                        {...common}
                        className={`day ${OTHER_DAYS.notRun.className} open`}
                        title={`${d}: a trading day with no tracked run (never run, or purged). Click to run from ${gapStart.get(d)}, the first day of this gap, to the latest settled date.`}
                        aria-label={`${d} ${OTHER_DAYS.notRun.label}`}
                        data-testid={`day-${d}`}
                        onClick={() => open(d)}
                      >
                        {Number(d.slice(8))}
                      </span>
                    ) : (
                      <span key={d} {...common} className={`day ${OTHER_DAYS[kind!].className}`} aria-label={`${d} ${OTHER_DAYS[kind!].label}`}>
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
      <p className="legend" data-testid="history-legend">
        {legend.map(([className, label]) => (
          <span key={label} className="legend-item">
            <span className={`day ${className}`} aria-hidden="true">
              1
            </span>{' '}
            {label}
          </span>
        ))}
        <span className="legend-item">
          Click a day (or move to it with the arrow keys and press Enter) to reconcile it, a failed day to debug it, or a day not run to run from there.
        </span>
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
  /** Counted in completedJobs too; null while the run runs. */
  partialDates: number | null;
  options: unknown;
}

/** A run's dates: ok (success), partial, failed, all planned; partial is '-' until the run's summary counts it. */
function datesText(r: RunRow): string {
  const ok = r.completedJobs === null ? null : r.completedJobs - (r.partialDates ?? 0);
  return `${fmtInt(ok)}/${r.partialDates === null ? '-' : fmtInt(r.partialDates)}/${fmtInt(r.failedJobs)}/${fmtInt(r.totalJobs)}`;
}

/** A run's options in words (run-options-words.ts), a resume naming its run by its batch run id when the runs read hold it. */
function optionsText(r: RunRow, batchRunIdOf: (runId: string) => string | null): string {
  return runOptionsWords(r.options, batchRunIdOf).join(', ') || '-';
}

/**
 * Each column as wide as its widest content (a batch run id, a timestamp) and its heading on one
 * line; together they fit a 1280 px window, where Options keeps the rest and wraps its words onto
 * more lines (its row grows) rather than cutting them. `batchRunIdOf` names the run a resume continues.
 */
function runColumns(batchRunIdOf: (runId: string) => string | null): Column<RunRow>[] {
  return [
    { key: 'id', header: 'Run', width: '14rem', render: (r) => <code>{r.batchRunId}</code> },
    { key: 'started', header: 'Started', width: '11rem', render: (r) => fmtTimestamp(r.startedAt) },
    { key: 'status', header: 'Outcome', width: '6.5rem', render: (r) => <span className={`pill st-${cellClass(r.status)}`}>{r.status ?? '-'}</span> },
    { key: 'dur', header: 'Duration', width: '5.25rem', align: 'right', render: (r) => fmtDuration(r.durationSeconds === null ? null : r.durationSeconds * 1000) },
    { key: 'mode', header: 'Mode', width: '4.5rem', render: (r) => r.mode ?? '-' },
    { key: 'by', header: 'By', width: '4rem', render: (r) => r.triggeredBy ?? '-' },
    { key: 'dates', header: 'Dates ok/partial/failed/all', width: '14.5rem', align: 'right', render: datesText },
    { key: 'opts', header: 'Options', width: 'minmax(9rem, 1fr)', render: (r) => optionsText(r, batchRunIdOf), title: (r) => optionsText(r, batchRunIdOf), wrap: true },
  ];
}

/**
 * The live store's latest run_result: a new value each time a run ends (and null from a run's
 * start), read with a selector so that the screen does not re-render on every live update.
 */
function useRunResult() {
  const { live } = useServices();
  return useSyncExternalStore(live.subscribe, () => live.getSnapshot().result);
}

export function HistoryScreen() {
  const client = useClient();
  const runEnd = useRunResult();
  const tracking = useAsync(() => client.call('getTracking', { limit: 20_000 }), [client, runEnd]);
  const runs = useAsync(() => client.call('listRuns', { limit: 200 }), [client, runEnd]);
  const dates = tracking.data?.dates;
  const runColumnsOf = useMemo(() => {
    const batchRunIds = new Map((runs.data?.runs ?? []).map((r) => [r.id, r.batchRunId]));
    return runColumns((id) => batchRunIds.get(id) ?? null);
  }, [runs.data]);
  const [selectedRun, setSelectedRun] = useState<RunRow | null>(null);
  const refresh = () => {
    tracking.reload();
    runs.reload();
  };
  // The gaps between tracked dates, then the days after the last one up to the latest settled date.
  const notRun = useMemo(() => (tracking.data ? [...tracking.data.untrackedTradingDays, ...tracking.data.tradingDaysAfterLast] : []), [tracking.data]);
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const r of dates ?? []) c[r.status] = (c[r.status] ?? 0) + 1;
    if (notRun.length > 0) c[notRun.length === 1 ? 'trading day not run' : 'trading days not run'] = notRun.length;
    return c;
  }, [dates, notRun]);
  return (
    <section aria-labelledby="history-title" data-testid="screen-history">
      <div className="screen-head">
        <h1 id="history-title" tabIndex={-1}>
          History
        </h1>
        <button type="button" onClick={refresh} data-testid="history-refresh">
          Refresh
        </button>
      </div>
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
          {tracking.data.latestSettledDate === null && tracking.data.dates.length > 0 ? (
            <p className="muted" data-testid="history-settled-error">
              The engine's clock lies outside its trading calendar, so the latest settled date is unknown and the calendar ends at the last tracked date.
            </p>
          ) : null}
          <Heatmap rows={tracking.data.dates} notRun={notRun} target={tracking.data.latestSettledDate} />
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
              <button type="button" onClick={() => downloadText('runs.json', JSON.stringify(runs.data?.runs, null, 2), 'application/json')}>
                Export JSON
              </button>
            </div>
            <DataTable label="Runs" rows={runs.data.runs} columns={runColumnsOf} rowKey={(r) => r.id} onActivate={setSelectedRun} selectedKey={selectedRun?.id ?? null} height={360} testId="runs-table" />
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
