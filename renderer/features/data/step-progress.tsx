/**
 * The progress of a maintenance operation that takes long enough to be waited for: a restore
 * (SPEC.md j.3: "a blocking progress dialog") or a purge with its backup first (j.4). The host
 * reports each step as it starts as a metric event, `restore_step` (host/maintenance/restore.ts)
 * or `purge_step` (host/maintenance/purge.ts): value, the step's number from 1; tags: `step`,
 * and `steps`, the words of every step planned. The dialog lists the plan with each step done
 * (and how long it took), running or still to come, and the time since the click, ticking, so
 * an operation of many seconds never looks stuck. It blocks the app (a modal dialog, Escape
 * does not close it) until the operation ends: the database is being changed under every view.
 * An operation that succeeds shows every step done for a moment (DONE_SHOWN_MS), then the
 * dialog closes; one that fails closes it at once, for its error. The steps' times and the
 * elapsed time read one clock in whole seconds since the click (the first step starts there),
 * so the steps' times add up to the elapsed time.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { z } from 'zod';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import type { EngineClient } from '../../engine-client/engine-client';

/** The operations the dialog follows: the metric their steps arrive as, and the dialog's words. */
const OPERATIONS = {
  restore: { metric: 'restore_step', title: 'Restoring a backup', starting: 'Starting the restore...' },
  purge: { metric: 'purge_step', title: 'Backing up, then purging', starting: 'Starting the purge...' },
} as const;
export type StepOperation = keyof typeof OPERATIONS;

/** A step event's tags, as the host sends them. */
const stepTagsSchema = z.object({ step: z.string(), steps: z.array(z.string()).min(1) });

export interface StepProgress {
  readonly operation: StepOperation;
  /** When the operation was asked for (ms, the page's clock). */
  readonly startedAt: number;
  /** The steps planned, in words; null until the host's first step arrives. */
  readonly plan: readonly string[] | null;
  /** How many steps have started (the running one is the last of them). */
  readonly started: number;
  /** When each started step began (ms); null for one whose event was coalesced into a later one's. */
  readonly stepStarts: readonly (number | null)[];
  /** When the operation succeeded (ms): every step is done, the clock stops. Null while it runs. */
  readonly endedAt: number | null;
}

/** How long a succeeded operation's dialog shows every step done before it closes (ms). */
export const DONE_SHOWN_MS = 1_500;

export function startStepProgress(operation: StepOperation, now: number): StepProgress {
  return { operation, startedAt: now, plan: null, started: 0, stepStarts: [], endedAt: null };
}

/** The progress of an operation that succeeded at `now`: every step done (one not seen to start, its time unknown). */
export function finishStepProgress(p: StepProgress, now: number): StepProgress {
  const steps = p.plan?.length ?? 0;
  return { ...p, started: steps, stepStarts: [...p.stepStarts, ...Array.from({ length: steps - p.stepStarts.length }, () => null)], endedAt: now };
}

/**
 * The progress after one telemetry event: a step of its operation that moves it on (a UI
 * bridge keeps only the latest metric of a name per update, so a step may arrive without the
 * one before it; that one is done, its duration unknown). Any other event leaves it as it is.
 */
export function applyStepEvent(p: StepProgress, e: TelemetryEvent, now: number): StepProgress {
  if (p.endedAt !== null || e.event !== 'metric' || e.payload.name !== OPERATIONS[p.operation].metric || e.payload.value === null) return p;
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
  /**
   * How long it took (done) or has taken so far (running), in whole seconds of the elapsed
   * clock (ms); null when unknown or pending.
   */
  readonly ms: number | null;
}

/** The time the dialog shows at `now`: stopped when the operation ended. */
const clockOf = (p: StepProgress, now: number): number => p.endedAt ?? now;

/**
 * The plan's steps as the dialog lists them at `now`. A step runs from its start (the first
 * one's is the click) to the next one's, each read as whole seconds since the click, as the
 * elapsed time is: the times of steps in a row add up to the time from the first's start to the
 * last's end.
 */
export function stepLines(p: StepProgress, now: number): StepLine[] {
  const seconds = (t: number) => Math.floor((t - p.startedAt) / 1000);
  return (p.plan ?? []).map((label, i) => {
    if (i >= p.started) return { label, state: 'pending', ms: null };
    const begin = i === 0 ? p.startedAt : (p.stepStarts[i] ?? null);
    const last = i === p.started - 1;
    const end = last ? clockOf(p, now) : (p.stepStarts[i + 1] ?? null);
    const ms = begin === null || end === null ? null : (seconds(end) - seconds(begin)) * 1000;
    return { label, state: last && p.endedAt === null ? 'running' : 'done', ms };
  });
}

