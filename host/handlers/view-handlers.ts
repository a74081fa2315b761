/**
 * Handlers of the view and settings commands (core/api/commands/view-commands.ts,
 * settings-commands.ts). Reads go through the host's read-only connection (or a short-lived
 * one when the host keeps none); settings writes open the database for writing.
 */
import { openDatabase } from '../../db/open-database';
import type { HandlerMap, HostContext } from '../handler-types';
import { analyticsView, factorExposuresFor, stressResultsFor } from '../views/analytics-view';
import { databaseInfo, maintenanceOf } from '../views/database-info-view';
import { marksOn } from '../views/marks-view';
import { missingPrices } from '../views/missing-prices-view';
import { suspectPrices } from '../views/suspect-prices-view';
import { portfolioList } from '../views/portfolios-view';
import { readSettings, writeSettings } from '../views/settings-view';
import { latestSnapshotDate, snapshotOn, snapshotSeries } from '../views/snapshots-view';
import { settledDaysAfter } from '../views/settled-days';
import { dateDetail, trackingRows } from '../views/tracking-view';
import { openDateStatus } from '../diagnostics/history-report';
import { readerStaleJudge, withReader } from './with-database';


type ViewCommand =
  | 'listPortfolios'
  | 'getTracking'
  | 'getDateDetail'
  | 'getMissingPrices'
  | 'getSuspectPrices'
  | 'getSnapshots'
  | 'getMarks'
  | 'getAnalytics'
  | 'getFactorExposures'
  | 'getStressResults'
  | 'getDatabaseInfo'
  | 'getMaintenanceState'
  | 'recentEvents'
  | 'getSettings'
  | 'setSettings';

export const viewHandlers: HandlerMap<ViewCommand> = {
  async listPortfolios(input, ctx) {
    return { portfolios: withReader(ctx, (db) => portfolioList(db, input.includeDeleted)) };
  },
  async getTracking(input, ctx) {
    const listing = withReader(ctx, (db) => trackingRows(db, input, openDateStatus(db, readerStaleJudge(ctx, db))));
    return { ...listing, ...settledDaysAfter(listing, input.endDate ?? null, ctx.clock.now()) };
  },
  async getDateDetail(input, ctx) {
    return withReader(ctx, (db) => dateDetail(db, input.date, input.includeIncomplete, openDateStatus(db, readerStaleJudge(ctx, db))));
  },
  async getMissingPrices(input, ctx) {
    return withReader(ctx, (db) => missingPrices(db, input));
  },
  async getSuspectPrices(input, ctx) {
    return withReader(ctx, (db) => suspectPrices(db, input));
  },
  async getSnapshots(input, ctx) {
    return { portfolioId: input.portfolioId, rows: withReader(ctx, (db) => snapshotSeries(db, input)) };
  },
  async getMarks(input, ctx) {
    return withReader(ctx, (db) => ({
      portfolioId: input.portfolioId,
      date: input.date,
      snapshot: snapshotOn(db, input.portfolioId, input.date, input.includeIncomplete),
      marks: marksOn(db, input.portfolioId, input.date, input.includeIncomplete),
    }));
  },
  async getAnalytics(input, ctx) {
    return withReader(ctx, (db) => analyticsView(db, input.portfolioId, input.date));
  },
  async getFactorExposures(input, ctx) {
    return withReader(ctx, (db) => {
      const date = input.date ?? latestSnapshotDate(db, input.portfolioId);
      return { portfolioId: input.portfolioId, date: (date ?? null) as never, factorExposures: date ? factorExposuresFor(db, input.portfolioId, date) : [] };
    });
  },
  async getStressResults(input, ctx) {
    return withReader(ctx, (db) => {
      const date = input.date ?? latestSnapshotDate(db, input.portfolioId);
      return { portfolioId: input.portfolioId, date: (date ?? null) as never, stressTests: date ? stressResultsFor(db, input.portfolioId, date) : [] };
    });
  },
  async getDatabaseInfo(_input, ctx) {
    return withReader(ctx, (db) => databaseInfo(db, ctx.dbPath));
  },
  async getMaintenanceState(_input, ctx) {
    return withReader(ctx, (db) => {
      const m = maintenanceOf(db);
      return { active: m?.['active'] === true, reason: typeof m?.['reason'] === 'string' ? m['reason'] : null, since: typeof m?.['since'] === 'string' ? m['since'] : null };
    });
  },
  async recentEvents(input, ctx) {
    const events = ctx.bus.recent().filter((e) => (input.runId === undefined || e.run_id === input.runId) && (input.afterSeq === undefined || e.seq > input.afterSeq));
    const runStart = ctx.bus.latestRunStart();
    return { events: events.slice(-input.limit), runStart: runStart !== null && (input.runId === undefined || runStart.run_id === input.runId) ? runStart : null };
  },
  async getSettings(_input, ctx) {
    return withReader(ctx, readSettings);
  },
  async setSettings(input, ctx) {
    const db = openDatabase(ctx.dbPath, { mustExist: true });
    try {
      const changed = writeSettings(db, input.values, ctx.clock.now());
      return { changed, settings: readSettings(db).settings };
    } finally {
      db.close();
    }
  },
};
