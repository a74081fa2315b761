/**
 * A `history export-baseline` document for `history compare` tests (SPEC.md i.7): the fixed
 * header of a one-day baseline of a.sqlite, with the range, tracking rows and outputs a test
 * gives.
 */
import { BASELINE_SCHEMA, type Baseline } from '../../core/validation/baseline';

export function baselineOf(parts: Partial<Pick<Baseline, 'range' | 'tracking' | 'outputs'>>): Baseline {
  return {
    schema: BASELINE_SCHEMA,
    created_at: '2025-07-01T00:00:00.000000Z',
    database: 'a.sqlite',
    app_version: '0.1.0',
    range: parts.range ?? { start: '2025-07-01', end: '2025-07-01' },
    tracking: parts.tracking ?? [],
    outputs: parts.outputs ?? [],
  };
}
