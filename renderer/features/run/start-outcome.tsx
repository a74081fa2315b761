/**
 * Why the last run this window started did not start: the engine's refusal (a lock held by
 * another process, named with its holder; bad options; a closed gate: SPEC.md g.9, m.16) or
 * its "nothing to run". Shown on the Run screen under the form and on the Live screen, with
 * the cancel this window asked for.
 */
import { z } from 'zod';
import { errorText } from '../../engine-client/engine-error';
import { fmtTimestamp, HOLDERS, withAppTimes } from '../../ui/format';
import { cancelNoteOf, type LiveState, type RunStart } from '../../state/live-run';
import { RUN_FORM_LABELS } from './run-form-labels';

/**
 * The lock row of a process that holds the database (SPEC.md g.9), with the batch run id of a
 * run that holds it. Pid 0 stands for SQLite's write lock, whose holder is unknown: the engine's
 * message says it all then.
 */
const knownHolderSchema = z
  .object({ kind: z.string(), holder: z.string(), host: z.string(), pid: z.number().int().positive(), acquiredAt: z.string(), batchRunId: z.string().nullable().optional() })
  .loose();

/** What a lock of each kind is held for (a run is named apart). */
const HELD_FOR: Readonly<Record<string, string>> = { rebuild: 'a rebuild', purge: 'a purge', restore: 'a restore', import: 'an import', seed: 'seeding the demo data (seed-demo)' };

/**
 * The refusal in one sentence, in the UI's words and time format: who holds the database, since
 * when and for what (a run by its batch run id when the history has it), and what to do.
 */
function heldText(holder: z.infer<typeof knownHolderSchema>): string {
  const who = HOLDERS[holder.holder] ?? holder.holder;
  const since = `${who.charAt(0).toUpperCase()}${who.slice(1)} (pid ${holder.pid} on ${holder.host}) has held the database since ${fmtTimestamp(holder.acquiredAt)}`;
  if (holder.kind !== 'run') return `${since} for ${HELD_FOR[holder.kind] ?? holder.kind}; start the run again once it has finished.`;
  return `${since} for ${holder.batchRunId ? `run ${holder.batchRunId}` : 'a run'}; Live shows that run and can ask it to stop.`;
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
  const holder = knownHolderSchema.safeParse(start.lockHolder);
  const exitCode = start.exitCode !== null ? ` (exit code ${start.exitCode})` : '';
  // The exit code is the CLI's word: a usage error's message says it all, a holder's refusal folds it away with the engine's message.
  const titleExitCode = holder.success || start.error.code === 'usage' ? '' : exitCode;
  return (
    <div className="state state-error" role="alert" data-testid="start-outcome" data-state="refused">
      <p className="state-title">The run did not start{titleExitCode}</p>
      {holder.success ? (
        <>
          <p className="state-body" data-testid="start-refusal-message">
            {heldText(holder.data)}
          </p>
          <details data-testid="start-refusal-details">
            <summary>The engine's message</summary>
            <p>
              {withAppTimes(start.error.message)}
              {exitCode}
            </p>
          </details>
        </>
      ) : (
        <p className="state-body" data-testid="start-refusal-message">
          {errorText(start.error, RUN_FORM_LABELS)}
        </p>
      )}
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
