/**
 * The steps of a long maintenance operation as the app shows them (restore, purge): each step's
 * start is one metric event (`restore_step`, `purge_step`) whose value is its number from 1 and
 * whose tags carry its key (`step`) and the words of every planned step in order (`steps`).
 *
 * The boundaries between steps are also where Ctrl-C stops such an operation (SPEC.md k.3: exit
 * code 130): stopIfCancelled lets a pending signal in and ends the operation there, before its
 * next step changes anything.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { BatchdeskError } from '../../core/api/errors';
import type { EventSource } from '../../core/api/telemetry-events';
import type { Clock } from '../../core/ports/clock';
import { createTelemetry, type TelemetrySink } from '../../core/telemetry/record-metric';

export interface StepEventTarget {
  /** Receive the step events. */
  readonly sinks?: readonly TelemetrySink[];
  /** The events' source: the host that asked (default `app`). */
  readonly source?: EventSource;
}

/** Reports the start of each of `planned` as a `metric` event named `metric`. */
export function stepReporter<S extends string>(metric: string, words: Readonly<Record<S, string>>, planned: readonly S[], target: StepEventTarget, clock: Clock): (step: S) => void {
  const telemetry = createTelemetry({ clock, sinks: target.sinks ?? [] });
  const steps = planned.map((s) => words[s]);
  return (step) => telemetry.metric(metric, planned.indexOf(step) + 1, { source: target.source ?? 'app', tags: { step, steps } });
}

/**
 * A step boundary where `signal` may stop the operation: throws `cancelled` (exit code 130) with
 * `message()` when it is aborted. It first lets the event loop poll, because a SIGINT handler
 * runs only between synchronous stretches: without it a Ctrl-C pressed during the previous step
 * would be seen only after the next one had already changed the database. One setImmediate turn
 * is not enough: it runs in the check phase of the loop's current round, after that round's
 * poll, and a signal is delivered in a poll; the second turn comes after the next round's poll.
 */
export async function stopIfCancelled(signal: AbortSignal | undefined, message: () => string): Promise<void> {
  if (!signal) return;
  await nextTurn();
  await nextTurn();
  if (signal.aborted) throw new BatchdeskError('cancelled', message());
}
