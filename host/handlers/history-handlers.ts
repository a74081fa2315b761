/** Handlers of the history and baseline commands (core/api/commands/history-commands.ts). */
import { basename, resolve } from 'node:path';
import { targetDate } from '../../core/calendar';
import { formatTimestamp } from '../../core/domain/timestamp';
import { exportBaseline, writeBaselineFile } from '../diagnostics/baseline';
import { compareBaseline } from '../diagnostics/baseline-compare';
import { staleJudge } from '../engine-host';
import { historyReport, runningReport } from '../diagnostics/history-report';
import type { HandlerMap } from '../handler-types';
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
    const b = input.b === 'db' ? 'db' : { file: resolve(input.b) };
    return plain(compareBaseline(resolve(input.a), b, { dbPath: ctx.dbPath, clock: ctx.clock, tolerances: { money: input.toleranceMoney, ratio: input.toleranceRatio } }));
  },
};
