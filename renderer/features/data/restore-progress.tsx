/**
 * A restore's progress (SPEC.md j.3: "a blocking progress dialog"): the host reports each step
 * as it starts as a `restore_step` metric event (host/maintenance/restore.ts: value, the step's
 * number from 1; tags: `step`, and `steps`, the words of every step planned). The dialog lists
 * the plan with each step done (and how long it took), running or still to come, and the time
 * since the click, ticking, so a restore of many seconds never looks stuck. It blocks the app
 * (a modal dialog, Escape does not close it) until the restore ends: the database is being
 * replaced under every view.
 */
import { useEffect, useRef, useState } from 'react';
import { z } from 'zod';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import type { EngineClient } from '../../engine-client/engine-client';
import { fmtDuration } from '../../ui/format';

/** A restore_step event's tags, as the host sends them. */
const stepTagsSchema = z.object({ step: z.string(), steps: z.array(z.string()).min(1) });

export interface RestoreProgress {
  readonly file: string;
  /** When the restore was asked for (ms, the page's clock). */
  readonly startedAt: number;
  /** The steps planned, in words; null until the host's first step arrives. */
  readonly plan: readonly string[] | null;
  /** How many steps have started (the running one is the last of them). */
  readonly started: number;
  /** When each started step began (ms); null for one whose event was coalesced into a later one's. */
  readonly stepStarts: readonly (number | null)[];
}

export function startRestoreProgress(file: string, now: number): RestoreProgress {
  return { file, startedAt: now, plan: null, started: 0, stepStarts: [] };
}

/**
 * The progress after one telemetry event: a `restore_step` that moves it on (a UI bridge keeps
 * only the latest metric of a name per update, so a step may arrive without the one before it;
 * that one is done, its duration unknown). Any other event leaves it as it is.
 */
export function applyRestoreEvent(p: RestoreProgress, e: TelemetryEvent, now: number): RestoreProgress {
  if (e.event !== 'metric' || e.payload.name !== 'restore_step' || e.payload.value === null) return p;
  const tags = stepTagsSchema.safeParse(e.payload.tags);
  const n = e.payload.value;
  if (!tags.success || !Number.isInteger(n) || n <= p.started || n > tags.data.steps.length) return p;
  const skipped = Array.from({ length: n - 1 - p.started }, () => null);
  return { ...p, plan: tags.data.steps, started: n, stepStarts: [...p.stepStarts, ...skipped, now] };
}

/** A step's state in the list: done, running, or still to come. */
export type StepState = 'done' | 'running' | 'pending';

export interface StepLine {
  readonly label: string;
  readonly state: StepState;
  /** How long it took (done) or has taken so far (running); null when unknown or pending. */
  readonly ms: number | null;
}

/** The plan's steps as the dialog lists them at `now`. */
export function restoreStepLines(p: RestoreProgress, now: number): StepLine[] {
  return (p.plan ?? []).map((label, i) => {
    if (i >= p.started) return { label, state: 'pending', ms: null };
    const begin = p.stepStarts[i] ?? null;
    if (i === p.started - 1) return { label, state: 'running', ms: begin === null ? null : now - begin };
    const end = p.stepStarts[i + 1] ?? null;
    return { label, state: 'done', ms: begin === null || end === null ? null : end - begin };
  });
}

/** Time since the click in whole seconds, as a clock that ticks each second: "7 s", "1 min 05 s". */
export function elapsedText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/**
 * The progress of the restore in flight, fed by the client's telemetry while one runs, and the
 * page's clock (ticking twice a second while it runs, so the elapsed time moves).
 */
export function useRestoreProgress(client: EngineClient): { progress: RestoreProgress | null; now: number; start: (file: string) => void; stop: () => void } {
  const [progress, setProgress] = useState<RestoreProgress | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const running = progress !== null;
  useEffect(() => {
    if (!running) return undefined;
    const off = client.onTelemetry((batch) => {
      const at = Date.now();
      setProgress((p) => (p ? batch.events.reduce((acc, e) => applyRestoreEvent(acc, e, at), p) : p));
    });
    const tick = window.setInterval(() => setNow(Date.now()), 500);
    return () => {
      off();
      window.clearInterval(tick);
    };
  }, [client, running]);
  return {
    progress,
    now,
    start: (file) => {
      const at = Date.now();
      setNow(at);
      setProgress(startRestoreProgress(file, at));
    },
    stop: () => setProgress(null),
  };
}

const STATE_WORDS: Record<StepState, string> = { done: 'done', running: 'in progress', pending: 'waiting' };

/** A step's state after its words: "(done, 3 s)", "(in progress, step 2 of 4)", "(waiting)". */
function stateText(l: StepLine, n: number, total: number): string {
  const extra = l.state === 'done' && l.ms !== null ? `, ${fmtDuration(l.ms)}` : l.state === 'running' ? `, step ${n} of ${total}` : '';
  return `(${STATE_WORDS[l.state]}${extra})`;
}

/** The blocking dialog of a restore in flight: the file, the time since the click, the steps. */
export function RestoreDialog({ progress, now }: { progress: RestoreProgress; now: number }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  const lines = restoreStepLines(progress, now);
  return (
    // Escape would close a modal dialog: the restore goes on, so the dialog stays.
    <dialog ref={dialog} className="restore-dialog" aria-labelledby="restore-dialog-title" onCancel={(e) => e.preventDefault()} data-testid="restore-progress">
      <h2 id="restore-dialog-title">Restoring a backup</h2>
      <p>
        <code>{progress.file.split(/[\\/]/).pop()}</code> replaces the database. You can use the app again when it is done.
      </p>
      <p role="timer" aria-live="off" data-testid="restore-elapsed">
        Elapsed: {elapsedText(now - progress.startedAt)}
      </p>
      {progress.plan === null ? (
        <p role="status">Starting the restore...</p>
      ) : (
        <ol className="restore-steps" role="status" aria-live="polite" data-testid="restore-steps">
          {lines.map((l, i) => (
            <li key={l.label} data-state={l.state}>
              <span className="restore-step-label">{l.label}</span> <span className="muted restore-step-state">{stateText(l, i + 1, lines.length)}</span>
            </li>
          ))}
        </ol>
      )}
    </dialog>
  );
}
