/** `batchdesk cancel [--force]`: ask the batch running on this database to stop (SPEC.md g.10). */
import { EXIT } from '../../core/api/errors';
import { openStore } from '../../host/engine-host';
import { cancelRun } from '../../host/maintenance/cancel';
import { systemClock } from '../../host/system-ports';
import { asciiJson } from '../ascii';
import { advisedDbFlag, JSON_FLAG, type CommandSpec } from '../command';

export const cancelCommand: CommandSpec = {
  name: 'cancel',
  summary: 'ask the running batch on this database to stop after its current portfolio-date',
  flags: {
    force: { type: 'boolean', description: 'if the holder on this host does not stop within 30 s, treat its lock as stale' },
    json: JSON_FLAG,
  },
  example: 'batchdesk cancel --db portfolios.sqlite',
  async run(ctx) {
    const opened = openStore(ctx.global.dbPath, { mustExist: true });
    try {
      const r = await cancelRun(opened, { force: ctx.flags['force'] === true, waitMs: 30_000, commandSuffix: advisedDbFlag(ctx.global) }, systemClock(ctx.io.env));
      if (ctx.flags['json']) ctx.io.out(asciiJson(r, 2));
      else ctx.io.out(r.message);
      return EXIT.ok;
    } finally {
      opened.close();
    }
  },
};
