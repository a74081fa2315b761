/** Flags shared by the report commands (SPEC.md k.2): dates, portfolios, threshold. */
import { reconcileThresholdSchema } from '../../core/api/commands/diagnostics-commands';
import type { FlagSpec, FlagValues } from '../command';
import { listFlag, stringFlag } from '../args';
import { readNumberFlag, type NumberFlag } from '../number-flag';

export const DATE_FLAG: FlagSpec = { type: 'string', valueName: 'YYYY-MM-DD', description: 'one date', defaultText: 'the latest processed date' };
export const START_FLAG: FlagSpec = { type: 'string', valueName: 'YYYY-MM-DD', description: 'first date of a range' };
export const END_FLAG: FlagSpec = { type: 'string', valueName: 'YYYY-MM-DD', description: 'last date of a range' };
export const PORTFOLIO_FLAG: FlagSpec = { type: 'string', multiple: true, valueName: 'ID', description: 'restrict to a portfolio' };
export const THRESHOLD_FLAG: FlagSpec = { type: 'string', valueName: 'T', nonNegative: true, description: 'flag money differences above T dollars', defaultText: 'reconcile.threshold (1.00)' };

const THRESHOLD_NUMBER: NumberFlag = { name: '--threshold', range: reconcileThresholdSchema, example: '1.00' };

export function scopeFlags(f: FlagValues, command: string): { date?: string; startDate?: string; endDate?: string; portfolios: string[]; threshold?: number } {
  const t = stringFlag(f['threshold']);
  return {
    ...(stringFlag(f['date']) ? { date: stringFlag(f['date'])! } : {}),
    ...(stringFlag(f['start-date']) ? { startDate: stringFlag(f['start-date'])! } : {}),
    ...(stringFlag(f['end-date']) ? { endDate: stringFlag(f['end-date'])! } : {}),
    portfolios: listFlag(f['portfolio']),
    ...(t !== undefined ? { threshold: readNumberFlag(THRESHOLD_NUMBER, t, command) } : {}),
  };
}

/** `[FLAG]` or `[ OK ]` as in SPEC.md i.1; `[ n/a]` for checks that do not apply. */
export function mark(status: string): string {
  return status === 'flag' ? '[FLAG]' : status === 'ok' ? '[ OK ]' : '[ n/a]';
}
