/** `batchdesk cancel [--force]`: ask the batch running on this database to stop (SPEC.md g.10). */
import { EXIT } from '../../core/api/errors';
import { isCancellable } from '../../core/engine/locked-error';
import { openStore } from '../../host/engine-host';
import { cancelRun, type CancelResult } from '../../host/maintenance/cancel';
import { systemClock } from '../../host/system-ports';
import { asciiJson } from '../ascii';
import { advisedDbFlag, JSON_FLAG, type CommandSpec } from '../command';

/**
 * The exit code of a cancel: 3 (k.3, the database is locked by another operation) when a live
 * purge, restore or import holds the lock, which cancel cannot stop, so a script sees that nothing
 * was stopped and the lock is still held; 0 when the request was made, the lock was released, or
 * nothing held it.
 */
function cancelExitCode(r: CancelResult): number {
  return r.holder && !r.stopped && !isCancellable(r.holder.kind) ? EXIT.locked : EXIT.ok;
}

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
      return cancelExitCode(r);
    } finally {
      opened.close();
    }
  },
};
