/** `batchdesk rebuild`: backup, baseline, purge, backfill and verification in one procedure (SPEC.md j.5). */
import { resolve } from 'node:path';
import { EXIT } from '../../core/api/errors';
import { targetDate } from '../../core/calendar';
import { rebuildInputSchema } from '../../core/api/commands/maintenance-commands';
import { refuseReadOnlyDatabase } from '../../db/open-database';
import { formatSeconds, rebuild } from '../../host/maintenance/rebuild';
import { systemClock } from '../../host/system-ports';
import { listFlag, stringFlag } from '../args';
import { BANNER, asciiJson } from '../ascii';
import { shellWord } from '../../core/api/shell-word';
import { advisedDbFlag, JSON_FLAG, type CommandSpec } from '../command';
import { fileSink } from '../telemetry/log-file-sinks';
import { readNumberFlag, type NumberFlag } from '../number-flag';
import { parseOrUsage } from '../validate';
import { confirmOrAbort } from './confirm';

const CHUNK_DAYS_NUMBER: NumberFlag = { name: '--chunk-days', range: rebuildInputSchema.shape.chunkDays.unwrap(), example: '7' };
const MONITOR_DAYS_NUMBER: NumberFlag = { name: '--monitor-days', range: rebuildInputSchema.shape.monitorDays.unwrap(), example: '3' };

export const rebuildCommand: CommandSpec = {
  name: 'rebuild',
  summary: 'rebuild a range: backup, baseline, purge, backfill, then verify rowcounts, demo, reconcile, coverage, guard, views',
  flags: {
    'start-date': { type: 'string', valueName: 'YYYY-MM-DD', description: 'first date to rebuild', required: true },
    'end-date': { type: 'string', valueName: 'YYYY-MM-DD', description: 'last date', defaultText: 'the target date' },
    'chunk-days': { type: 'string', valueName: 'N', nonNegative: true, description: 'chunk size in calendar days', defaultText: '7' },
    portfolio: { type: 'string', multiple: true, valueName: 'ID', description: 'only these portfolios' },
    'market-data': { type: 'string', valueName: 'online|offline|synthetic', description: 'price source mode', defaultText: 'settings' },
    'csv-dir': { type: 'string', valueName: 'DIR', description: 'CSV price directory' },
    'log-file': { type: 'string', valueName: 'PATH', description: 'JSON-lines log of the backfill', defaultText: 'logs/rebuild_<S>_to_<E>.jsonl' },
    'monitor-days': { type: 'string', valueName: 'N', nonNegative: true, description: 'suggested monitor-only days afterwards', defaultText: '3' },
    yes: { type: 'boolean', description: 'do not ask for confirmation' },
    json: JSON_FLAG,
  },
  example: 'batchdesk rebuild --start-date 2025-07-01 --end-date 2025-09-30 --chunk-days 7 --yes',
  async run(ctx) {
    const f = ctx.flags;
    const input = parseOrUsage(
      rebuildInputSchema,
      {
        startDate: stringFlag(f['start-date']),
        endDate: stringFlag(f['end-date']),
        chunkDays: readNumberFlag(CHUNK_DAYS_NUMBER, stringFlag(f['chunk-days']), 'rebuild'),
        portfolios: listFlag(f['portfolio']),
        marketData: stringFlag(f['market-data']),
        csvDir: stringFlag(f['csv-dir']),
        monitorDays: readNumberFlag(MONITOR_DAYS_NUMBER, stringFlag(f['monitor-days']), 'rebuild'),
      },
      'rebuild',
    );
    const clock = systemClock(ctx.io.env);
    // A database that cannot be written is refused before the question, as `run` refuses it.
    refuseReadOnlyDatabase(ctx.global.dbPath);
    await confirmOrAbort(`Rebuild ${input.startDate} .. ${input.endDate ?? 'the target date'} in ${ctx.global.dbPath} (backup, purge, backfill)?`, f['yes'] === true);
    // The log is named by the dates rebuilt, as the summary beside it is (j.5): the end is the target date when not given.
    const end = input.endDate ?? targetDate(clock.now());
    const logFile = resolve(ctx.io.cwd, stringFlag(f['log-file']) ?? `logs/rebuild_${input.startDate}_to_${end}.jsonl`);
    const sink = fileSink(logFile, 'json', ctx.global.dbPath);
    try {
      const r = await rebuild(
        {
          dbPath: ctx.global.dbPath,
          start: input.startDate,
          end: input.endDate ?? null,
          chunkDays: input.chunkDays,
          portfolioIds: input.portfolios,
          ...(input.marketData ? { marketData: input.marketData } : {}),
          ...(input.csvDir ? { csvDir: resolve(ctx.io.cwd, input.csvDir) } : {}),
          monitorDays: input.monitorDays,
          holder: 'cli',
          sinks: [sink],
          logFile,
          signal: ctx.signal,
        },
        clock,
        f['json'] || ctx.global.quiet ? () => {} : (line) => ctx.io.err(line),
      );
      if (f['json']) ctx.io.out(asciiJson(r, 2));
      else
        ctx.io.out(
          [
            BANNER,
            `batchdesk rebuild  ${r.range.start} .. ${r.range.end}: ${r.status.toUpperCase()}`,
            BANNER,
            ...r.steps.map((s) => `[${s.status.toUpperCase().padEnd(7)}] ${formatSeconds(s.durationMs).padStart(7)}  ${s.step}: ${s.detail}`),
            ...(r.failures.length ? ['', 'Failures:', ...r.failures.map((x) => `  ${x}`)] : []),
            '',
            `Folder: ${r.folder}   Backup: ${r.backupFile ?? 'none'}   maintenance_log #${r.maintenanceId}`,
            r.status === 'success'
              ? `Next: watch the fallback pricing for ${r.monitorDays} trading day(s) with \`batchdesk run --monitor-only${advisedDbFlag(ctx.global)}\` before trusting new results.`
              : r.backupFile === null
                ? 'Nothing was changed: the rebuild stopped before its purge, at its verified backup.'
                : `The gate is closed. Restore with \`batchdesk restore ${shellWord(r.backupFile)}${advisedDbFlag(ctx.global)}\` if needed.`,
          ].join('\n'),
        );
      // A backfill stopped by Ctrl-C (or `batchdesk cancel`) ends the rebuild as cancelled; a
      // failed backup (step 0, nothing changed) is a data or I/O error (k.3: 130, 5).
      if (r.status === 'success') return EXIT.ok;
      return r.backupFile === null ? EXIT.data : r.runExitCode === EXIT.cancelled ? EXIT.cancelled : EXIT.checkFailed;
    } finally {
      sink.close();
    }
  },
};
