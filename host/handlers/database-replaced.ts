/**
 * After a restore or an import replaced the host's database: the runs the event bus kept for
 * the live view (its ring and the latest run_start) are not in the new file, so a page opened or
 * reloaded now would replay a run that no longer exists. The bus forgets them (all but a run in
 * progress, whose events are still coming) and publishes `database_replaced`, on which an open
 * page drops them too and reads the file again (renderer/state/live-store.ts).
 *
 * A replacement made by another process (`batchdesk restore` or a replacing `batchdesk import`
 * from a terminal, which rename a new file over the database) is noticed before the next command
 * the host answers (dispatcher.ts): an open page asks every few seconds, for the run of another
 * process (live-store.ts), and a page opened afterwards asks for the kept runs first. It is a
 * change of the file's identity, seen by the host's read connection (read-connection.ts), so
 * writes to the file are none; the host's own restores and imports close that connection,
 * and are not noticed a second time.
 */
import { DATABASE_REPLACED_METRIC, type DatabaseReplacedCause } from '../../core/api/telemetry-events';
import { createTelemetry } from '../../core/telemetry/record-metric';
import type { HostContext } from '../handler-types';

type ReplacedContext = Pick<HostContext, 'bus' | 'runs' | 'clock' | 'triggeredBy' | 'reader'>;

export function afterDatabaseReplaced(ctx: ReplacedContext, cause: DatabaseReplacedCause): void {
  ctx.reader?.close();
  const running = ctx.runs.running ? ctx.runs.status().runId : null;
  ctx.bus.forgetRuns(running);
  createTelemetry({ clock: ctx.clock, sinks: [ctx.bus.sink()] }).metric(DATABASE_REPLACED_METRIC, null, { source: ctx.triggeredBy === 'cli' ? 'cli' : 'app', tags: { cause } });
}

/** Publishes the replacement of the database by another process since the last command, if there was one (once per replacement). */
export function noticeReplacementByOtherProcess(ctx: ReplacedContext): void {
  if (ctx.reader?.fileReplaced()) afterDatabaseReplaced(ctx, 'other_process');
}
