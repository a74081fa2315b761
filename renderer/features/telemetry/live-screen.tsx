/**
 * Live: the running batch phase by phase. Progress with ETA and counters, the date x phase
 * grid coloured by status (with a symbol per status, named by the legend above it), a drill-down for any cell (Escape or Close returns to the cell),
 * and the event log. A run this window started that did not start says why here too. With
 * no run in this session, the grid is the database's tracked dates, under the last run's
 * outcome from the history. A monitor-only (debug) run's dates stay out of the grid: only its
 * current date shows, marked as not published. While this app's engine is idle, a run another
 * process is doing on the file shows with its progress (OtherProcessRunPanel), and the grid
 * follows its dates (the live store reads them again as it commits them).
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useClient, useLive, useServices } from '../../app-context';
import { errorText } from '../../engine-client/engine-error';
import { useNavigation } from '../../navigation';
import { gridView, isMonitorRun } from '../../state/live-run';
import { useAsync } from '../../ui/use-async';
import { CancelNote, StartOutcome } from '../run/start-outcome';
import { CellDetail } from './cell-detail';
import { CurrentDate } from './current-date';
import { EventLog } from './event-log';
import { OtherProcessRunPanel } from './other-process-run';
import { GridLegend, PhaseGrid, type CellRef, type PhaseGridHandle } from './phase-grid';
import { RunProgress } from './run-progress';

const NO_PORTFOLIOS: readonly { readonly id: string; readonly name: string }[] = [];

export function LiveScreen() {
  const client = useClient();
  const { live: store } = useServices();
  const live = useLive();
  const { navigate } = useNavigation();
  const [selected, setSelected] = useState<CellRef | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const grid = useRef<PhaseGridHandle>(null);
  const portfolios = useAsync(() => client.call('listPortfolios', {}), [client]);
  const { dates, rows } = useMemo(() => gridView(live), [live]);
  const monitor = isMonitorRun(live.run);
  // The date being processed, else the last date the live run touched.
  const runRows = monitor ? live.monitorRows : rows;
  const currentDate = live.current?.date ?? (live.run ? Object.keys(runRows).sort().reverse().find((d) => runRows[d]?.live) : undefined);
  const currentRow = currentDate ? runRows[currentDate] : undefined;
  // Opened with no run going: the first date that failed or is partial, once, so a failure far
  // down the grid is in view (it opened at the oldest date, all of them green).
  const [attention, setAttention] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    // A run seen going takes over: after it the grid stays where it followed it.
    if (live.phase === 'running') setAttention(null);
    else if (attention === undefined && dates.length > 0) setAttention(dates.find((d) => rows[d]?.status === 'failed' || rows[d]?.status === 'partial') ?? null);
  }, [attention, dates, rows, live.phase]);
  // The grid keeps the date being processed in view; a run that has just started, its first date.
  const follow = monitor ? null : (live.current?.date ?? (live.phase === 'running' ? (live.plannedDates[0] ?? live.run?.firstDate ?? null) : (attention ?? null)));
  const cancel = async () => {
    try {
      // A requested cancel shows from the live state (CancelNote) until the run has stopped.
      const r = await store.cancelRun();
      setNote(r.requested ? null : 'No run of this app is in progress.');
    } catch (err) {
      setNote(errorText(err));
    }
  };
  const closeDetail = () => {
    if (!selected) return;
    setSelected(null);
    grid.current?.focusCell(selected);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || !selected) return;
    e.preventDefault();
    closeDetail();
  };
  return (
    <section aria-labelledby="live-title" data-testid="screen-live">
      <div className="screen-head">
        <h1 id="live-title" tabIndex={-1}>
          Live telemetry
        </h1>
        <button type="button" onClick={cancel} disabled={live.phase !== 'running'} data-testid="live-cancel">
          Cancel run
        </button>
      </div>
      {note ? (
        <p className="note" role="status">
          {note}
        </p>
      ) : null}
      <CancelNote live={live} />
      <StartOutcome start={live.start} onBack={() => navigate('run')} />
      <OtherProcessRunPanel watch={live.otherRun} />
      {/* Without a run in this session, the last run the history holds (a CLI run, or one before a restart). */}
      <RunProgress live={live} trackedDates={dates.length} lastRun={live.latestRun} />
      <GridLegend />
      <div className={selected ? 'split' : undefined} onKeyDown={onKeyDown}>
        <PhaseGrid ref={grid} dates={dates} rows={rows} selected={selected} onOpen={setSelected} follow={follow} />
        {selected ? <CellDetail cell={selected} row={rows[selected.date]} portfolios={portfolios.data?.portfolios ?? []} onClose={closeDetail} /> : null}
      </div>
      {currentRow ? <CurrentDate row={currentRow} portfolios={portfolios.data?.portfolios ?? []} monitor={monitor} /> : null}
      <EventLog log={live.log} received={live.logReceived} portfolios={portfolios.data?.portfolios ?? NO_PORTFOLIOS} />
    </section>
  );
}
