/** `batchdesk profiles import FILE`: add or replace company profiles from CSV (SPEC.md k.2). */
import { EXIT } from '../../core/api/errors';
import { formatTimestamp } from '../../core/domain/timestamp';
import { importProfilesCsv } from '../../db/csv-transfer/profile-transfer';
import { openStore } from '../../host/engine-host';
import { systemClock } from '../../host/system-ports';
import { BANNER, asciiJson } from '../ascii';
import { JSON_FLAG, type CommandSpec } from '../command';
import { readInputFile, refusedImport, skippedLines } from '../transfer-files';

export const profilesImportCommand: CommandSpec = {
  name: 'profiles import',
  summary: 'import company profiles from a CSV file (the company_profiles columns); all or nothing',
  positionals: [{ name: 'file', required: true, description: 'CSV file with a symbol column and any company_profiles columns' }],
  flags: {
    'skip-bad-rows': { type: 'boolean', description: 'skip bad rows (each is reported) instead of refusing the whole file' },
    json: JSON_FLAG,
  },
  example: 'batchdesk profiles import profiles.csv --db portfolios.sqlite',
  async run(ctx) {
    const { text, name } = readInputFile(ctx.io.cwd, ctx.positionals[0]!);
    const nowIso = formatTimestamp(systemClock(ctx.io.env).now());
    const opened = openStore(ctx.global.dbPath);
    try {
      const r = importProfilesCsv(opened.db, text, { file: name, skipBadRows: ctx.flags['skip-bad-rows'] === true, nowIso });
      if (!r.ok) throw refusedImport(r.problem);
      const s = r.summary;
      if (ctx.flags['json']) {
        ctx.io.out(asciiJson({ file: name, ...s }, 2));
        return EXIT.ok;
      }
      ctx.io.out(
        [
          BANNER,
          `batchdesk profiles import  ${name}`,
          BANNER,
          `Profiles: ${s.rows}   Added: ${s.inserted}   Replaced: ${s.updated}   Unchanged: ${s.unchanged}`,
          ...skippedLines(s.skipped),
        ].join('\n'),
      );
      return EXIT.ok;
    } finally {
      opened.close();
    }
  },
};
