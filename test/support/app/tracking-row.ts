/** A tracking row as getTracking answers it, for renderer tests: a finished, successful date unless `fields` say otherwise. */
import type { TrackingRow } from '../../../core/api/commands/view-commands';
import type { IsoDate } from '../../../core/domain/iso-date';

export function trackingRow(date: string, fields: Partial<TrackingRow> = {}): TrackingRow {
  return {
    date: date as IsoDate,
    status: 'success',
    complete: true,
    startedAt: null,
    completedAt: null,
    runId: null,
    batchRunId: null,
    mode: 'normal',
    phases: {},
    missingPriceCount: 0,
    fallbackCount: 0,
    modelCount: 0,
    coveragePct: null,
    usableCoveragePct: null,
    jobsExpected: 0,
    jobsCompleted: 0,
    errors: [],
    ...fields,
  };
}
