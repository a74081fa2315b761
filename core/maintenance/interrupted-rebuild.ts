/**
 * What to do about a rebuild that stopped before it finished (SPEC.md j.5, m.17), in words shared
 * by `history --running`, the app, `cancel` and the run that takes its lock over.
 */
import { shellWord } from '../api/shell-word';
import type { InterruptedRebuild } from '../ports/store';

/**
 * The command that rebuilds `range` (of `portfolioIds`, all when empty) again; `dbSuffix` is the
 * `--db` part the messages advise (empty for the default database).
 */
export function rebuildCommandFor(range: { readonly start: string; readonly end: string }, portfolioIds: readonly string[], dbSuffix: string): string {
  const portfolios = portfolioIds.map((id) => ` --portfolio ${shellWord(id)}`).join('');
  return `batchdesk rebuild --start-date ${range.start} --end-date ${range.end}${portfolios}${dbSuffix}`;
}

/**
 * The two ways out of an interrupted rebuild, in words: run it again over its range, or put the
 * pre-rebuild backup back (none when it stopped before the backup was made).
 */
export function interruptedRebuildWaysOut(r: InterruptedRebuild): string {
  const rerun = `run it again with ${r.rerunCommand ? `\`${r.rerunCommand}\`` : 'the same rebuild command'}`;
  return r.restoreCommand
    ? `${rerun}, or put the pre-rebuild backup ${r.backupFile} back with \`${r.restoreCommand}\``
    : `${rerun} (it stopped before its pre-rebuild backup was made, so there is none to restore)`;
}

/** An interrupted rebuild's range in words ("2025-07-01 .. 2025-07-08", or "its range" when unknown). */
export function interruptedRebuildRange(r: InterruptedRebuild): string {
  return r.range ? `${r.range.start} .. ${r.range.end}` : 'its range';
}
