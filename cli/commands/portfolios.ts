/**
 * `batchdesk portfolios`: the database's portfolios with the ids `--portfolio` takes (an id, or
 * its first 8 or more characters), their lots, first entry, latest complete snapshot and equity.
 * The list is the app's (the listPortfolios contract command: host/views/portfolios-view.ts), and
 * `--json` prints that command's output. An extension of SPEC.md k.2, which has no command that
 * lists the portfolios: a user had to give `--portfolio` a wrong value to see the ids.
 */
import type { PortfolioSummary } from '../../core/api/commands/view-commands';
import { EXIT } from '../../core/api/errors';
import { formatMoney } from '../../core/domain/money';
import { MIN_ID_PREFIX } from '../../core/engine/portfolio-scope';
import { openStore } from '../../host/engine-host';
import { portfolioList } from '../../host/views/portfolios-view';
import { BANNER, asciiJson, table } from '../ascii';
import { advisedDbFlag, JSON_FLAG, type CommandSpec } from '../command';

/** A portfolio's state in one word: deleted ones are listed with --all only. */
const stateOf = (p: PortfolioSummary): string => (p.deleted ? 'deleted' : p.isActive ? 'active' : 'inactive');

export const portfoliosCommand: CommandSpec = {
  name: 'portfolios',
  summary: 'the portfolios with the ids --portfolio takes, their lots, first entry, latest complete snapshot and equity',
  flags: {
    all: { type: 'boolean', description: 'also the deleted portfolios' },
    json: JSON_FLAG,
  },
  example: 'batchdesk portfolios --db portfolios.sqlite',
  async run(ctx) {
    const opened = openStore(ctx.global.dbPath, { toRead: true });
    let portfolios: PortfolioSummary[];
    try {
      portfolios = portfolioList(opened.db, ctx.flags['all'] === true);
    } finally {
      opened.close();
    }
    if (ctx.flags['json']) {
      ctx.io.out(asciiJson({ portfolios }, 2));
      return EXIT.ok;
    }
    const db = advisedDbFlag(ctx.global);
    const lines = [BANNER, `batchdesk portfolios  ${ctx.global.dbPath}`, BANNER];
    if (portfolios.length === 0) {
      lines.push(`No portfolios${ctx.flags['all'] ? '' : ' (deleted ones are listed with --all)'}. \`batchdesk seed-demo${db}\` creates the demo's five; \`batchdesk import <dump>${db}\` brings a dump's.`);
    } else {
      lines.push(
        table(
          ['id', 'name', 'state', 'lots', 'first entry', 'latest snapshot', 'equity'],
          portfolios.map((p) => [p.id, p.name, stateOf(p), String(p.positions), p.firstEntryDate ?? '-', p.latestSnapshotDate ?? 'none yet', formatMoney(p.equityBalance)]),
          ['l', 'l', 'l', 'r', 'l', 'l', 'r'],
        ),
        '',
        `${portfolios.length} portfolio(s). \`--portfolio\` takes an id or its first ${MIN_ID_PREFIX} or more characters, e.g. \`batchdesk run --portfolio ${portfolios[0]!.id.slice(0, MIN_ID_PREFIX)}${db}\`.`,
      );
    }
    ctx.io.out(lines.join('\n'));
    return EXIT.ok;
  },
};
