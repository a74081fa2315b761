/**
 * Why the last run this window started did not start: the engine's refusal (a lock held by
 * another process, named with its holder; bad options; a closed gate: SPEC.md g.9, m.16) or
 * its "nothing to run". Shown on the Run screen under the form and on the Live screen, with
 * the cancel this window asked for.
 */
import { errorText } from '../../engine-client/engine-error';
import { fmtTimestamp, HOLDERS } from '../../ui/format';
import { cancelNoteOf, type LiveState, type RunStart } from '../../state/live-run';
import { RUN_FORM_LABELS } from './run-form-labels';


/** The process that holds the run lock, from its lock row; pid 0 is SQLite's write lock, whose holder is unknown. */
function holderText(h: Readonly<Record<string, unknown>>): string {
  const v = (k: string): string | null => (typeof h[k] === 'string' || typeof h[k] === 'number' ? String(h[k]) : null);
  if (v('pid') === '0') return 'another process writing to the database';
  const holder = v('holder');
  const run = v('runId');
  return `${(holder && HOLDERS[holder]) ?? holder ?? 'another process'} (${v('kind') ?? 'run'}${run ? ` ${run}` : ''}, pid ${v('pid') ?? '?'} on ${v('host') ?? '?'}) since ${fmtTimestamp(v('acquiredAt') ?? '?')}`;
}

/** `onBack`: offers the way back to the Run form (from the Live screen). */
export function StartOutcome({ start, onBack }: { start: RunStart | null; onBack?: () => void }) {
  if (start === null) return null;
  if (start.state === 'starting')
    return (
      <p className="note" role="status" data-testid="start-outcome" data-state="starting">
        {start.resuming ? `Resuming ${start.resuming.batchRunId}: ${start.resuming.dates} date${start.resuming.dates === 1 ? '' : 's'}...` : 'Starting the run...'}
      </p>
    );
  if (start.state === 'nothing_to_run')
    return (
      <p className="note" role="status" data-testid="start-outcome" data-state="nothing_to_run">
        The run did not start: {start.message}
      </p>
    );
  return (
    <div className="state state-error" role="alert" data-testid="start-outcome" data-state="refused">
      <p className="state-title">The run did not start{start.exitCode !== null ? ` (exit code ${start.exitCode})` : ''}</p>
      <p className="state-body" data-testid="start-refusal-message">
        {errorText(start.error, RUN_FORM_LABELS)}
      </p>
      {start.lockHolder ? <p data-testid="start-refusal-holder">The database is held by {holderText(start.lockHolder)}.</p> : null}
      {onBack ? (
        <button type="button" onClick={onBack} data-testid="start-refusal-back">
          Back to the Run form
        </button>
      ) : null}
    </div>
  );
}

/** The cancel this window asked for: requested until the run stops, then what it came to (g.10). */
export function CancelNote({ live }: { live: LiveState }) {
  const text = cancelNoteOf(live);
  if (text === null) return null;
  return (
    <p className="note" role="status" data-testid="cancel-note">
      {text}
    </p>
  );
}
