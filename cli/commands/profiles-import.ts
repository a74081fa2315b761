/**
 * `batchdesk profiles import FILE`: add company profiles from CSV, or update the columns the
 * file carries on stored ones (SPEC.md k.2).
 */
import { importProfilesFile } from '../../host/maintenance/csv-import';
import { advisedDbFlag, JSON_FLAG, type CommandSpec } from '../command';
import { runCsvImport, staleLines } from '../transfer-files';

export const profilesImportCommand: CommandSpec = {
  name: 'profiles import',
  summary: 'import company profiles from a CSV file (the company_profiles columns); all or nothing',
  positionals: [{ name: 'file', required: true, description: 'CSV file with a symbol column and any company_profiles columns (the others keep their stored values); - reads standard input' }],
  flags: {
    'skip-bad-rows': { type: 'boolean', description: 'skip bad rows (each is reported) instead of refusing the whole file' },
    json: JSON_FLAG,
  },
  example: 'batchdesk profiles import profiles.csv --db portfolios.sqlite',
  async run(ctx) {
    return runCsvImport(
      ctx,
      'profiles import',
      importProfilesFile,
      (s) => [`Profiles: ${s.rows}   Added: ${s.inserted}   Updated: ${s.updated}   Unchanged: ${s.unchanged}`, ...staleLines(s.stale, 'profiles', advisedDbFlag(ctx.global))],
    );
  },
};
