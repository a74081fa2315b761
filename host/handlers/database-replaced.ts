/**
 * After a restore or an import replaced the host's database: the runs the event bus kept for
 * the live view (its ring and the latest run_start) are not in the new file, so a page opened or
 * reloaded now would replay a run that no longer exists. The bus forgets them (all but a run in
 * progress, whose events are still coming) and publishes `database_replaced`, on which an open
 * page drops them too and reads the file again (renderer/state/live-store.ts).
 */
import { DATABASE_REPLACED_METRIC } from '../../core/api/telemetry-events';
import { createTelemetry } from '../../core/telemetry/record-metric';
import type { HostContext } from '../handler-types';

export function afterDatabaseReplaced(ctx: Pick<HostContext, 'bus' | 'runs' | 'clock' | 'triggeredBy'>, cause: 'restore' | 'import'): void {
  const running = ctx.runs.running ? ctx.runs.status().runId : null;
  ctx.bus.forgetRuns(running);
  createTelemetry({ clock: ctx.clock, sinks: [ctx.bus.sink()] }).metric(DATABASE_REPLACED_METRIC, null, { source: ctx.triggeredBy === 'cli' ? 'cli' : 'app', tags: { cause } });
}
