/** Handlers of the diagnostics commands (core/api/commands/diagnostics-commands.ts). */
import { targetDate } from '../../core/calendar';
import type { IsoDate } from '../../core/domain/iso-date';
import { guardAndGate, readGate, reopenGate } from '../diagnostics/guard';
import { diagnoseEquityCash } from '../diagnostics/equity-cash';
import { diagnosePrices } from '../diagnostics/price-diagnosis';
import { checkSettledScope, latestRunDates, reportDate } from '../diagnostics/run-dates';
import { portfolioIdsIn } from '../../db/portfolio-ids';
import { reconcileInput } from '../diagnostics/reconcile';
import { verifyCoverage } from '../diagnostics/verify-coverage';
import { verifyDemo } from '../diagnostics/verify-demo';
import { verifyRowCounts } from '../diagnostics/verify-rowcounts';
import { verifyViews } from '../diagnostics/verify-views';
import type { HandlerMap } from '../handler-types';
import { plain, withDatabase } from './with-database';

type Names = 'reconcile' | 'diagnoseEquityCash' | 'diagnosePrices' | 'verifyDemo' | 'verifyGuard' | 'reopenGate' | 'getGate' | 'verifyCoverage' | 'verifyRowcounts' | 'verifyViews';

export const diagnosticsHandlers: HandlerMap<Names> = {
  async reconcile(input, ctx) {
    checkSettledScope(input, targetDate(ctx.clock.now()));
    return withDatabase(ctx, (o) => plain(reconcileInput(o.db, input)));
  },
  async diagnoseEquityCash(input, ctx) {
    checkSettledScope(input, targetDate(ctx.clock.now()));
    return withDatabase(ctx, (o) => plain(diagnoseEquityCash(o.db, { date: input.date ?? null, portfolioIds: input.portfolios, ...(input.threshold ? { threshold: input.threshold } : {}) })));
  },
  async diagnosePrices(input, ctx) {
    checkSettledScope(input, targetDate(ctx.clock.now()));
    return withDatabase(ctx, (o) => plain(diagnosePrices(o.db, { date: input.date ?? null, portfolioIds: input.portfolios })));
  },
  async verifyDemo(_input, ctx) {
    return withDatabase(ctx, (o) => {
      const r = verifyDemo(o.db, targetDate(ctx.clock.now()));
      return { ready: r.ready, readiness: r.readiness, label: r.label, report: plain(r) };
    });
  },
  async verifyGuard(input, ctx) {
    const target = targetDate(ctx.clock.now());
    reportDate(input.date ?? null);
    checkSettledScope(input, target);
    return withDatabase(ctx, (o) => {
      // An unknown portfolio is named before "nothing to check" could hide it.
      portfolioIdsIn(o.db, input.portfolios);
      const scope = input.date ? { start: input.date, end: input.date } : input.startDate ? { start: input.startDate, end: (input.endDate ?? target) as IsoDate } : latestRunDates(o.db);
      const r = guardAndGate(o.db, { ...scope, portfolioIds: input.portfolios }, null, ctx.clock);
      return plain({ status: r.status, checked: r.checked, dates: [...r.dates], findings: [...r.findings], gate: r.gate });
    });
  },
  async reopenGate(input, ctx) {
    return withDatabase(ctx, (o) => {
      reopenGate(o.db, input.reason, ctx.clock);
      return plain({ gate: readGate(o.db) });
    });
  },
  async getGate(_input, ctx) {
    return withDatabase(ctx, (o) => plain({ gate: readGate(o.db) }));
  },
  async verifyCoverage(input, ctx) {
    checkSettledScope(input, targetDate(ctx.clock.now()));
    return withDatabase(ctx, (o) => plain(verifyCoverage(o.db, { start: input.startDate, end: input.endDate, portfolioIds: input.portfolios })));
  },
  async verifyRowcounts(input, ctx) {
    return withDatabase(ctx, (o) => plain(verifyRowCounts(o.db, input.sincePurge ?? null)));
  },
  async verifyViews(input, ctx) {
    checkSettledScope(input, targetDate(ctx.clock.now()));
    return withDatabase(ctx, (o) => plain(verifyViews(o.db, { date: input.date ?? null, portfolioIds: input.portfolios })));
  },
};