/**
 * Time since the click in whole seconds, as a clock that ticks each second: "7 s", "1 min 05 s".
 * Not fmtDuration: a clock truncates (fmtDuration rounds, so 1.6 s would read 2 s before the
 * second is up) and never shows milliseconds or switches to hours.
 */
export function elapsedText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/**
 * The progress of the `operation` in flight, fed by the client's telemetry while one runs,
 * and the page's clock (ticking twice a second while it runs, so the elapsed time moves).
 * `finish` ends it: after a success every step shows done for DONE_SHOWN_MS (when the plan is
 * known), after a failure the progress goes at once; it returns the elapsed time the dialog
 * ends on (ms), for the outcome to say.
 */
export function useStepProgress(
  client: EngineClient,
  operation: StepOperation,
): { progress: StepProgress | null; now: number; start: () => void; finish: (succeeded: boolean) => number } {
  const [progress, setProgress] = useState<StepProgress | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const startedAt = useRef(0);
  const running = progress !== null && progress.endedAt === null;
  const ended = progress !== null && progress.endedAt !== null;
  useEffect(() => {
    if (!running) return undefined;
    const off = client.onTelemetry((batch) => {
      const at = Date.now();
      setProgress((p) => (p ? batch.events.reduce((acc, e) => applyStepEvent(acc, e, at), p) : p));
    });
    const tick = window.setInterval(() => setNow(Date.now()), 500);
    return () => {
      off();
      window.clearInterval(tick);
    };
  }, [client, running]);
  useEffect(() => {
    if (!ended) return undefined;
    const close = window.setTimeout(() => setProgress(null), DONE_SHOWN_MS);
    return () => window.clearTimeout(close);
  }, [ended]);
  return {
    progress,
    now,
    start: () => {
      const at = Date.now();
      startedAt.current = at;
      setNow(at);
      setProgress(startStepProgress(operation, at));
    },
    finish: (succeeded) => {
      const at = Date.now();
      setNow(at);
      setProgress((p) => (succeeded && p?.plan ? finishStepProgress(p, at) : null));
      return at - startedAt.current;
    },
  };
}

const STATE_WORDS: Record<StepState, string> = { done: 'done', running: 'in progress', pending: 'waiting' };

/** A step's state after its words: "(done, 3 s)", "(in progress, step 2 of 4)", "(waiting)"; its time as the elapsed time reads. */
function stateText(l: StepLine, n: number, total: number): string {
  const extra = l.state === 'done' && l.ms !== null ? `, ${elapsedText(l.ms)}` : l.state === 'running' ? `, step ${n} of ${total}` : '';
  return `(${STATE_WORDS[l.state]}${extra})`;
}

/**
 * The blocking dialog of an operation in flight: its title, what it does (`children`), the
 * time since the click, the steps. Its test ids start with the operation: `restore-progress`,
 * `purge-steps`, ...
 */
export function StepDialog({ progress, now, children }: { progress: StepProgress; now: number; children: ReactNode }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  const { operation } = progress;
  const words = OPERATIONS[operation];
  const lines = stepLines(progress, now);
  return (
    // Escape would close a modal dialog: the operation goes on, so the dialog stays.
    <dialog ref={dialog} className="step-dialog" aria-labelledby={`${operation}-dialog-title`} onCancel={(e) => e.preventDefault()} data-testid={`${operation}-progress`}>
      <h2 id={`${operation}-dialog-title`}>{words.title}</h2>
      {children}
      <p role="timer" aria-live="off" data-testid={`${operation}-elapsed`}>
        Elapsed: {elapsedText(clockOf(progress, now) - progress.startedAt)}
      </p>
      {progress.plan === null ? (
        <p role="status">{words.starting}</p>
      ) : (
        <ol className="step-list" role="status" aria-live="polite" data-testid={`${operation}-steps`}>
          {lines.map((l, i) => (
            <li key={l.label} data-state={l.state}>
              <span className="step-label">{l.label}</span> <span className="muted step-state">{stateText(l, i + 1, lines.length)}</span>
            </li>
          ))}
        </ol>
      )}
    </dialog>
  );
}
