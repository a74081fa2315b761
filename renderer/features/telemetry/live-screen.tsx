/**
 * Live: the running batch phase by phase. Progress with ETA and counters, the date x phase
 * grid coloured by status, a drill-down for any cell, and the event log.
 */
import { useMemo, useState } from 'react';
import { useClient, useLive } from '../../app-context';
import { errorText } from '../../engine-client/engine-error';
import { gridDates } from '../../state/live-run';
import { useAsync } from '../../ui/use-async';
import { CellDetail } from './cell-detail';
import { CurrentDate } from './current-date';
import { EventLog } from './event-log';
import { PhaseGrid, type CellRef } from './phase-grid';
import { RunProgress } from './run-progress';

export function LiveScreen() {
  const client = useClient();
  const live = useLive();
  const [selected, setSelected] = useState<CellRef | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const portfolios = useAsync(() => client.call('listPortfolios', {}), [client]);
  const dates = useMemo(() => gridDates(live), [live]);
  // The date being processed, else the last date the live run touched.
  const currentDate = live.current?.date ?? (live.run ? [...dates].reverse().find((d) => live.rows[d]?.live) : undefined);
  const currentRow = currentDate ? live.rows[currentDate] : undefined;
  const cancel = async () => {
    try {
      const r = await client.call('cancelRun', { force: false });
      setNote(r.requested ? 'Cancel requested: the run stops after its current portfolio-date.' : 'No run of this app is in progress.');
    } catch (err) {
      setNote(errorText(err));
    }
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
      <RunProgress live={live} />
      <div className={selected ? 'split' : undefined}>
        <PhaseGrid dates={dates} rows={live.rows} selected={selected} onOpen={setSelected} follow={live.current?.date ?? null} />
        {selected ? <CellDetail cell={selected} row={live.rows[selected.date]} portfolios={portfolios.data?.portfolios ?? []} onClose={() => setSelected(null)} /> : null}
      </div>
      {currentRow ? <CurrentDate row={currentRow} portfolios={portfolios.data?.portfolios ?? []} /> : null}
      <EventLog log={live.log} />
    </section>
  );
}
