/** Handlers of the history and baseline commands (core/api/commands/history-commands.ts). */
import { basename, resolve } from 'node:path';
import { targetDate } from '../../core/calendar';
import { formatTimestamp } from '../../core/domain/timestamp';
import { compareBaselines } from '../../core/validation/baseline';
import { exportBaseline, readBaselineFile, writeBaselineFile } from '../diagnostics/baseline';
import { historyReport, runningReport } from '../diagnostics/history-report';
import type { HandlerMap } from '../handler-types';
import { staleJudge } from '../maintenance/maintenance-lock';
import { plain, withDatabase } from './with-database';

export const historyHandlers: HandlerMap<'getHistory' | 'getRunningState' | 'exportBaseline' | 'compareBaselines'> = {
  async getHistory(input, ctx) {
    return withDatabase(ctx, (o) =>
      plain(historyReport(o.db, { days: input.days, status: input.status ?? null, today: targetDate(ctx.clock.now()), nowIso: formatTimestamp(ctx.clock.now()), isStale: staleJudge(o.store, ctx.clock, o.path) })),
    );
  },
  async getRunningState(_input, ctx) {
    return withDatabase(ctx, (o) => plain(runningReport(o.db, staleJudge(o.store, ctx.clock, o.path))));
  },
  async exportBaseline(input, ctx) {
    return withDatabase(ctx, (o) => {
      const b = exportBaseline(o.db, { start: input.startDate, end: input.endDate, databaseName: basename(o.path), nowMs: ctx.clock.now() });
      if (input.out) writeBaselineFile(resolve(input.out), b, o.path);
      return { file: input.out ? resolve(input.out) : null, dates: b.tracking.length, outputs: b.outputs.length, baseline: input.out ? null : plain(b) };
    });
  },
  async compareBaselines(input, ctx) {
    const a = readBaselineFile(resolve(input.a));
    const b =
      input.b === 'db'
        ? await withDatabase(ctx, (o) => exportBaseline(o.db, { start: a.range.start as never, end: a.range.end as never, databaseName: basename(o.path), nowMs: ctx.clock.now() }))
        : readBaselineFile(resolve(input.b));
    return plain(compareBaselines(a, b, { money: input.toleranceMoney, ratio: input.toleranceRatio }));
  },
};
