/**
 * Phase snapshots (portfolio scope, critical; SPEC.md c.8, d.4): roll equity forward and
 * write the snapshot of D. The equity chain must be unbroken: unless D is the portfolio's
 * baseline, the previous trading day needs a snapshot (reason previous_day_missing).
 * portfolios.equity_balance follows only the latest snapshot date, so re-running an old date
 * never overwrites the current equity.
 */
import { nextTradingDay, previousTradingDay } from '../calendar';
import { computeSnapshot } from '../calc/snapshot';
import { compensatedSum } from '../domain/money';
import { noteUnchanged, outcome, type PortfolioPhase } from '../engine/phase-types';
import { blockedRunCommand } from '../engine/run-summary';
import { marksInPlace } from './marks';

export const snapshotsPhase: PortfolioPhase = {
  name: 'snapshots',
  scope: 'portfolio',
  critical: true,
  reads: ['portfolios', 'portfolios.equity', 'positions', 'position_realized_events', 'equity_changes', 'position_marks', 'portfolio_snapshots'],
  writes: ['portfolio_snapshots', 'portfolios.equity'],
  prerequisite(ctx) {
    if (ctx.selected.has('marks')) return null;
    const inPlace = marksInPlace(ctx.run.store.hasMarks(ctx.portfolio.id, ctx.date), ctx.lots, (id) => ctx.run.eventsByLot.get(id) ?? [], ctx.date);
    return inPlace ? null : `marks have not run for ${ctx.portfolio.name} on ${ctx.date}`;
  },
  run(ctx) {
    const { run, date: d, portfolio } = ctx;
    const previous = run.store.previousSnapshot(portfolio.id, d);
    if (previous && previous.snapshotDate !== previousTradingDay(d)) {
      // The first date without a snapshot blocks this one and every later one (g.3).
      const blockedBy = nextTradingDay(previous.snapshotDate);
      return outcome(
        'failed',
        { previous_snapshot: previous.snapshotDate, blocked_by: blockedBy },
        'previous_day_missing',
        `${portfolio.name} has no snapshot for ${previousTradingDay(d)} (latest before ${d}: ${previous.snapshotDate}); blocked by ${blockedBy}: run the dates from it in order (${blockedRunCommand(blockedBy, d, [portfolio.id])}${run.commandSuffix})`,
      );
    }
    const marks = ctx.state.marks ?? run.store.loadMarks(portfolio.id, d);
    const lotIds = new Set(ctx.lots.map((l) => l.id));
    const realizedToday = compensatedSum(
      [...lotIds].flatMap((id) => (run.eventsByLot.get(id) ?? []).filter((e) => e.tradeDate === d).map((e) => e.realizedPnl)),
    );
    const changes = (run.equityChangesByPortfolio.get(portfolio.id) ?? []).filter((c) => c.changeDate === d);
    const snap = computeSnapshot({
      d,
      marks,
      previous,
      initialEquity: portfolio.initialEquity,
      equityBalance: portfolio.equityBalance,
      realizedToday,
      equityChanges: changes,
    });
    const nowIso = run.nowIso();
    noteUnchanged(ctx, 'snapshots', run.store.writeSnapshotCore({ ...snap, portfolioId: portfolio.id }, run.runId, nowIso));
    const latest = run.store.latestSnapshotDate(portfolio.id);
    if (latest === null || d >= latest) run.store.setEquityBalance(portfolio.id, snap.equityBalance, nowIso);
    ctx.state.snapshot = snap;
    return outcome('success', {
      nav: snap.totalValue,
      daily_pnl: snap.dailyPnl,
      daily_return: snap.dailyReturn,
      cash: snap.cashValue,
      cash_negative: snap.cashValue < 0,
      long_value: snap.longValue,
      short_value: snap.shortValue,
      gross_exposure: snap.grossExposure,
      net_exposure: snap.netExposure,
      num_positions: snap.numPositions,
      num_unmarked_positions: snap.numUnmarkedPositions,
      is_baseline: snap.isBaseline,
      capital_flow: snap.dailyCapitalFlow,
      realized_today: snap.dailyRealizedPnl,
    });
  },
};
