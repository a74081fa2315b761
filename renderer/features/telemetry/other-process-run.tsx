/**
 * A run that another process (the CLI's `batchdesk run`, another app on the same file) is doing
 * on this database while this app's engine is idle (SPEC.md g.9, i.5): who holds the file, and
 * the run's progress from the database (the figures `history --running` prints), as the live
 * store watches it (OTHER_RUN_POLL_MS while that run lasts, OTHER_RUN_IDLE_POLL_MS while there
 * is none: a run started from a terminal shows up). Its end is said with how it
 * ended (its history row), and it can be asked to stop after its current portfolio-date, as
 * `batchdesk cancel` does (g.10), after a confirmation that takes the focus and gives it back
 * (ui/use-confirmation.ts).
 */
import { useState } from 'react';
import type { OtherProcessRun } from '../../../core/api/commands/run-commands';
import { useClient } from '../../app-context';
import { errorText } from '../../engine-client/engine-error';
import type { OtherRunWatch } from '../../state/live-run';
import { OTHER_RUN_IDLE_POLL_MS } from '../../state/live-store';
import { fmtInt, fmtTimestamp, HOLDERS } from '../../ui/format';
import { useConfirmation } from '../../ui/use-confirmation';

const runName = (r: OtherProcessRun): string => r.batchRunId ?? r.runId;

/** How a run ended, from its history status; a run whose process died without a word still reads 'running' there. */
function endedText(status: string | null): string {
  switch (status) {
    case 'completed':
      return 'has completed';
    case 'partial':
      return 'has ended partial: some of its dates did not complete';
    case 'failed':
      return 'has failed';
    case 'cancelled':
      return 'was cancelled';
    case 'interrupted':
      return 'was interrupted';
    case 'running':
      return 'has stopped without recording its end (its process is gone)';
    default:
      return 'has ended';
  }
}

function Running({ run }: { run: OtherProcessRun }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const confirm = useConfirmation(busy);
  // The request this window made (its next read says so too), or why it was not made.
  const [asked, setAsked] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const cancel = async () => {
    setBusy(true);
    setRefusal(null);
    try {
      const r = await client.call('requestCancel', { force: false, waitMs: 0, runId: run.runId });
      if (r.requested) setAsked(true);
      else setRefusal(r.message);
    } catch (err) {
      setRefusal(errorText(err));
    } finally {
      setBusy(false);
      confirm.close();
    }
  };
  const planned = run.datesPlanned;
  const pct = planned ? Math.round((Math.min(run.datesDone, planned) / planned) * 1000) / 10 : null;
  const cancelRequested = run.cancelRequested || asked;
  return (
    <section ref={confirm.fallbackRef} tabIndex={-1} className="run-progress" aria-label="Run by another process" data-testid="other-run" data-state="running">
      <div className="run-title">
        <strong data-testid="other-run-title">
          A run by another process (pid {run.pid}, started at {fmtTimestamp(run.startedAt)}) is working on this file.
        </strong>
        <span className="pill st-running">running</span>
      </div>
      <p className="note">
        Run {runName(run)}, by {HOLDERS[run.holder] ?? run.holder} on {run.host}. This app cannot start a run on this file until it ends.
      </p>
      {run.mode === 'monitor' ? (
        <p className="note" data-testid="other-run-monitor">
          Monitor-only: it computes and rolls back, nothing is published; its dates done move with its heartbeat (every few seconds).
        </p>
      ) : null}
      <div className="progress-line">
        {pct !== null ? (
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label="Dates done by the other process">
            <div className="progress-fill" style={{ width: `${pct}%` }} />
          </div>
        ) : null}
        <span className="progress-text" data-testid="other-run-progress">
          {fmtInt(run.datesDone)} / {planned === null ? '?' : fmtInt(planned)} dates done, {fmtInt(run.datesFailed)} failed{run.currentDate ? `, now on ${run.currentDate}` : ''}
        </span>
      </div>
      {cancelRequested ? (
        <p className="note" role="status" data-testid="other-run-cancel-note">
          Cancel requested: it stops after its current portfolio-date.
        </p>
      ) : confirm.asking ? (
        <div className="confirm" role="alertdialog" aria-labelledby="other-run-confirm-text" onKeyDown={confirm.onKeyDown}>
          <p id="other-run-confirm-text">
            Ask run {runName(run)} (pid {run.pid}) to stop after its current portfolio-date, as <code>batchdesk cancel</code> does? The dates it finished stay; <code>batchdesk run --resume</code> continues it.
          </p>
          <button ref={confirm.firstRef} type="button" className="danger" disabled={busy} onClick={cancel} data-testid="other-run-cancel-confirm">
            Ask it to stop
          </button>{' '}
          <button type="button" disabled={busy} onClick={confirm.close}>
            Keep it running
          </button>
        </div>
      ) : (
        <button ref={confirm.triggerRef(true)} type="button" onClick={() => confirm.ask(true)} data-testid="other-run-cancel">
          Cancel that run...
        </button>
      )}
      {refusal ? (
        <p className="note bad" role="status" data-testid="other-run-cancel-refusal">
          Not cancelled: {refusal}
        </p>
      ) : null}
    </section>
  );
}

export function OtherProcessRunPanel({ watch }: { watch: OtherRunWatch }) {
  if (watch.state === 'none') return null;
  if (watch.state === 'error')
    return (
      <p className="note bad" role="status" data-testid="other-run" data-state="error">
        Could not read whether another process is running a batch on this file (trying again every {OTHER_RUN_IDLE_POLL_MS / 1000} s): {errorText(watch.error)}
      </p>
    );
  if (watch.state === 'finished')
    return (
      <p className="note" role="status" data-testid="other-run" data-state="finished" data-status={watch.status ?? undefined}>
        The run by another process (pid {watch.run.pid}), {runName(watch.run)}, {endedText(watch.status)}. The grid below is read again.
      </p>
    );
  // Keyed by run: a new run of another process starts with no confirmation or answer open.
  return <Running key={watch.run.runId} run={watch.run} />;
}
