import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex, real } from 'drizzle-orm/sqlite-core';
import { checkBool, checkIn, checkJson, checkSql } from './columns';

/** batch_run_tracking (one row per processed date; legacy + new columns; SPEC.md b.4, h.4). */
export const batchRunTracking = sqliteTable(
  'batch_run_tracking',
  {
    id: text('id').primaryKey(),
    runDate: text('run_date').notNull(),
    phase1Status: text('phase_1_status'),
    phase2Status: text('phase_2_status'),
    phase3Status: text('phase_3_status'),
    phase1DurationSeconds: integer('phase_1_duration_seconds'),
    phase2DurationSeconds: integer('phase_2_duration_seconds'),
    phase3DurationSeconds: integer('phase_3_duration_seconds'),
    portfoliosProcessed: integer('portfolios_processed'),
    symbolsFetched: integer('symbols_fetched'),
    dataCoveragePct: real('data_coverage_pct'),
    errorMessage: text('error_message'),
    completedAt: text('completed_at'),
    createdAt: text('created_at').notNull(),
    runId: text('run_id'),
    status: text('status'),
    phaseStatus: text('phase_status'),
    metadata: text('metadata'),
    startedAt: text('started_at'),
    updatedAt: text('updated_at'),
  },
  (t) => [
    uniqueIndex('batch_run_tracking_run_date_uq').on(t.runDate),
    checkIn('batch_run_tracking_status_in', t.status, ['running', 'success', 'partial', 'failed', 'stale', 'imported']),
    checkJson('batch_run_tracking_phase_status_json', t.phaseStatus),
    checkJson('batch_run_tracking_metadata_json', t.metadata),
  ],
);

/** batch_run_history (one row per run; SPEC.md b.4, h.6). */
export const batchRunHistory = sqliteTable(
  'batch_run_history',
  {
    id: text('id').primaryKey(),
    batchRunId: text('batch_run_id').notNull(),
    triggeredBy: text('triggered_by'),
    startedAt: text('started_at').notNull(),
    completedAt: text('completed_at'),
    status: text('status'),
    totalJobs: integer('total_jobs'),
    completedJobs: integer('completed_jobs'),
    failedJobs: integer('failed_jobs'),
    phaseDurations: text('phase_durations'),
    errorSummary: text('error_summary'),
    portfolioId: text('portfolio_id'),
    activityLog: text('activity_log'),
    createdAt: text('created_at').notNull(),
    mode: text('mode'),
    options: text('options'),
    summary: text('summary'),
    heartbeatAt: text('heartbeat_at'),
    host: text('host'),
    pid: integer('pid'),
    appVersion: text('app_version'),
  },
  (t) => [
    index('batch_run_history_batch_run_id_idx').on(t.batchRunId),
    checkIn('batch_run_history_mode_in', t.mode, ['normal', 'monitor', 'retry', 'resume', 'rebuild']),
    checkJson('batch_run_history_phase_durations_json', t.phaseDurations),
    checkJson('batch_run_history_error_summary_json', t.errorSummary),
    checkJson('batch_run_history_activity_log_json', t.activityLog),
    checkJson('batch_run_history_options_json', t.options),
    checkJson('batch_run_history_summary_json', t.summary),
  ],
);

/** run_lock (new; at most one row; SPEC.md b.4, g.9). */
export const runLock = sqliteTable(
  'run_lock',
  {
    id: integer('id').primaryKey(),
    kind: text('kind').notNull(),
    runId: text('run_id'),
    holder: text('holder').notNull(),
    host: text('host').notNull(),
    pid: integer('pid').notNull(),
    acquiredAt: text('acquired_at').notNull(),
    heartbeatAt: text('heartbeat_at').notNull(),
    cancelRequested: integer('cancel_requested').notNull().default(0),
    cancelRequestedAt: text('cancel_requested_at'),
  },
  (t) => [
    checkSql('run_lock_single_row', sql`${t.id} = 1`),
    checkIn('run_lock_kind_in', t.kind, ['run', 'rebuild', 'purge', 'restore', 'import']),
    checkIn('run_lock_holder_in', t.holder, ['cli', 'app', 'serve']),
    checkBool('run_lock_cancel_requested_bool', t.cancelRequested),
  ],
);

/** maintenance_log (new; SPEC.md b.4). */
export const maintenanceLog = sqliteTable(
  'maintenance_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    operation: text('operation').notNull(),
    startedAt: text('started_at'),
    completedAt: text('completed_at'),
    status: text('status'),
    details: text('details'),
    runId: text('run_id'),
  },
  (t) => [
    checkIn('maintenance_log_operation_in', t.operation, ['backup', 'restore', 'purge', 'import', 'rebuild', 'gate']),
    checkIn('maintenance_log_status_in', t.status, ['success', 'failed', 'cancelled']),
    checkJson('maintenance_log_details_json', t.details),
  ],
);
