/** Handlers of the data management commands (core/api/commands/maintenance-commands.ts). */
import type { HandlerMap } from '../handler-types';
import { backupList, makeBackup } from '../maintenance/backup';
import { cancelRun } from '../maintenance/cancel';
import { runPurge } from '../maintenance/purge';
import { rebuild } from '../maintenance/rebuild';
import { restoreBackup } from '../maintenance/restore';
import { appDbFlag, withAppLockAdvice } from './app-advice';
import { afterDatabaseReplaced } from './database-replaced';
import { plain, withDatabase } from './with-database';

export const maintenanceHandlers: HandlerMap<'createBackup' | 'listBackups' | 'restoreBackup' | 'purgeDerived' | 'rebuildHistory' | 'requestCancel'> = {
  async createBackup(input, ctx) {
    return withDatabase(ctx, async (opened) => {
      const r = await makeBackup(opened, { reason: input.reason, ...(input.out ? { out: input.out } : {}), ...(input.keep ? { keep: input.keep } : {}), holdsLock: false }, ctx.clock);
      return {
        file: r.file,
        manifestFile: r.manifestFile,
        sha256: r.manifest.sha256,
        bytes: r.manifest.bytes,
        rowCounts: r.manifest.row_counts,
        rowCountsVerified: r.manifest.row_counts_verified,
        midRun: r.manifest.mid_run,
        warnings: [...r.warnings],
        deleted: [...r.deleted],
        removedIncomplete: [...r.removedIncomplete],
      };
    });
  },
  async listBackups(_input, ctx) {
    return withDatabase(ctx, backupList);
  },
  async restoreBackup(input, ctx) {
    // Each step reaches the host's event bus as a `restore_step` metric, for the app's progress.
    // Its refusals advise commands on the app's database (commandSuffix; a lock taken first by another process too).
    const r = await withAppLockAdvice(ctx, () =>
      restoreBackup(
        { dbPath: ctx.dbPath, file: input.file, safetyBackup: input.safetyBackup, holder: ctx.holder, commandSuffix: appDbFlag(ctx), sinks: [ctx.bus.sink()], source: ctx.triggeredBy === 'cli' ? 'cli' : 'app' },
        ctx.clock,
      ),
    );
    afterDatabaseReplaced(ctx, 'restore');
    return { database: r.database, restoredFrom: r.restoredFrom, safetyBackup: r.safetyBackup, manifestChecked: r.manifestChecked, migrationsApplied: r.migrationsApplied, rowCounts: r.rowCounts, removedLeftovers: [...(r.removedLeftovers ?? [])] };
  },
  async purgeDerived(input, ctx) {
    return withDatabase(ctx, async (opened) => {
      // Each step reaches the host's event bus as a `purge_step` metric, for the app's progress.
      // A lock refusal advises `batchdesk cancel` on the app's database.
      const r = await withAppLockAdvice(ctx, () => runPurge(
        opened,
        {
          start: input.from ?? null,
          end: input.to ?? null,
          portfolioIds: input.portfolios,
          keepTracking: input.keepTracking,
          backup: input.backup,
          dryRun: input.dryRun,
          holder: ctx.holder,
          sinks: [ctx.bus.sink()],
          source: ctx.triggeredBy === 'cli' ? 'cli' : 'app',
        },
        ctx.clock,
      ));
      return {
        dryRun: r.dryRun,
        range: r.range,
        portfolioIds: [...r.portfolioIds],
        backupFile: r.backupFile,
        countsBefore: r.countsBefore,
        countsAfter: r.countsAfter,
        deleted: r.outcome.deleted,
        positionsReset: r.outcome.positionsReset,
        portfoliosReset: r.outcome.portfoliosReset,
        trackingDeleted: r.outcome.trackingDeleted,
        trackingMarkedStale: r.outcome.trackingMarkedStale,
        maintenanceId: r.maintenanceId,
        rebuild: r.rebuild,
        // As `purge` prints them: a lock takeover's, then the pre-purge backup's (its retention pass).
        warnings: [...r.warnings, ...(r.backupWarnings ?? [])],
        gateClosedWaysOut: r.gateClosedWaysOut,
      };
    });
  },
  async rebuildHistory(input, ctx) {
    const r = await withAppLockAdvice(ctx, () => rebuild(
      {
        dbPath: ctx.dbPath,
        start: input.startDate,
        end: input.endDate ?? null,
        chunkDays: input.chunkDays,
        portfolioIds: input.portfolios,
        ...(input.marketData ? { marketData: input.marketData } : {}),
        ...(input.csvDir ? { csvDir: input.csvDir } : {}),
        monitorDays: input.monitorDays,
        holder: ctx.holder,
        sinks: [ctx.bus.sink()],
        logFile: null,
      },
      ctx.clock,
    ));
    return plain({ ...r, steps: [...r.steps], failures: [...r.failures] });
  },
  async requestCancel(input, ctx) {
    return withDatabase(ctx, async (opened) => {
      const r = await cancelRun(opened, { force: input.force, waitMs: input.waitMs, ...(input.runId ? { runId: input.runId } : {}), commandSuffix: appDbFlag(ctx), events: { sinks: [ctx.bus.sink()], source: ctx.triggeredBy === 'cli' ? 'cli' : 'app' } }, ctx.clock);
      return { requested: r.requested, holder: r.holder ? { ...r.holder } : null, stopped: r.stopped, forced: r.forced, message: r.message };
    });
  },
};
