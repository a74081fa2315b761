/**
 * What to do about a rebuild that stopped before it finished (SPEC.md j.5, m.17), in words shared
 * by `history --running`, the app, `cancel` and the run that takes its lock over.
 */
import { rebuildInputSchema } from '../api/commands/maintenance-commands';
import { shellWord } from '../api/shell-word';
import type { InterruptedRebuild } from '../ports/store';

/**
 * The options of a rebuild that change what it computes, as it ran with them: the rebuild's
 * maintenance_log row records them (details.options) and its backfill run's history row holds
 * them too. Unset when the rebuild was not given them (it used the settings).
 */
export interface RebuildRunOptions {
  readonly chunkDays?: number | undefined;
  readonly marketData?: string | undefined;
  readonly csvDir?: string | undefined;
}

/** What a rebuild is run again with: its range, its portfolios (all when empty) and its options. */
export interface RebuildRerun {
  readonly range: { readonly start: string; readonly end: string };
  readonly portfolioIds: readonly string[];
  readonly options: RebuildRunOptions;
}

/** The chunk size `rebuild` takes without --chunk-days. */
const DEFAULT_CHUNK_DAYS = rebuildInputSchema.shape.chunkDays.parse(undefined);

/** A flag of the advised command, its value shell-quoted; none when the value is unset. */
const flag = (name: string, value: string | number | undefined): string => (value === undefined ? '' : ` --${name} ${shellWord(String(value))}`);

/**
 * The command that runs `rerun` again, in `rebuild`'s flag order, repeating every option that
 * changed what it computed (a pasted command without them would use the settings' price source
 * or the default chunk size); the default chunk size is left out, as it goes without saying.
 * Never `--yes`: whoever pastes it confirms. `dbSuffix` is the `--db` part the messages advise
 * (empty for the default database).
 */
export function rebuildCommandFor(rerun: RebuildRerun, dbSuffix: string): string {
  const { range, portfolioIds, options } = rerun;
  const chunkDays = options.chunkDays === DEFAULT_CHUNK_DAYS ? undefined : options.chunkDays;
  const portfolios = portfolioIds.map((id) => flag('portfolio', id)).join('');
  return `batchdesk rebuild${flag('start-date', range.start)}${flag('end-date', range.end)}${flag('chunk-days', chunkDays)}${portfolios}${flag('market-data', options.marketData)}${flag('csv-dir', options.csvDir)}${dbSuffix}`;
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
