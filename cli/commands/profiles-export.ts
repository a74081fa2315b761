/** `batchdesk profiles export --out FILE`: write every company profile as CSV (SPEC.md k.2). */
import { EXIT } from '../../core/api/errors';
import { exportProfilesCsv } from '../../db/csv-transfer/profile-transfer';
import { stringFlag } from '../args';
import type { CommandSpec } from '../command';
import { writeOutputFile } from '../../db/maintenance/database-paths';
import { exportFilePath, reportExport } from '../transfer-files';
import { openStore } from '../../host/engine-host';

export const profilesExportCommand: CommandSpec = {
  name: 'profiles export',
  summary: 'write every company profile to a CSV file',
  flags: {
    out: { type: 'string', valueName: 'FILE', description: 'the CSV file to write', required: true },
  },
  example: 'batchdesk profiles export --out profiles.csv',
  async run(ctx) {
    const out = exportFilePath(ctx.io.cwd, stringFlag(ctx.flags['out'])!, 'profiles.csv');
    const opened = openStore(ctx.global.dbPath, { toRead: true });
    try {
      const r = exportProfilesCsv(opened.db);
      const path = writeOutputFile(out, r.text, 'the export', [ctx.global.dbPath], '--out');
      reportExport(ctx, path, `Exported ${r.rows} profile(s) to ${path}`);
      return EXIT.ok;
    } finally {
      opened.close();
    }
  },
};
