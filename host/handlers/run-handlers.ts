/** Handlers of the run commands (core/api/commands/run-commands.ts). */
import { planDocument } from '../plan-document';
import type { HandlerMap } from '../handler-types';
import { engineHost, runOnDatabase, openStore } from '../engine-host';
import { otherProcessRun } from '../other-process-run';
import { inList } from '../../db/sql-lists';
import { appDbFlag, withStatusLockAdvice } from './app-advice';
import { readerStaleJudge, withReader } from './with-database';

export const runHandlers: HandlerMap<'startRun' | 'cancelRun' | 'getRunStatus' | 'getOtherProcessRun' | 'planRun' | 'listRuns'> = {
  async startRun(input, ctx) {
    ctx.runs.start({ ...input, dryRun: false, triggeredBy: ctx.triggeredBy });
    // Answered once the run has its id or was refused (a held lock, bad options found by the
    // engine, nothing to run): the caller learns the outcome of its start without polling.
    const status = withStatusLockAdvice(await ctx.runs.started(), ctx);
    return { accepted: status.runId !== null, status };
  },
  async cancelRun(input, ctx) {
    const requested = ctx.runs.cancel(input.force);
    return { requested, status: withStatusLockAdvice(ctx.runs.status(), ctx) };
  },
  async getRunStatus(_input, ctx) {
    return withStatusLockAdvice(ctx.runs.status(), ctx);
  },
  async getOtherProcessRun(_input, ctx) {
    return { run: withReader(ctx, (db) => otherProcessRun(db, readerStaleJudge(ctx, db), engineHost(ctx.holder, ctx.dbPath))) };
  },
  async planRun(input, ctx) {
    // The refusals a run now would meet advise commands on the app's database, and no CLI-only flag.
    const r = await runOnDatabase({ dbPath: ctx.dbPath, options: { ...input, dryRun: true, triggeredBy: ctx.triggeredBy }, holder: ctx.holder, sinks: [], control: { signal: new AbortController().signal }, clock: ctx.clock, commandSuffix: appDbFlag(ctx) });
    return { plan: planDocument(r.plan) };
  },
  async listRuns(input, ctx) {
    const opened = openStore(ctx.dbPath, { mustExist: true });
    try {
      const ids = input.ids ?? null;
      const rows = opened.db
        .prepare(
          `SELECT id, batch_run_id, status, mode, triggered_by, started_at, completed_at, total_jobs, completed_jobs, failed_jobs, json_extract(summary, '$.dates.partial') AS partial_dates, options FROM batch_run_history${ids ? ` WHERE id IN (${inList(ids)})` : ''} ORDER BY started_at DESC LIMIT ?`,
        )
        .all(...(ids ?? []), input.limit) as Record<string, unknown>[];
      return {
        runs: rows.map((r) => ({
          id: r['id'] as string,
          batchRunId: r['batch_run_id'] as string,
          status: (r['status'] as string | null) ?? null,
          mode: (r['mode'] as string | null) ?? null,
          triggeredBy: (r['triggered_by'] as string | null) ?? null,
          startedAt: r['started_at'] as string,
          completedAt: (r['completed_at'] as string | null) ?? null,
          totalJobs: (r['total_jobs'] as number | null) ?? null,
          completedJobs: (r['completed_jobs'] as number | null) ?? null,
          failedJobs: (r['failed_jobs'] as number | null) ?? null,
          partialDates: (r['partial_dates'] as number | null) ?? null,
          durationSeconds: r['completed_at'] ? (Date.parse(r['completed_at'] as string) - Date.parse(r['started_at'] as string)) / 1000 : null,
          options: r['options'] ? JSON.parse(r['options'] as string) : null,
        })),
      };
    } finally {
      opened.close();
    }
  },
};
